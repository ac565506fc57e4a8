// Dashboard reads of the scan roll-ups. Every query is bounded by organisation and a range of
// buckets (`bucket`, epoch ms of the bucket's UTC start) on the primary key. Unfiltered totals and
// series read the per-organisation table (one row per quarter-hour and bot flag, kept whole);
// filtered ones and breakdowns read the per-key quarter-hours of the recent window and the daily
// tier before it (src/storage/rollup-compaction.ts) together: a row is in one tier at a time, and
// a day of the daily tier counts when its UTC midnight is in the range.
import type { Filters } from './analytics-filters';
import type { GeoCount } from './geo-grid';
import type { Count } from './top-n';

type Table = 'scan_rollup_hourly' | 'scan_rollup_dims' | 'scan_rollup_org_hourly';

/** Each quarter-hour table's daily tier (null: kept at quarter-hours). */
const DAILY_TIER: Record<Table, string | null> = {
  scan_rollup_hourly: 'scan_rollup_daily',
  scan_rollup_dims: 'scan_rollup_dims_daily',
  scan_rollup_org_hourly: null,
};

export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...params: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  get sql(): string {
    return this.clauses.join(' AND ');
  }
}

/** The dimension table has no lot column: the routes refuse a lot filter on its breakdowns. */
export const LOT_FILTERABLE: Record<Table, boolean> = {
  scan_rollup_hourly: true,
  scan_rollup_dims: false,
  scan_rollup_org_hourly: false,
};

/**
 * Scan counts by bucket come from scan_rollup_org_hourly when no filter needs the key, lot or
 * country: at a million scans over 90 days, scan_rollup_hourly holds ~300 rows per hour for one
 * organisation, and reading them made the overview and the series grow with the scans.
 */
const hourlyTable = (f: Filters): Table =>
  f.gtin || f.lot || f.country ? 'scan_rollup_hourly' : 'scan_rollup_org_hourly';

/**
 * The shared filters (GTIN, lot, country, bots) on any scan table: the roll-ups and scan_events
 * name these columns alike. `lot` is skipped where the table has none.
 */
export function addScanFilters(w: Where, f: Filters, withLot = true): Where {
  if (f.gtin) w.add("key_ai = '01'").add('key_value = ?', f.gtin);
  if (f.lot && withLot) w.add('lot = ?', f.lot);
  if (f.country) w.add('country = ?', f.country);
  if (f.bots !== 'include') w.add(`is_bot = ${f.bots === 'only' ? 1 : 0}`);
  return w;
}

function where(f: Filters, table: Table): Where {
  const w = new Where().add('org_id = ?', f.orgId).add('bucket >= ?', f.fromMs).add('bucket < ?', f.toMs);
  return addScanFilters(w, f, LOT_FILTERABLE[table]);
}

/**
 * `SELECT <columns> FROM <table> WHERE <filters>` over a quarter-hour table and its daily tier, as
 * one UNION ALL with the parameters of both. The organisation-wide dimension tier has no key: a
 * GTIN-filtered breakdown reads the quarter-hours of the recent window only.
 */
export function tiers(
  f: Filters,
  table: Table,
  columns: string,
  extra?: Where,
): { sql: string; params: unknown[] } {
  const parts = [table, DAILY_TIER[table]].filter(
    (t): t is string => t !== null && !(t === 'scan_rollup_dims_daily' && f.gtin),
  );
  const params: unknown[] = [];
  const sql = parts
    .map((t) => {
      const w = where(f, table);
      if (extra) w.add(extra.sql, ...extra.params);
      params.push(...w.params);
      return `SELECT ${columns} FROM ${t} WHERE ${w.sql}`;
    })
    .join(' UNION ALL ');
  return { sql, params };
}

/** Scans per bucket start (epoch ms) in the range: quarter-hours, and UTC days past the window. */
export async function scansPerBucket(db: D1Database, f: Filters): Promise<Map<number, number>> {
  const q = tiers(f, hourlyTable(f), 'bucket, scans');
  const { results } = await db
    .prepare(`SELECT bucket, sum(scans) AS scans FROM (${q.sql}) GROUP BY bucket`)
    .bind(...q.params)
    .all<{ bucket: number; scans: number }>();
  return new Map(results.map((r) => [r.bucket, r.scans]));
}

export async function totalScans(db: D1Database, f: Filters): Promise<number> {
  const q = tiers(f, hourlyTable(f), 'scans');
  const row = await db
    .prepare(`SELECT coalesce(sum(scans), 0) AS n FROM (${q.sql})`)
    .bind(...q.params)
    .first<number>('n');
  return row ?? 0;
}

/** product, lot and country come from scan_rollup_hourly; the rest from the dimension table. */
export const HOURLY_BREAKDOWNS = { product: 'key_value', lot: 'lot', country: 'country' } as const;
export const DIMENSION_BREAKDOWNS = [
  'region',
  'city',
  'referrer',
  'app',
  'device',
  'link_type',
  'outcome',
  'rule',
] as const;
export type Breakdown = keyof typeof HOURLY_BREAKDOWNS | (typeof DIMENSION_BREAKDOWNS)[number];

export async function breakdown(db: D1Database, f: Filters, by: Breakdown): Promise<Count[]> {
  if (by in HOURLY_BREAKDOWNS) {
    const column = HOURLY_BREAKDOWNS[by as keyof typeof HOURLY_BREAKDOWNS];
    const q = tiers(f, 'scan_rollup_hourly', `${column} AS value, scans`);
    const { results } = await db
      .prepare(`SELECT value, sum(scans) AS scans FROM (${q.sql}) GROUP BY value`)
      .bind(...q.params)
      .all<Count>();
    return results.map((r) => ({ value: r.value === '' ? 'unknown' : r.value, scans: r.scans }));
  }
  return dimensionCounts(db, f, by);
}

export async function dimensionCounts(db: D1Database, f: Filters, dim: string): Promise<Count[]> {
  const q = tiers(f, 'scan_rollup_dims', 'value, scans', new Where().add('dim = ?', dim));
  const { results } = await db
    .prepare(`SELECT value, sum(scans) AS scans FROM (${q.sql}) GROUP BY value`)
    .bind(...q.params)
    .all<Count>();
  return results;
}

/** Map cells with their country (the roll-up column), for points named after their place. */
export async function geoCounts(db: D1Database, f: Filters): Promise<GeoCount[]> {
  const q = tiers(f, 'scan_rollup_dims', 'value, country, scans', new Where().add("dim = 'geo'"));
  const { results } = await db
    .prepare(`SELECT value, country, sum(scans) AS scans FROM (${q.sql}) GROUP BY value, country`)
    .bind(...q.params)
    .all<GeoCount>();
  return results;
}

export interface SerialCount {
  gtin: string;
  serial: string;
  lot: string;
  scans: number;
  first_at: number;
  last_at: number;
}

/** Per-serial totals are kept whole, not per time bucket: a serial counts when its scans overlap the range. */
export async function serialCounts(db: D1Database, f: Filters, limit: number): Promise<SerialCount[]> {
  const w = new Where().add('org_id = ?', f.orgId).add('last_at >= ?', f.fromMs).add('first_at < ?', f.toMs);
  if (f.gtin) w.add('key_value = ?', f.gtin);
  if (f.lot) w.add('lot = ?', f.lot);
  const { results } = await db
    .prepare(
      `SELECT key_value AS gtin, serial, max(lot) AS lot, sum(scans) AS scans, min(first_at) AS first_at, max(last_at) AS last_at
       FROM scan_rollup_serials WHERE ${w.sql} GROUP BY key_value, serial ORDER BY scans DESC, serial LIMIT ?`,
    )
    .bind(...w.params, limit)
    .all<SerialCount>();
  return results;
}
