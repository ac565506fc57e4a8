// Roll-ups past the recent window move to coarser tiers (ARCHITECTURE.md, "Scan storage"): the
// cron (src/index.ts, hourly) sums each organisation's quarter-hour rows older than its recent
// window (storage_settings.raw_recent_days, the cut-off retention gives raw events) into UTC days —
// scan_rollup_hourly into scan_rollup_daily (per key, country, lot; shards summed) and
// scan_rollup_dims into scan_rollup_dims_daily (per organisation, keys summed) — and deletes what
// it summed, one UTC hour per D1 batch (one transaction): a row is in one tier at any time, so
// readers add both tiers and never count a scan twice or miss one. Increments that arrive for an
// hour already moved (a flush held back that long) land in the quarter-hour tier and move next run.
// scan_rollup_org_hourly stays at quarter-hours: unfiltered series stay exact in every zone.
import { SCAN_DIMENSIONS } from '../scans/scan-counter-schema';
import { HOUR_MS, hourOf, utcDay } from '../scans/scan-dimensions';

const DAY_MS = 86_400_000;
/**
 * Every dimension, as SQL. The dimension tables' keys put `dim` before the time, so naming them
 * all lets SQLite seek each one's time range instead of reading all the organisation's rows.
 */
export const ALL_DIMENSIONS = `dim IN (${SCAN_DIMENSIONS.map((d) => `'${d}'`).join(', ')})`;

export interface CompactionLimits {
  /** UTC hours moved per organisation per run (each one D1 batch). */
  hoursPerOrganization: number;
  /** D1 batches per run, all organisations together. */
  batches: number;
}

export const COMPACTION_LIMITS: CompactionLimits = { hoursPerOrganization: 48, batches: 200 };

// ?1 organisation, ?2 hour start, ?3 hour end, ?4 start of the hour's UTC day.
/** Sums an hour's quarter-hour rows into the daily tier (bench/storage.ts runs these alone). */
export const COPY_TO_DAILY = [
  `INSERT INTO scan_rollup_daily (org_id, bucket, key_ai, key_value, country, lot, is_bot, scans)
   SELECT org_id, ?4, key_ai, key_value, country, lot, is_bot, sum(scans) FROM scan_rollup_hourly
   WHERE org_id = ?1 AND bucket >= ?2 AND bucket < ?3 GROUP BY key_ai, key_value, country, lot, is_bot
   ON CONFLICT (org_id, bucket, key_ai, key_value, country, lot, is_bot) DO UPDATE SET scans = scans + excluded.scans`,
  `INSERT INTO scan_rollup_dims_daily (org_id, dim, bucket, value, country, is_bot, scans)
   SELECT org_id, dim, ?4, value, country, is_bot, sum(scans) FROM scan_rollup_dims
   WHERE org_id = ?1 AND ${ALL_DIMENSIONS} AND bucket >= ?2 AND bucket < ?3 GROUP BY dim, value, country, is_bot
   ON CONFLICT (org_id, dim, bucket, value, country, is_bot) DO UPDATE SET scans = scans + excluded.scans`,
];
/** Then deletes what it summed (D1 binds exactly as many parameters as SQL names: three). */
const DELETE_MOVED = [
  'DELETE FROM scan_rollup_hourly WHERE org_id = ?1 AND bucket >= ?2 AND bucket < ?3',
  `DELETE FROM scan_rollup_dims WHERE org_id = ?1 AND ${ALL_DIMENSIONS} AND bucket >= ?2 AND bucket < ?3`,
];

/** The statements that move one UTC hour of the organisation's quarter-hours to the daily tier. */
export function hourMoveStatements(
  db: D1Database,
  orgId: string,
  hour: number,
  options: { copyOnly?: boolean } = {},
): D1PreparedStatement[] {
  const day = utcDay(hour) * DAY_MS;
  const copy = COPY_TO_DAILY.map((sql) => db.prepare(sql).bind(orgId, hour, hour + HOUR_MS, day));
  if (options.copyOnly) return copy;
  return [...copy, ...DELETE_MOVED.map((sql) => db.prepare(sql).bind(orgId, hour, hour + HOUR_MS))];
}

/** The oldest quarter-hour either table holds before `cutoff`, as the start of its UTC hour. */
async function oldestHourBefore(db: D1Database, orgId: string, cutoff: number): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT min(b) AS b FROM (
         SELECT min(bucket) AS b FROM scan_rollup_hourly WHERE org_id = ?1 AND bucket < ?2
         UNION ALL SELECT min(bucket) FROM scan_rollup_dims WHERE org_id = ?1 AND ${ALL_DIMENSIONS} AND bucket < ?2)`,
    )
    .bind(orgId, cutoff)
    .first<{ b: number | null }>();
  const b = row?.b ?? null;
  return b === null ? null : hourOf(b);
}

export interface OrgCompaction {
  organization: string;
  /** UTC hours moved to the daily tier. */
  hours: number;
  /** Quarter-hour rows summed and deleted, per table. */
  rows: { scan_rollup_hourly: number; scan_rollup_dims: number };
  /** False when this run's bounds stopped before every hour past the cut-off had moved. */
  complete: boolean;
}

/**
 * Moves up to `limits.hoursPerOrganization` of the organisation's hours before `cutoff` (a UTC
 * midnight) into the daily tier, oldest first. `budget.batches` is shared by the run.
 */
export async function compactOrganization(
  db: D1Database,
  orgId: string,
  cutoff: number,
  limits: CompactionLimits,
  budget: { batches: number },
): Promise<OrgCompaction> {
  const out: OrgCompaction = {
    organization: orgId,
    hours: 0,
    rows: { scan_rollup_hourly: 0, scan_rollup_dims: 0 },
    complete: true,
  };
  for (let i = 0; ; i++) {
    const hour = await oldestHourBefore(db, orgId, cutoff);
    if (hour === null) return out;
    if (i >= limits.hoursPerOrganization || budget.batches <= 0) {
      out.complete = false;
      return out;
    }
    budget.batches--;
    const results = await db.batch(hourMoveStatements(db, orgId, hour));
    out.hours++;
    out.rows.scan_rollup_hourly += results[2]?.meta.changes ?? 0;
    out.rows.scan_rollup_dims += results[3]?.meta.changes ?? 0;
  }
}
