// Writes what a search showed (searches + search_impressions) after the response has gone
// (ctx.waitUntil), as one D1 batch per search: the search row, and every impression in one
// statement with the rows as a single JSON parameter expanded by json_each. D1 binds at most 100
// parameters, and a statement per impression would cost a D1 query per result shown.
import { jsonChunks } from '../db/json-chunks';
import type { RankedResult } from './rank-results';
import type { SearchQuery } from './search-query';

/** 0.01° is about 1.1 km of latitude: enough for "where do people search", never a doorstep. */
export const roundCoordinate = (degrees: number) => Math.round(degrees * 100) / 100;

export interface SearchLog {
  id: string;
  query: SearchQuery;
  lat: number;
  lng: number;
  radiusKm: number;
  inStockOnly: boolean;
  resultCount: number;
  /** The page shown, with each result's absolute position. */
  shown: { position: number; result: RankedResult }[];
  at: number;
}

const INSERT_SEARCH = `INSERT INTO searches (id, query, query_kind, result_count, shown_count, latitude, longitude, radius_km, in_stock_only, searched_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`;

const INSERT_IMPRESSIONS = `INSERT INTO search_impressions (search_id, position, gtin, org_id, query, latitude, longitude,
    nearest_store_km, in_stock_nearby, shown_at)
  SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ?2, ?3, ?4,
    json_extract(value, '$[3]'), json_extract(value, '$[4]'), ?5
  FROM json_each(?6)`;

export function searchLogStatements(db: D1Database, log: SearchLog): D1PreparedStatement[] {
  const lat = roundCoordinate(log.lat);
  const lng = roundCoordinate(log.lng);
  const query = log.query.normalised;
  const rows = log.shown.map(({ position, result }) => [
    position,
    result.gtin,
    result.orgId,
    result.nearestStoreKm === null ? null : Math.round(result.nearestStoreKm * 1000) / 1000,
    result.availableNearby ? 1 : 0,
  ]);
  return [
    db.prepare(INSERT_SEARCH).bind(log.id, query, log.query.kind, log.resultCount, log.shown.length, lat, lng, log.radiusKm, log.inStockOnly ? 1 : 0, log.at),
    // A page holds at most 50 results (a few KB): one chunk, one statement.
    ...jsonChunks(rows).map((chunk) => db.prepare(INSERT_IMPRESSIONS).bind(log.id, query, lat, lng, log.at, chunk)),
  ];
}

/** Off the response path: a failure is logged, never shown to the searcher. */
export async function writeSearchLog(db: D1Database, log: SearchLog): Promise<void> {
  try {
    await db.batch(searchLogStatements(db, log));
  } catch (err) {
    console.error('search not logged', { search: log.id, impressions: log.shown.length, error: String(err) });
  }
}

const FIND_IMPRESSION = 'SELECT gtin FROM search_impressions WHERE search_id = ?1 AND position = ?2';
// Copies the impression, so a click can only be recorded for something that was shown; the
// primary key (search, position) makes a second click on the same result a no-op.
const RECORD_CLICK = `INSERT INTO search_clicks (search_id, position, gtin, org_id, query, shown_at, clicked_at)
  SELECT search_id, position, gtin, org_id, query, shown_at, ?3 FROM search_impressions WHERE search_id = ?1 AND position = ?2
  ON CONFLICT (search_id, position) DO NOTHING`;

/** The GTIN shown at that position of that search (and the click recorded), or null if it never was. */
export async function recordClick(db: D1Database, searchId: string, position: number, at: number): Promise<string | null> {
  const [found] = await db.batch<{ gtin: string }>([
    db.prepare(FIND_IMPRESSION).bind(searchId, position),
    db.prepare(RECORD_CLICK).bind(searchId, position, at),
  ]);
  return found?.results[0]?.gtin ?? null;
}
