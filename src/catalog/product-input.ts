// The product as clients write it (create, update, bulk upsert), validated by zod.
import * as z from 'zod';
import { PRODUCT_STATUSES } from '../db/schema';
import { CSET82 } from '../digital-link/character-sets';
import { countryCodeSchema } from './country-code';
import { gtinSchema } from './gtin';
import { FIELD_SOURCES, NET_CONTENT_UNITS, type ProductFieldName } from './product-fields';

/** Most products one bulk request may carry, well inside the Worker's limits (bench/RESULTS.md). */
export const MAX_BULK_PRODUCTS = 10_000;

const text = (max: number) => z.string().trim().min(1).max(max);
const slug = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case key like "energy_kcal"');

const fieldOf = <S extends z.ZodType>(value: S) =>
  z.strictObject({
    value,
    /** Defaults to the request's `default_source`. */
    source: z.enum(FIELD_SOURCES).optional(),
    /** Defaults to 1: the source vouches for the value. */
    confidence: z.number().min(0).max(1).optional(),
  });

const fieldInputs = {
  name: fieldOf(text(200)),
  brand: fieldOf(text(200)),
  description: fieldOf(text(5000)),
  category: fieldOf(text(200)),
  images: fieldOf(
    z
      .array(z.url({ protocol: /^https$/, hostname: z.regexes.domain }))
      .min(1)
      .max(20),
  ),
  net_content: fieldOf(
    z.strictObject({ value: z.number().positive().max(1_000_000), unit: z.enum(NET_CONTENT_UNITS) }),
  ),
  country_of_origin: fieldOf(countryCodeSchema),
  ingredients: fieldOf(text(10_000)),
  allergens: fieldOf(z.array(text(100)).max(50)),
  nutrition: fieldOf(
    z.record(slug, z.union([z.number(), text(100)])).refine((n) => {
      const size = Object.keys(n).length;
      return size >= 1 && size <= 60;
    }, 'must have 1 to 60 entries'),
  ),
  certifications: fieldOf(z.array(text(100)).max(50)),
} satisfies Record<ProductFieldName, z.ZodType>;

type NullableFieldInputs = { [K in ProductFieldName]: z.ZodNullable<(typeof fieldInputs)[K]> };
const nullableFieldInputs = Object.fromEntries(
  Object.entries(fieldInputs).map(([name, schema]) => [name, schema.nullable()]),
) as unknown as NullableFieldInputs;

const recalledLotSchema = z.strictObject({
  // AI (10) batch/lot: up to 20 characters of GS1 character set 82.
  lot: z
    .string()
    .min(1)
    .max(20)
    .refine(
      (lot) => [...lot].every((ch) => CSET82.includes(ch)),
      'must be 1–20 characters of GS1 character set 82, as in AI (10)',
    ),
  recalled_at: z.iso.datetime({ offset: true }).optional(),
  reason: text(500).optional(),
});

const marketsSchema = z
  .array(countryCodeSchema)
  .max(250)
  .transform((codes) => [...new Set(codes)].sort());

const recalledLotsSchema = z
  .array(recalledLotSchema)
  .max(500)
  .refine((lots) => new Set(lots.map((l) => l.lot)).size === lots.length, 'each lot may be listed once');

const brandIdSchema = z.string().min(1).max(64).nullable();

export const productInputSchema = z.strictObject({
  gtin: gtinSchema,
  brand_id: brandIdSchema.optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  default_source: z.enum(FIELD_SOURCES).optional(),
  fields: z.strictObject(fieldInputs).partial().optional(),
  authorised_markets: marketsSchema.optional(),
  recalled_lots: recalledLotsSchema.optional(),
});

/** PATCH: every part optional; a field set to null is removed; lists replace the stored ones. */
export const productPatchSchema = z.strictObject({
  brand_id: brandIdSchema.optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  default_source: z.enum(FIELD_SOURCES).optional(),
  fields: z.strictObject(nullableFieldInputs).partial().optional(),
  authorised_markets: marketsSchema.optional(),
  recalled_lots: recalledLotsSchema.optional(),
});

export const bulkProductsSchema = z.strictObject({
  items: z
    .array(productInputSchema)
    .min(1)
    .max(MAX_BULK_PRODUCTS, `at most ${MAX_BULK_PRODUCTS} products per request; split larger imports`)
    .superRefine((items, ctx) => {
      const seen = new Map<string, number>();
      items.forEach((item, i) => {
        const first = seen.get(item.gtin);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'gtin'],
            message: `GTIN ${item.gtin} is also item ${first}`,
          });
        } else seen.set(item.gtin, i);
      });
    }),
});

export type ProductInput = z.output<typeof productInputSchema>;
export type ProductPatch = z.output<typeof productPatchSchema>;
