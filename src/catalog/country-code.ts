// ISO 3166-1 alpha-2 country codes, as the GS1 syntax engine lists them (shared with C1's linters).
import * as z from 'zod';
import { ISO3166_ALPHA2 } from '../digital-link/code-lists';

/** A country code in any case, answered upper-case; `EU` and other non-country codes are refused. */
export const countryCodeSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine((code) => ISO3166_ALPHA2.has(code), {
    message: 'must be an ISO 3166-1 alpha-2 country code, like "FR"',
  });
