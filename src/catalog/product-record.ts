// From validated input to the stored product row (with its completeness recomputed), and from
// the row to the API's JSON.
import * as z from 'zod';
import { PRODUCT_STATUSES, type Product, type RecalledLot } from '../db/schema';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';
import { COMPLETENESS_BANDS, completenessScore } from './completeness-score';
import {
  FIELD_SOURCES,
  type FieldSource,
  PRODUCT_FIELD_NAMES,
  type ProductFieldName,
  type ProductFields,
} from './product-fields';
import type { ProductInput, ProductPatch } from './product-input';

type FieldInput = { value: unknown; source?: FieldSource; confidence?: number };
type LotInput = { lot: string; recalled_at?: string; reason?: string };

function toField(input: FieldInput, defaultSource: FieldSource) {
  return { value: input.value, source: input.source ?? defaultSource, confidence: input.confidence ?? 1 };
}

/** Applies field inputs to `base` (a value sets the field, null removes it), in the canonical field order. */
function mergeFields(
  base: ProductFields,
  inputs: Partial<Record<ProductFieldName, FieldInput | null>>,
  defaultSource: FieldSource,
) {
  const fields: Record<string, unknown> = {};
  for (const name of PRODUCT_FIELD_NAMES) {
    const input = inputs[name];
    if (input) fields[name] = toField(input, defaultSource);
    else if (input === undefined && base[name]) fields[name] = base[name];
  }
  return fields as ProductFields;
}

const toLots = (lots: LotInput[]): RecalledLot[] =>
  lots.map((l) => ({
    lot: l.lot,
    recalledAt: l.recalled_at ? Date.parse(l.recalled_at) : null,
    reason: l.reason ?? null,
  }));

function withCompleteness<T extends { fields: ProductFields }>(row: T) {
  const c = completenessScore(row.fields);
  return {
    ...row,
    completenessScore: c.score,
    completenessBand: c.band,
    completenessRecommendations: c.recommendations,
  };
}

export type ProductRecord = Omit<Product, 'name' | 'category'>;

/** A whole product from create or bulk input; `existing` keeps its id and creation time. */
export function productFromInput(
  orgId: string,
  input: ProductInput,
  ids: { id: string; createdAt: number },
  now: number,
): ProductRecord {
  return withCompleteness({
    id: ids.id,
    orgId,
    brandId: input.brand_id ?? null,
    gtin: input.gtin,
    status: input.status ?? 'active',
    fields: mergeFields({}, input.fields ?? {}, input.default_source ?? 'brand'),
    authorisedMarkets: input.authorised_markets ?? [],
    recalledLots: toLots(input.recalled_lots ?? []),
    createdAt: ids.createdAt,
    updatedAt: now,
  });
}

export function patchProduct(row: ProductRecord, patch: ProductPatch, now: number): ProductRecord {
  return withCompleteness({
    ...row,
    brandId: patch.brand_id === undefined ? row.brandId : patch.brand_id,
    status: patch.status ?? row.status,
    fields: mergeFields(row.fields, patch.fields ?? {}, patch.default_source ?? 'brand'),
    authorisedMarkets: patch.authorised_markets ?? row.authorisedMarkets,
    recalledLots: patch.recalled_lots ? toLots(patch.recalled_lots) : row.recalledLots,
    updatedAt: now,
  });
}

const fieldView = z.object({
  value: z.unknown().meta({ description: 'As written: the field input schema says its type' }),
  source: z.enum(FIELD_SOURCES),
  confidence: z.number().min(0).max(1),
});

export const completenessRecommendationView = z.object({
  field: z.enum(PRODUCT_FIELD_NAMES),
  issue: z.enum(['missing', 'low_confidence']),
  message: z.string(),
  points: z.number().meta({ description: 'Points the score would gain if this were fixed' }),
});

/** A product as the API shows it (`present`). */
export const productView = z
  .object({
    id: z.string(),
    gtin: z.string(),
    brand_id: z.string().nullable(),
    status: z.enum(PRODUCT_STATUSES),
    fields: z.partialRecord(z.enum(PRODUCT_FIELD_NAMES), fieldView),
    authorised_markets: z.array(z.string()),
    recalled_lots: z.array(
      z.object({ lot: z.string(), recalled_at: timestampOrNull, reason: z.string().nullable() }),
    ),
    completeness: z.object({
      score: z.number(),
      band: z.enum(COMPLETENESS_BANDS),
      recommendations: z.array(completenessRecommendationView),
    }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Product' });

export function present(row: ProductRecord) {
  return {
    id: row.id,
    gtin: row.gtin,
    brand_id: row.brandId,
    status: row.status,
    fields: row.fields,
    authorised_markets: row.authorisedMarkets,
    recalled_lots: row.recalledLots.map((l) => ({
      lot: l.lot,
      recalled_at: isoOrNull(l.recalledAt),
      reason: l.reason,
    })),
    completeness: {
      score: row.completenessScore,
      band: row.completenessBand,
      recommendations: row.completenessRecommendations,
    },
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}
