// The filters every dashboard route and export shares: time range in a timezone, GTIN, lot,
// country, bots. Validated once here; a GTIN of another organisation is a 404.
import * as z from 'zod';
import { ownsKey } from '../accounts/owns-key';
import { parseDigitalLinkPath } from '../digital-link';
import { ApiError } from '../http/api-error';
import { addDays, isValidTimeZone, zonedMidnight } from './zoned-time';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The longest range any route answers: a bit over a year, so year-on-year views fit. */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const filterShape = {
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  tz: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'tz must be an IANA timezone such as Europe/Paris')
    .default('UTC'),
  gtin: z
    .string()
    .regex(/^(\d{8}|\d{12,14})$/, 'gtin must be 8, 12, 13 or 14 digits')
    .optional(),
  lot: z.string().min(1).max(20).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as FR')
    .optional(),
  bots: z.enum(['exclude', 'include', 'only']).default('exclude'),
};

export const filterSchema = z.strictObject(filterShape);
export type FilterInput = z.infer<typeof filterSchema>;

export interface Filters {
  orgId: string;
  fromMs: number;
  toMs: number;
  tz: string;
  gtin?: string;
  lot?: string;
  country?: string;
  bots: 'exclude' | 'include' | 'only';
}

// Scans exist from GS1 Digital Link's first years on; Date.UTC maps years 0–99 to the 1900s, and a
// year 9999 range overflows the calendar arithmetic. Anything outside is a typo, answered 400.
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2101, 0, 1);

/**
 * A range bound as clients write it: `to` (an end) given as a date includes that whole day; as an
 * instant it is exclusive. `field` names the parameter in errors.
 */
export function instant(value: string, tz: string, field: string, end = field === 'to'): number {
  // Checked on the value as written too: zone arithmetic on a year-0 date fails before it returns.
  const naive = Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
  const outside = (ms: number) => ms < EARLIEST_MS || ms > LATEST_MS;
  const ms = outside(naive) ? naive : parsedInstant(value, tz, field, end);
  if (outside(ms)) {
    throw new ApiError('validation_failed', `${field} must lie between 2000-01-01 and 2100-12-31`, [
      { path: field, message: 'out of range' },
    ]);
  }
  return ms;
}

function parsedInstant(value: string, tz: string, field: string, end: boolean): number {
  if (DATE.test(value)) {
    const utc = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isFinite(utc) || new Date(utc).toISOString().slice(0, 10) !== value) {
      throw new ApiError('validation_failed', `${field} ${value} is not a calendar date`, [
        { path: field, message: 'not a calendar date' },
      ]);
    }
    // Local midnight, exact in every zone (a :30 or :45 offset, a DST day): a bucket start.
    return zonedMidnight(end ? addDays(value, 1) : value, tz);
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/[zZ]|[+-]\d\d:?\d\d$/.test(value)) {
    throw new ApiError(
      'validation_failed',
      `${field} must be a date (YYYY-MM-DD) or an ISO 8601 instant with an offset`,
      [{ path: field, message: 'not a date' }],
    );
  }
  return ms;
}

export async function resolveFilters(
  db: D1Database,
  orgId: string,
  input: FilterInput,
  now = Date.now(),
): Promise<Filters> {
  const toMs = input.to ? instant(input.to, input.tz, 'to') : Math.ceil(now / HOUR_MS) * HOUR_MS;
  const fromMs = input.from ? instant(input.from, input.tz, 'from') : toMs - DEFAULT_RANGE_DAYS * DAY_MS;
  if (fromMs >= toMs)
    throw new ApiError('validation_failed', '`from` must be before `to`', [
      { path: 'from', message: 'after to' },
    ]);
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new ApiError('validation_failed', `The range may span at most ${MAX_RANGE_DAYS} days`, [
      { path: 'from', message: 'range too long' },
    ]);
  }
  let gtin: string | undefined;
  if (input.gtin) {
    const parsed = parseDigitalLinkPath(`/01/${input.gtin}`, '', { permitZeroSuppressedGTIN: true });
    if (!parsed.ok)
      throw new ApiError('validation_failed', parsed.error.message, [
        { path: 'gtin', message: parsed.error.message },
      ]);
    gtin = parsed.link.primaryKey.value;
    if (!(await ownsKey(db, orgId, '01', gtin)))
      throw new ApiError('not_found', `No product with GTIN ${gtin} in this organisation`);
  }
  return {
    orgId,
    fromMs,
    toMs,
    tz: input.tz,
    gtin,
    lot: input.lot,
    country: input.country,
    bots: input.bots,
  };
}

/** The range a dashboard answer covers, as `rangeJson` writes it. */
export const rangeView = z
  .object({ from: z.iso.datetime(), to: z.iso.datetime().meta({ description: 'exclusive' }), tz: z.string() })
  .meta({ id: 'DateRange' });

export function rangeJson(f: Pick<Filters, 'fromMs' | 'toMs' | 'tz'>) {
  return { from: new Date(f.fromMs).toISOString(), to: new Date(f.toMs).toISOString(), tz: f.tz };
}
