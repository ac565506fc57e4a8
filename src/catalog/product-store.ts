// Products in D1: the products API's list and writes, lookup by id or GTIN, checks of referenced
// brands, and the all-or-nothing bulk upsert.
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { jsonChunks } from '../db/json-chunks';
import { type Product, type ProductStatus, products } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import type { CompletenessBand } from './completeness-score';
import { normaliseGtin } from './gtin';
import type { ProductRecord } from './product-record';

export { PRODUCT_STATUSES } from '../db/schema';

export interface ProductFilter {
  status?: ProductStatus;
  brandId?: string;
  category?: string;
  band?: CompletenessBand;
  /** Case-insensitive substring of the product name. */
  nameContains?: string;
  gtin?: string;
  /** Keyset: the GTIN of the last row of the previous page. */
  afterGtin?: string;
  limit: number;
}

/** In GTIN order; `limit + 1` rows so the caller can tell whether another page follows. */
export async function listProducts(d1: D1Database, orgId: string, f: ProductFilter): Promise<Product[]> {
  const filters: (SQL | undefined)[] = [
    eq(products.orgId, orgId),
    f.status ? eq(products.status, f.status) : undefined,
    f.brandId ? eq(products.brandId, f.brandId) : undefined,
    f.category ? eq(products.category, f.category) : undefined,
    f.band ? eq(products.completenessBand, f.band) : undefined,
    f.nameContains ? sql`instr(lower(${products.name}), lower(${f.nameContains})) > 0` : undefined,
    f.gtin ? eq(products.gtin, f.gtin) : undefined,
    f.afterGtin !== undefined ? gt(products.gtin, f.afterGtin) : undefined,
  ];
  return database(d1)
    .select()
    .from(products)
    .where(and(...filters))
    .orderBy(asc(products.gtin))
    .limit(f.limit + 1)
    .all();
}

/** The GTINs of every product of the organisation, in order. */
export async function productGtins(d1: D1Database, orgId: string): Promise<string[]> {
  const { results } = await d1
    .prepare('SELECT gtin FROM products WHERE org_id = ? ORDER BY gtin')
    .bind(orgId)
    .all<{ gtin: string }>();
  return results.map((r) => r.gtin);
}

/** A product of the organisation by id (`prd_…`) or by GTIN (8–14 digits); else 404. */
export async function findProduct(d1: D1Database, orgId: string, ref: string): Promise<ProductRecord> {
  let where = eq(products.id, ref);
  if (/^\d+$/.test(ref)) {
    const result = normaliseGtin(ref);
    if ('error' in result)
      throw new ApiError('validation_failed', 'The path is not valid', [
        { path: 'id', message: result.error },
      ]);
    where = eq(products.gtin, result.gtin);
  }
  const row = await database(d1).query.products.findFirst({
    where: and(where, eq(products.orgId, orgId)),
    columns: { name: false, category: false }, // generated from `fields`; never written back
  });
  if (!row) throw notFound('Product');
  return row;
}

/** A UNIQUE violation (an existing GTIN) is left to the caller to turn into a conflict. */
export async function insertProduct(d1: D1Database, row: ProductRecord): Promise<void> {
  await database(d1).insert(products).values(row).run();
}

/** Writes every column of `row` but its id, organisation, GTIN and creation time. */
export async function updateProduct(d1: D1Database, orgId: string, row: ProductRecord): Promise<void> {
  const { id, orgId: _org, gtin: _gtin, createdAt: _created, ...changes } = row;
  await database(d1)
    .update(products)
    .set(changes)
    .where(and(eq(products.id, id), eq(products.orgId, orgId)))
    .run();
}

export async function deleteProduct(d1: D1Database, orgId: string, id: string): Promise<void> {
  await database(d1)
    .delete(products)
    .where(and(eq(products.id, id), eq(products.orgId, orgId)))
    .run();
}

/** 404 naming every brand id that is not one of the organisation's brands. */
export async function assertBrandsExist(
  d1: D1Database,
  orgId: string,
  brandIds: Iterable<string | null | undefined>,
) {
  const wanted = [...new Set([...brandIds].filter((id): id is string => !!id))];
  if (wanted.length === 0) return;
  const { results } = await d1
    .prepare('SELECT id FROM brands WHERE org_id = ?1 AND id IN (SELECT value FROM json_each(?2))')
    .bind(orgId, JSON.stringify(wanted))
    .all<{ id: string }>();
  const found = new Set(results.map((r) => r.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError('not_found', `Brand ${missing.join(', ')} not found`, { brand_ids: missing });
  }
}

// Inserts or replaces products by (org, GTIN), keeping the id and creation time of products that
// exist. `WHERE true` resolves SQLite's INSERT … SELECT … ON CONFLICT parsing ambiguity.
const UPSERT_PRODUCTS = `
  INSERT INTO products (id, org_id, brand_id, gtin, status, fields, authorised_markets, recalled_lots,
    completeness_score, completeness_band, completeness_recommendations, created_at, updated_at)
  SELECT value ->> 'id', value ->> 'orgId', value ->> 'brandId', value ->> 'gtin', value ->> 'status',
    value ->> 'fields', value ->> 'authorisedMarkets', value ->> 'recalledLots', value ->> 'completenessScore',
    value ->> 'completenessBand', value ->> 'completenessRecommendations', value ->> 'createdAt', value ->> 'updatedAt'
  FROM json_each(?1) WHERE true
  ON CONFLICT (org_id, gtin) DO UPDATE SET
    brand_id = excluded.brand_id, status = excluded.status, fields = excluded.fields,
    authorised_markets = excluded.authorised_markets, recalled_lots = excluded.recalled_lots,
    completeness_score = excluded.completeness_score, completeness_band = excluded.completeness_band,
    completeness_recommendations = excluded.completeness_recommendations, updated_at = excluded.updated_at
  RETURNING id`;

/**
 * Writes every row in one D1 batch, which D1 runs as a single transaction: all rows land or none.
 * Returns how many were new (their generated id survived) and how many replaced a product.
 */
export async function bulkUpsertProducts(
  d1: D1Database,
  rows: ProductRecord[],
): Promise<{ created: number; updated: number }> {
  const statement = d1.prepare(UPSERT_PRODUCTS);
  const results = await d1.batch<{ id: string }>(jsonChunks(rows).map((chunk) => statement.bind(chunk)));
  const newIds = new Set(rows.map((r) => r.id));
  const created = results.reduce((n, r) => n + r.results.filter((row) => newIds.has(row.id)).length, 0);
  return { created, updated: rows.length - created };
}

/** Status and recalled lots of the organisation's products with these GTINs (what a recall event compares with). */
export async function recallStatesOf(
  d1: D1Database,
  orgId: string,
  gtins: readonly string[],
): Promise<Map<string, Pick<ProductRecord, 'id' | 'createdAt' | 'status' | 'recalledLots'>>> {
  const statement = d1.prepare(
    `SELECT id, created_at, gtin, status, recalled_lots FROM products
     WHERE org_id = ?1 AND gtin IN (SELECT value FROM json_each(?2))`,
  );
  const results = await d1.batch<{
    id: string;
    created_at: number;
    gtin: string;
    status: ProductStatus;
    recalled_lots: string;
  }>(jsonChunks(gtins).map((chunk) => statement.bind(orgId, chunk)));
  return new Map(
    results.flatMap((r) =>
      r.results.map((row) => [
        row.gtin,
        {
          id: row.id,
          createdAt: row.created_at,
          status: row.status,
          recalledLots: JSON.parse(row.recalled_lots) as ProductRecord['recalledLots'],
        },
      ]),
    ),
  );
}
