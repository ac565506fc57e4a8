// GTINs as the API accepts them: GTIN-8, -12, -13 or -14 with a valid GS1 check digit, stored as
// 14 digits (left-padded with zeros, GS1 General Specifications 3.3.2), as the resolver keys them.
import * as z from 'zod';
import { computeCheckDigit } from '../digital-link/check-digit';

/** The 14-digit form of a GTIN, or why it is not one. */
export function normaliseGtin(input: string): { gtin: string } | { error: string } {
  if (!/^\d+$/.test(input)) return { error: 'GTIN must be digits only' };
  if (![8, 12, 13, 14].includes(input.length)) {
    return { error: `GTIN must have 8, 12, 13 or 14 digits, got ${input.length}` };
  }
  const expected = computeCheckDigit(input.slice(0, -1));
  const actual = Number(input.slice(-1));
  if (expected !== actual)
    return { error: `check digit of GTIN ${input} should be ${expected}, got ${actual}` };
  return { gtin: input.padStart(14, '0') };
}

export const gtinSchema = z.string().transform((input, ctx) => {
  const result = normaliseGtin(input);
  if ('error' in result) {
    ctx.addIssue({ code: 'custom', message: result.error });
    return z.NEVER;
  }
  return result.gtin;
});
