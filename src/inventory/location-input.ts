// Stores as clients write them (PRODUCT.md C5), validated by zod.
import * as z from 'zod';
import { countryCodeSchema } from '../catalog/country-code';

const text = (max: number) => z.string().trim().min(1).max(max);

let zonesByLowerCase: Map<string, string> | undefined;

/** `name` in the tz database's own capitalisation when the runtime lists it, else as written. */
function tzSpelling(name: string): string {
  zonesByLowerCase ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return zonesByLowerCase.get(name.toLowerCase()) ?? name;
}

/**
 * An IANA time zone name, kept as written but properly capitalised (`europe/paris` →
 * `Europe/Paris`). Not canonicalised: ICU would turn `Asia/Kolkata` into its CLDR alias
 * `Asia/Calcutta`. The runtime's tz database decides what exists; the pattern first keeps out UTC
 * offsets like `+01:00`, which Intl accepts but which follow no daylight-saving rules.
 */
export const timezoneSchema = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    if (/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: name });
        return tzSpelling(name);
      } catch {
        // not a zone this runtime knows; reported below
      }
    }
    ctx.addIssue({ code: 'custom', message: `"${name}" is not an IANA time zone name, like "Europe/Paris"` });
    return z.NEVER;
  });

const addressSchema = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postal_code: text(20).optional(),
  country: countryCodeSchema,
});

/** A POS's own id for the store (Shopify location ids are numbers; we keep them as strings). */
const posLocationId = z.union([
  z.string().trim().min(1).max(64),
  z.number().int().nonnegative().transform(String),
]);
/** The shared HMAC key the platform signs webhooks with. Write-only. */
const posSecret = z.string().min(8).max(256);

const posSchema = z.strictObject({
  shopify: z
    .strictObject({
      location_id: posLocationId.nullable().optional(),
      webhook_secret: posSecret.nullable().optional(),
    })
    .nullable()
    .optional(),
  square: z
    .strictObject({
      location_id: posLocationId.nullable().optional(),
      signature_key: posSecret.nullable().optional(),
    })
    .nullable()
    .optional(),
});

const fields = {
  name: text(200),
  address: addressSchema,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: timezoneSchema,
  pos: posSchema.optional(),
};

export const locationInputSchema = z.strictObject(fields);

/** PATCH: any of the top-level parts; `address` is replaced whole; in `pos`, null removes. */
export const locationPatchSchema = z.strictObject(fields).partial();

export type LocationInput = z.output<typeof locationInputSchema>;
export type LocationPatch = z.output<typeof locationPatchSchema>;
export type PosInput = z.output<typeof posSchema>;
