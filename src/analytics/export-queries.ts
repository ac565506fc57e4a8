// Keyset pages for the CSV exports (C8): each reads the rows after a cursor, in index order.
import type { Filters } from './analytics-filters';
import type { CompletenessRow } from './product-queries';
import { SCAN_EXPORT_COLUMNS } from './scan-export-columns';
import { addScanFilters, Where } from './scan-queries';

/** A scan_events row as the export reads it, keyed by CSV header. */
export type ScanExportRow = Record<string, unknown> & { id: string; occurred_at: number };

const SCAN_EXPORT_SELECT = SCAN_EXPORT_COLUMNS.map((c) =>
  c.header === c.column ? c.column : `${c.column} AS ${c.header}`,
).join(', ');

/** scan_events, or (until the backfill has emptied it) the rows D1 held before migration 0018. */
export type ScanEventTable = 'scan_events' | 'scan_events_legacy';

export async function scanEventPage(
  db: D1Database,
  f: Filters,
  cursor: [number, string] | undefined,
  limit: number,
  table: ScanEventTable = 'scan_events',
): Promise<ScanExportRow[]> {
  const filters = addScanFilters(new Where(), f);
  const filter = filters.clauses.map((c) => ` AND ${c}`).join('');
  // Keyset on (occurred_at, id), the order of the tables' (org_id, occurred_at, id) index. After the first
  // page the lower bound is the cursor's instant, not the range's start: SQLite seeks the index
  // with `occurred_at >= ?` and only filters with the row value, so from the range's start
  // every page re-read every row before it (a 1M-row export read ~500M index entries).
  const after = cursor ? ' AND (occurred_at, id) > (?, ?)' : '';
  const { results } = await db
    .prepare(
      `SELECT ${SCAN_EXPORT_SELECT}
       FROM ${table} WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?${filter}${after}
       ORDER BY occurred_at, id LIMIT ?`,
    )
    .bind(f.orgId, cursor ? cursor[0] : f.fromMs, f.toMs, ...filters.params, ...(cursor ?? []), limit)
    .all<ScanExportRow>();
  return results;
}

export interface ImpressionRow {
  search_id: string;
  position: number;
  shown_at: number;
  gtin: string;
  query: string;
  latitude: number;
  longitude: number;
  nearest_store_km: number | null;
  in_stock_nearby: number;
  clicked: number;
}

export async function impressionPage(
  db: D1Database,
  f: Filters,
  cursor: [number, string, number] | undefined,
  limit: number,
): Promise<ImpressionRow[]> {
  const gtin = f.gtin ? ' AND i.gtin = ?' : '';
  // As for scans: the cursor's instant is the index's lower bound, the row value only breaks ties.
  const after = cursor ? ' AND (i.shown_at, i.search_id, i.position) > (?, ?, ?)' : '';
  const { results } = await db
    .prepare(
      `SELECT i.search_id, i.position, i.shown_at, i.gtin, i.query, i.latitude, i.longitude, i.nearest_store_km, i.in_stock_nearby,
         c.search_id IS NOT NULL AS clicked
       FROM search_impressions i LEFT JOIN search_clicks c ON c.search_id = i.search_id AND c.position = i.position
       WHERE i.org_id = ? AND i.shown_at >= ? AND i.shown_at < ?${gtin}${after}
       ORDER BY i.shown_at, i.search_id, i.position LIMIT ?`,
    )
    .bind(
      f.orgId,
      cursor ? cursor[0] : f.fromMs,
      f.toMs,
      ...(f.gtin ? [f.gtin] : []),
      ...(cursor ?? []),
      limit,
    )
    .all<ImpressionRow>();
  return results;
}

export type CompletenessExportRow = CompletenessRow & { status: string };

export async function completenessPage(
  db: D1Database,
  orgId: string,
  afterGtin: string | undefined,
  limit: number,
): Promise<CompletenessExportRow[]> {
  const { results } = await db
    .prepare(
      `SELECT gtin, name, status, completeness_score, completeness_band, completeness_recommendations FROM products
       WHERE org_id = ? AND gtin > ? ORDER BY gtin LIMIT ?`,
    )
    .bind(orgId, afterGtin ?? '', limit)
    .all<CompletenessExportRow>();
  return results;
}

/** Whether the organisation still has rows in the legacy table (the backfill is not done). */
export async function hasLegacyEvents(db: D1Database, orgId: string): Promise<boolean> {
  return (
    (await db
      .prepare('SELECT 1 AS x FROM scan_events_legacy WHERE org_id = ? LIMIT 1')
      .bind(orgId)
      .first()) !== null
  );
}
