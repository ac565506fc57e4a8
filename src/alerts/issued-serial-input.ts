// What POST /v1/issued-serials accepts: a numeric range or an explicit list of one GTIN's serials.
import * as z from 'zod';
import { gtinSchema } from '../catalog/gtin';
import { CSET82 } from '../digital-link/character-sets';

/** One registration's list, at most; more serials go in several registrations. */
export const MAX_LIST_SERIALS = 10_000;

// AI (21) serial: up to 20 characters of GS1 character set 82.
const serialSchema = z
  .string()
  .min(1)
  .max(20)
  .refine(
    (s) => [...s].every((ch) => CSET82.includes(ch)),
    'must be 1–20 characters of GS1 character set 82, as in AI (21)',
  );

/** A range bound: 1–20 digits as a string (JSON numbers lose digits past 2^53), or a safe integer. */
const boundSchema = z
  .union([
    z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ])
  .transform((v) => BigInt(v));

const note = z.string().max(500).optional();

export const issuedSerialInputSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({ kind: z.literal('range'), gtin: gtinSchema, first: boundSchema, last: boundSchema, note })
    .refine((r) => r.first <= r.last, { message: 'first must not be greater than last', path: ['last'] }),
  z.strictObject({
    kind: z.literal('list'),
    gtin: gtinSchema,
    serials: z
      .array(serialSchema)
      .min(1)
      .max(MAX_LIST_SERIALS)
      .transform((serials) => [...new Set(serials)]),
    note,
  }),
]);

export type IssuedSerialInput = z.output<typeof issuedSerialInputSchema>;
