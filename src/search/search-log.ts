// Writes what searches showed (searches + search_impressions) off the response path, batched
// across the requests an isolate serves, as scans are (src/scans/scan-recorder.ts): the first
// search of a batch keeps it open for SEARCH_LOG_BATCH_MS with waitUntil, every search in that
// window joins it, and the batch goes to D1 as one `batch()` call, one transaction, whose
// statements carry the rows as JSON expanded by json_each (D1 binds at most 100 parameters).
// A write per search would make D1's single writer the limit of search throughput: under load one
// batch replaces dozens of searches' writes (bench/RESULTS.md, search).
import { jsonChunks } from '../db/json-chunks';
import type { RankedResult } from './rank-results';
import type { SearchQuery } from './search-query';

const DEFAULT_WINDOW_MS = 250;
/** Past this many searches a batch is sent at once and later searches open the next. */
const MAX_BATCH = 100;
const ATTEMPTS = 3;

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

// OR IGNORE: a retried batch (the first try may have landed before its answer was lost) adds nothing.
const INSERT_SEARCHES = `INSERT OR IGNORE INTO searches (id, query, query_kind, result_count, shown_count, latitude, longitude,
    radius_km, in_stock_only, searched_at)
  SELECT ${Array.from({ length: 10 }, (_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?1)`;

const INSERT_IMPRESSIONS = `INSERT OR IGNORE INTO search_impressions (search_id, position, gtin, org_id, query, latitude, longitude,
    nearest_store_km, in_stock_nearby, shown_at)
  SELECT ${Array.from({ length: 10 }, (_, i) => `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?1)`;

export function searchLogStatements(db: D1Database, logs: SearchLog[]): D1PreparedStatement[] {
  const searches: unknown[][] = [];
  const impressions: unknown[][] = [];
  for (const log of logs) {
    const [lat, lng, query] = [roundCoordinate(log.lat), roundCoordinate(log.lng), log.query.normalised];
    searches.push([
      log.id,
      query,
      log.query.kind,
      log.resultCount,
      log.shown.length,
      lat,
      lng,
      log.radiusKm,
      log.inStockOnly ? 1 : 0,
      log.at,
    ]);
    for (const { position, result } of log.shown) {
      const km = result.nearestStoreKm === null ? null : Math.round(result.nearestStoreKm * 1000) / 1000;
      impressions.push([
        log.id,
        position,
        result.gtin,
        result.orgId,
        query,
        lat,
        lng,
        km,
        result.availableNearby ? 1 : 0,
        log.at,
      ]);
    }
  }
  return [
    ...jsonChunks(searches).map((chunk) => db.prepare(INSERT_SEARCHES).bind(chunk)),
    ...jsonChunks(impressions).map((chunk) => db.prepare(INSERT_IMPRESSIONS).bind(chunk)),
  ];
}

interface Batch {
  db: D1Database;
  logs: SearchLog[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SearchLogBatcher {
  private open: Batch | null = null;
  /** Searches this isolate could not log after every retry (for tests and logs). */
  lost = 0;

  /** `windowMs` 0 writes each search on its own, right after its response. */
  add(db: D1Database, ctx: Pick<ExecutionContext, 'waitUntil'>, windowMs: number, log: SearchLog): void {
    if (this.open && this.open.db === db) {
      this.open.logs.push(log);
      if (this.open.logs.length >= MAX_BATCH) this.open = null; // full: it is sent when its window ends
      return;
    }
    const batch: Batch = { db, logs: [log] };
    this.open = batch;
    ctx.waitUntil((windowMs > 0 ? sleep(windowMs) : Promise.resolve()).then(() => this.send(batch)));
  }

  private async send(batch: Batch): Promise<void> {
    if (this.open === batch) this.open = null;
    for (let attempt = 1; ; attempt++) {
      try {
        await batch.db.batch(searchLogStatements(batch.db, batch.logs));
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) {
          this.lost += batch.logs.length;
          console.error('searches not logged', { searches: batch.logs.length, error: String(err) });
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  }
}

/** One per isolate: batching only helps if every request in the isolate shares it. */
export const searchLogBatcher = new SearchLogBatcher();

/** SEARCH_LOG_BATCH_MS from [vars]: 0–5,000 ms, else the default. */
export function searchLogWindowMs(env: Pick<Env, 'SEARCH_LOG_BATCH_MS'>): number {
  const ms = Number(env.SEARCH_LOG_BATCH_MS);
  return env.SEARCH_LOG_BATCH_MS !== '' && Number.isInteger(ms) && ms >= 0 && ms <= 5_000
    ? ms
    : DEFAULT_WINDOW_MS;
}

const FIND_IMPRESSION = 'SELECT gtin FROM search_impressions WHERE search_id = ?1 AND position = ?2';
// Copies the impression, so a click can only be recorded for something that was shown; the
// primary key (search, position) makes a second click on the same result a no-op.
const RECORD_CLICK = `INSERT INTO search_clicks (search_id, position, gtin, org_id, query, shown_at, clicked_at)
  SELECT search_id, position, gtin, org_id, query, shown_at, ?3 FROM search_impressions WHERE search_id = ?1 AND position = ?2
  ON CONFLICT (search_id, position) DO NOTHING`;

/** The GTIN shown at that position of that search (and the click recorded), or null if it never was. */
export async function recordClick(
  db: D1Database,
  searchId: string,
  position: number,
  at: number,
): Promise<string | null> {
  const [found] = await db.batch<{ gtin: string }>([
    db.prepare(FIND_IMPRESSION).bind(searchId, position),
    db.prepare(RECORD_CLICK).bind(searchId, position, at),
  ]);
  return found?.results[0]?.gtin ?? null;
}
