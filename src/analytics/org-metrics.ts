// Average completeness and active locations: computed live, and kept as daily snapshots (by the
// cron only) so that a previous period can be compared (neither has a history of its own).
import { HOUR_MS, utcDay } from '../scans/scan-dimensions';

const DAY_MS = 86_400_000;
/** PRODUCT.md C5: an active location has inventory synced within the last 7 days. */
export const ACTIVE_LOCATION_WINDOW_MS = 7 * DAY_MS;

export interface OrgMetrics {
  averageCompleteness: number | null;
  products: number;
  activeLocations: number;
}

export async function liveOrgMetrics(db: D1Database, orgId: string, atMs: number): Promise<OrgMetrics> {
  const [completeness, active] = await db.batch([
    db
      .prepare('SELECT avg(completeness_score) AS avg, count(*) AS n FROM products WHERE org_id = ?')
      .bind(orgId),
    db
      .prepare(
        'SELECT count(DISTINCT location_id) AS n FROM inventory WHERE org_id = ? AND synced_at > ? AND synced_at <= ?',
      )
      .bind(orgId, atMs - ACTIVE_LOCATION_WINDOW_MS, atMs),
  ]);
  const c = completeness!.results[0] as { avg: number | null; n: number };
  const a = active!.results[0] as { n: number };
  return {
    averageCompleteness: c.avg === null ? null : Math.round(c.avg * 10) / 10,
    products: c.n,
    activeLocations: a.n,
  };
}

async function saveSnapshot(db: D1Database, orgId: string, atMs: number, metrics: OrgMetrics): Promise<void> {
  await db
    .prepare(
      `INSERT INTO org_daily_metrics (org_id, day, average_completeness, products, active_locations) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org_id, day) DO UPDATE SET average_completeness = excluded.average_completeness,
         products = excluded.products, active_locations = excluded.active_locations`,
    )
    .bind(orgId, utcDay(atMs), metrics.averageCompleteness, metrics.products, metrics.activeLocations)
    .run();
}

/** The latest snapshot on or before the day of `atMs`, if any. */
export async function snapshotAt(db: D1Database, orgId: string, atMs: number): Promise<OrgMetrics | null> {
  const row = await db
    .prepare(
      'SELECT average_completeness, products, active_locations FROM org_daily_metrics WHERE org_id = ? AND day <= ? ORDER BY day DESC LIMIT 1',
    )
    .bind(orgId, utcDay(atMs - 1))
    .first<{ average_completeness: number | null; products: number; active_locations: number }>();
  return row
    ? {
        averageCompleteness: row.average_completeness,
        products: row.products,
        activeLocations: row.active_locations,
      }
    : null;
}

/**
 * Org metrics at the end of a period, read-only (the cron writes the snapshots): live for a period
 * ending within the hour or later today, since today's snapshot is at best an hour old or not
 * written yet; else the snapshot of the period's last day.
 */
export async function orgMetricsAt(
  db: D1Database,
  orgId: string,
  atMs: number,
  now: number,
): Promise<OrgMetrics | null> {
  if (atMs >= now - HOUR_MS || utcDay(atMs - 1) >= utcDay(now)) return liveOrgMetrics(db, orgId, now);
  return snapshotAt(db, orgId, atMs);
}

/** Snapshots every organisation (the cron, hourly: a missed run is retried within the day). */
export async function snapshotAllOrgs(db: D1Database, atMs: number): Promise<number> {
  const { results } = await db.prepare('SELECT id FROM organizations').all<{ id: string }>();
  for (const { id } of results) await saveSnapshot(db, id, atMs, await liveOrgMetrics(db, id, atMs));
  return results.length;
}
