// Products and their completeness (PRODUCT.md C4).
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CompletenessBand, CompletenessRecommendation } from '../../catalog/completeness-score';
import type { ProductFields } from '../../catalog/product-fields';
import { brands, organizations } from './accounts';

export const PRODUCT_STATUSES = ['active', 'recalled', 'discontinued'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export interface RecalledLot {
  lot: string;
  /** Epoch ms; null when the brand did not say. */
  recalledAt: number | null;
  reason: string | null;
}

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    brandId: text('brand_id').references(() => brands.id, { onDelete: 'set null' }),
    /** Always 14 digits: a GTIN-8/12/13 is left-padded with zeros (GS1 General Specifications 3.3.2). */
    gtin: text('gtin').notNull(),
    status: text('status', { enum: PRODUCT_STATUSES }).notNull(),
    /** Every content field with its value, source and confidence: `{"name":{"value":…,"source":"brand","confidence":1}}`. */
    fields: text('fields', { mode: 'json' }).$type<ProductFields>().notNull(),
    /** ISO 3166-1 alpha-2 codes, sorted; empty = no market restriction recorded. */
    authorisedMarkets: text('authorised_markets', { mode: 'json' }).$type<string[]>().notNull(),
    recalledLots: text('recalled_lots', { mode: 'json' }).$type<RecalledLot[]>().notNull(),
    /** Recomputed from `fields` on every write (src/catalog/completeness-score.ts). */
    completenessScore: integer('completeness_score').notNull(),
    completenessBand: text('completeness_band').$type<CompletenessBand>().notNull(),
    completenessRecommendations: text('completeness_recommendations', { mode: 'json' })
      .$type<CompletenessRecommendation[]>()
      .notNull(),
    // Read from `fields` by SQLite itself, so filters and indexes never disagree with the JSON.
    name: text('name').generatedAlwaysAs(sql`json_extract(fields, '$.name.value')`, { mode: 'virtual' }),
    category: text('category').generatedAlwaysAs(sql`json_extract(fields, '$.category.value')`, {
      mode: 'virtual',
    }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // One product per GTIN per organisation; also the keyset order of product lists.
    uniqueIndex('products_org_gtin').on(t.orgId, t.gtin),
    // Resolver and search look products up by GTIN alone.
    index('products_gtin').on(t.gtin),
  ],
);

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
