// Dashboard reads of the scan roll-ups. Every query is bounded by organisation and a range of
// 15-minute buckets (`bucket`, epoch ms of the UTC quarter-hour start) on an index. Unfiltered
// totals and series read the per-organisation table (one row per bucket and bot flag); filtered
// ones read the per-key rows, whose number per bucket grows with the GTINs, countries and lots
// scanned in it.
import type { Filters } from './analytics-filters';
import type { Count } from './top-n';

// As src/scans/scan-dimensions.ts counts (inlined: bench/lib/query-profile.ts imports this file in
// Node, which resolves no extensionless import).
const BUCKET_MS = 900_000;
const HOUR_MS = 3_600_000;

type Table = 'scan_rollup_hourly' | 'scan_rollup_dims' | 'scan_rollup_org_hourly';

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

/** Scans per 15-minute bucket start (epoch ms) in the range. */
export async function scansPerBucket(db: D1Database, f: Filters): Promise<Map<number, number>> {
  const table = hourlyTable(f);
  const w = where(f, table);
  const { results } = await db
    .prepare(`SELECT bucket, sum(scans) AS scans FROM ${table} WHERE ${w.sql} GROUP BY bucket`)
    .bind(...w.params)
    .all<{ bucket: number; scans: number }>();
  return new Map(results.map((r) => [r.bucket, r.scans]));
}

export async function totalScans(db: D1Database, f: Filters): Promise<number> {
  const table = hourlyTable(f);
  const w = where(f, table);
  const row = await db
    .prepare(`SELECT coalesce(sum(scans), 0) AS n FROM ${table} WHERE ${w.sql}`)
    .bind(...w.params)
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
    const w = where(f, 'scan_rollup_hourly');
    const { results } = await db
      .prepare(
        `SELECT ${column} AS value, sum(scans) AS scans FROM scan_rollup_hourly WHERE ${w.sql} GROUP BY ${column}`,
      )
      .bind(...w.params)
      .all<Count>();
    return results.map((r) => ({ value: r.value === '' ? 'unknown' : r.value, scans: r.scans }));
  }
  return dimensionCounts(db, f, by);
}

export async function dimensionCounts(db: D1Database, f: Filters, dim: string): Promise<Count[]> {
  const w = where(f, 'scan_rollup_dims');
  const { results } = await db
    .prepare(
      `SELECT value, sum(scans) AS scans FROM scan_rollup_dims WHERE dim = ? AND ${w.sql} GROUP BY value`,
    )
    .bind(dim, ...w.params)
    .all<Count>();
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

export interface RecallScans {
  gtin: string;
  lot: string;
  scans: number;
  lastHour: number | null;
}

/**
 * Scans of one lot since an instant (a recall), from the 15-minute roll-ups (from the bucket
 * holding the instant on), humans only. `lastHour` is the start of the UTC hour of the last scan.
 */
export async function scansSince(
  db: D1Database,
  orgId: string,
  gtin: string,
  lot: string,
  sinceMs: number,
): Promise<RecallScans> {
  const row = await db
    .prepare(
      `SELECT coalesce(sum(scans), 0) AS scans, max(bucket) AS last_bucket FROM scan_rollup_hourly
       WHERE org_id = ? AND key_ai = '01' AND key_value = ? AND lot = ? AND bucket >= ? AND is_bot = 0`,
    )
    .bind(orgId, gtin, lot, sinceMs - (sinceMs % BUCKET_MS))
    .first<{ scans: number; last_bucket: number | null }>();
  const last = row?.last_bucket ?? null;
  return { gtin, lot, scans: row?.scans ?? 0, lastHour: last === null ? null : last - (last % HOUR_MS) };
}
