// The products a query matches, each with the stores near the searcher that list it: one D1
// statement, so one round trip. Exact distances and the order are worked out in code
// (rank-results.ts); SQL only narrows:
// - products: the MAX_CANDIDATES best FTS5 matches (bm25 with name weighted highest) among active
//   products, or the products with the GTIN;
// - stores: a bounding box on locations_lat_lng (latitude range, longitude checked in the index),
//   then a flat-earth distance that never overstates (great-circle.ts) against the radius, before
//   any inventory is read;
// - per GTIN, the STORES_FETCHED nearest such stores, those with stock first, so a popular product
//   in a dense city brings back a handful of rows, not every store that has it.
import { boundingBox, KM_PER_DEGREE, type Point } from './great-circle';
import type { Candidate, CandidateStore } from './rank-results';
import type { SearchQuery } from './search-query';

/** Products considered per query: past the 200th best match, a query is too vague to rank by distance. */
export const MAX_CANDIDATES = 200;
/** A few more than STORES_PER_RESULT: the SQL distance is approximate, the final order exact. */
const STORES_FETCHED = 5;
/** bm25 weights of name, brand, description, category. */
const COLUMN_WEIGHTS = '10.0, 5.0, 1.0, 3.0';

const MATCH_TEXT = `SELECT f.rowid AS product_rowid, bm25(products_fts, ${COLUMN_WEIGHTS}) AS score
  FROM products_fts f JOIN products p ON p.rowid = f.rowid
  WHERE products_fts MATCH ?1 AND p.status = 'active'
  ORDER BY score LIMIT ${MAX_CANDIDATES}`;

const MATCH_GTIN = `SELECT rowid AS product_rowid, 0.0 AS score FROM products WHERE gtin = ?1 AND status = 'active'`;

// ?2 lat, ?3 lng, ?4 km per degree of latitude, ?5 of longitude, ?6 (radius km)², ?7–?8 latitude
// range, ?9–?12 two longitude ranges, ?13 1 = in stock only.
const statement = (match: string) => `
WITH matched AS MATERIALIZED (${match}),
candidates AS MATERIALIZED (
  SELECT p.gtin, p.org_id, p.id, p.created_at, m.score,
    json_extract(p.fields, '$.name.value') AS name,
    coalesce(json_extract(p.fields, '$.brand.value'), b.name) AS brand,
    json_extract(p.fields, '$.category.value') AS category,
    json_extract(p.fields, '$.images.value[0]') AS image,
    EXISTS (SELECT 1 FROM dl_entities d WHERE d.key_ai = '01' AND d.key_value = p.gtin AND d.org_id = p.org_id) AS owns_links
  FROM matched m JOIN products p ON p.rowid = m.product_rowid LEFT JOIN brands b ON b.id = p.brand_id
),
boxed AS (
  SELECT id, name, address_line1, city, postal_code, country, latitude, longitude,
    (latitude - ?2) * ?4 AS dy,
    (CASE WHEN longitude - ?3 > 180 THEN longitude - ?3 - 360 WHEN longitude - ?3 < -180 THEN longitude - ?3 + 360
      ELSE longitude - ?3 END) * ?5 AS dx
  FROM locations
  WHERE latitude BETWEEN ?7 AND ?8 AND (longitude BETWEEN ?9 AND ?10 OR longitude BETWEEN ?11 AND ?12)
),
nearby AS MATERIALIZED (SELECT *, dx * dx + dy * dy AS d2 FROM boxed WHERE dx * dx + dy * dy <= ?6),
stock AS MATERIALIZED (
  SELECT i.gtin, n.name, n.address_line1, n.city, n.postal_code, n.country, n.latitude, n.longitude,
    i.price, i.currency, i.status, i.synced_at,
    row_number() OVER (PARTITION BY i.gtin ORDER BY i.status = 'out_of_stock', n.d2) AS nearness
  FROM nearby n JOIN inventory i ON i.location_id = n.id
  WHERE i.gtin IN (SELECT gtin FROM candidates) AND (?13 = 0 OR i.status <> 'out_of_stock')
),
stores AS (
  SELECT gtin, json_group_array(json_array(name, address_line1, city, postal_code, country, latitude, longitude,
    price, currency, status, synced_at)) AS stores
  FROM stock WHERE nearness <= ${STORES_FETCHED} GROUP BY gtin
)
SELECT c.*, s.stores FROM candidates c LEFT JOIN stores s ON s.gtin = c.gtin`;

const TEXT_STATEMENT = statement(MATCH_TEXT);
const GTIN_STATEMENT = statement(MATCH_GTIN);

interface Row {
  gtin: string;
  org_id: string;
  id: string;
  created_at: number;
  score: number;
  name: unknown;
  brand: unknown;
  category: unknown;
  image: unknown;
  owns_links: number;
  stores: string | null;
}

type StoreTuple = [
  string,
  string,
  string,
  string | null,
  string,
  number,
  number,
  number | null,
  string | null,
  CandidateStore['status'],
  number,
];

/** Only text is shown as text, only absolute http(s) URLs as images, whatever the stored JSON holds. */
const textOrNull = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
const webUrl = (value: unknown) => (typeof value === 'string' && /^https?:\/\//i.test(value) ? value : null);

export async function findCandidates(
  db: D1Database,
  query: SearchQuery,
  center: Point,
  radiusKm: number,
  inStockOnly: boolean,
): Promise<Candidate[]> {
  const box = boundingBox(center, radiusKm);
  const [west, east = [1, 0]] = box.lngRanges; // an empty second range when the box does not wrap
  const margin = radiusKm * 1.01; // float and flat-earth slack; rank-results.ts filters exactly
  const { results } = await db
    .prepare(query.kind === 'text' ? TEXT_STATEMENT : GTIN_STATEMENT)
    .bind(
      query.kind === 'text' ? query.match : query.gtin,
      center.lat,
      center.lng,
      KM_PER_DEGREE,
      box.kmPerDegreeLng,
      margin * margin,
      box.minLat,
      box.maxLat,
      west![0],
      west![1],
      east[0],
      east[1],
      inStockOnly ? 1 : 0,
    )
    .all<Row>();
  return results.map((r) => ({
    gtin: r.gtin,
    orgId: r.org_id,
    productId: r.id,
    createdAt: r.created_at,
    ownsLinks: r.owns_links === 1,
    name: textOrNull(r.name),
    brand: textOrNull(r.brand),
    category: textOrNull(r.category),
    image: webUrl(r.image),
    score: r.score,
    stores:
      r.stores === null
        ? []
        : (JSON.parse(r.stores) as StoreTuple[]).map(
            ([
              name,
              line1,
              city,
              postalCode,
              country,
              lat,
              lng,
              price,
              currency,
              status,
              syncedAt,
            ]): CandidateStore => ({
              name,
              line1,
              city,
              postalCode,
              country,
              lat,
              lng,
              price,
              currency,
              status,
              syncedAt,
            }),
          ),
  }));
}
