// The query string of GET /search and the path of its click URLs. Numbers are parsed strictly
// (no "", no "1e3", no "0x10"): z.coerce would read an empty lat as 0, the Gulf of Guinea.
import * as z from 'zod';
import { cursorParam } from '../http/page-cursor';
import { MAX_CANDIDATES } from './find-candidates';
import { parseSearchQuery } from './search-query';

export const DEFAULT_RADIUS_KM = 10;
export const MAX_RADIUS_KM = 50;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

const decimal = (min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, `must be a decimal number (${what})`)
    .transform(Number)
    .pipe(
      z.number().min(min, `must be at least ${min} (${what})`).max(max, `must be at most ${max} (${what})`),
    );

export const searchParams = z.strictObject({
  q: z
    .string({ error: 'is required: words to search for, or gtin:<GTIN>' })
    .max(200)
    .transform((q, ctx) => {
      const parsed = parseSearchQuery(q);
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    }),
  lat: decimal(-90, 90, 'latitude in degrees, WGS 84'),
  lng: decimal(-180, 180, 'longitude in degrees, WGS 84'),
  radius_km: decimal(0.1, MAX_RADIUS_KM, `km, default ${DEFAULT_RADIUS_KM}`).optional(),
  in_stock: z.enum(['true', 'false', '1', '0']).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIMIT))
    .optional(),
  cursor: cursorParam,
});

export type SearchParams = z.output<typeof searchParams>;

/** The cursor of a results page: the offset of its first result in the ranked list. */
export const searchCursor = z.tuple([z.number().int().min(0).max(MAX_CANDIDATES)]);

export const clickParams = z.object({
  search_id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a search id'),
  position: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_CANDIDATES)),
});
