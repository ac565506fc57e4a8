// Public search's logs (PRODUCT.md C6), read by the dashboard's search performance (C7) and the
// impressions export (C8). Append-only, like scan_events: no foreign keys, so a log row outlives
// nothing it must stay consistent with and a write never waits on a lookup.
//
// The full-text index over products (`products_fts`, FTS5, kept in sync by triggers) and the
// view it reads are not drizzle tables: they live in the custom migration `*_search_fts.sql`.
// Searcher locations are rounded to 0.01° (about 1 km) before they are stored.
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const SEARCH_QUERY_KINDS = ['text', 'gtin'] as const;
export type SearchQueryKind = (typeof SEARCH_QUERY_KINDS)[number];

/** One results page shown: what was asked, where (rounded), and how many results there were in all. */
export const searches = sqliteTable(
  'searches',
  {
    /** UUIDv7 (time-ordered): the `<search id>` of click URLs. */
    id: text('id').primaryKey(),
    /** Normalised: the searched words, lower-case, one space apart; or `gtin:<14 digits>`. */
    query: text('query').notNull(),
    queryKind: text('query_kind', { enum: SEARCH_QUERY_KINDS }).notNull(),
    /** Every ranked result of the query, not just this page's. */
    resultCount: integer('result_count').notNull(),
    /** Results shown on this page (each one an impression). */
    shownCount: integer('shown_count').notNull(),
    latitude: real('latitude').notNull(),
    longitude: real('longitude').notNull(),
    radiusKm: real('radius_km').notNull(),
    inStockOnly: integer('in_stock_only', { mode: 'boolean' }).notNull(),
    searchedAt: integer('searched_at').notNull(),
  },
  (t) => [index('searches_time').on(t.searchedAt)],
);

/** Each result shown, at its absolute position (page 2 of 20 starts at 21). */
export const searchImpressions = sqliteTable(
  'search_impressions',
  {
    searchId: text('search_id').notNull(),
    position: integer('position').notNull(),
    gtin: text('gtin').notNull(),
    /** The organisation whose product was shown (the GTIN's owner). */
    orgId: text('org_id').notNull(),
    query: text('query').notNull(),
    latitude: real('latitude').notNull(),
    longitude: real('longitude').notNull(),
    /** Great-circle km to the nearest store with it in stock, else to the nearest that lists it; null: none in the radius. */
    nearestStoreKm: real('nearest_store_km'),
    /** Whether a store in the radius had it in stock (the result ranked among "available nearby"). */
    inStockNearby: integer('in_stock_nearby', { mode: 'boolean' }).notNull(),
    shownAt: integer('shown_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.searchId, t.position] }),
    // The dashboard's reads (issue 8): an organisation's impressions over time, per product.
    index('search_impressions_org_time').on(t.orgId, t.shownAt),
    index('search_impressions_org_gtin_time').on(t.orgId, t.gtin, t.shownAt),
  ],
);

/** A followed click URL; at most one per impression (search id + position). */
export const searchClicks = sqliteTable(
  'search_clicks',
  {
    searchId: text('search_id').notNull(),
    position: integer('position').notNull(),
    gtin: text('gtin').notNull(),
    orgId: text('org_id').notNull(),
    query: text('query').notNull(),
    /** When the impression was shown, so click-through can be counted by impression time. */
    shownAt: integer('shown_at').notNull(),
    clickedAt: integer('clicked_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.searchId, t.position] }),
    index('search_clicks_org_time').on(t.orgId, t.clickedAt),
    index('search_clicks_org_gtin_time').on(t.orgId, t.gtin, t.clickedAt),
  ],
);

export type SearchRow = typeof searches.$inferSelect;
export type SearchImpressionRow = typeof searchImpressions.$inferSelect;
export type SearchClickRow = typeof searchClicks.$inferSelect;
