// Pieces the API's response schemas share (the OpenAPI document's components): times, pages, lists.
import * as z from 'zod';

/** An instant as the API writes it: ISO 8601 in UTC with milliseconds (`Date#toISOString`). */
export const timestamp = z.iso.datetime().meta({ id: 'Timestamp', description: 'ISO 8601, UTC' });
export const timestampOrNull = timestamp.nullable();

/** A page of a keyset-paginated list: pass `next_cursor` back as `cursor` for the next one. */
export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().meta({ description: 'null on the last page' }),
  });

/** A whole list in one answer (short lists: keys, brands, webhooks). */
export const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });

export const gs1Key = z.object({ ai: z.string(), value: z.string() }).meta({ id: 'Gs1Key' });
