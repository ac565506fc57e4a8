// What happened to a recalled lot after its recall (PRODUCT.md C7, recall tracking): human scans
// per UTC day and country from the scan roll-ups, and the lot's latest recalled-lot alert. Nothing
// here reads raw scans: a recall years old costs what a recall of yesterday does.

const BUCKET_MS = 900_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RecallScans {
  scans: number;
  /** Start of the UTC hour of the last scan since the recall. */
  lastHour: number | null;
  /** UTC day start (epoch ms) → scans, days without scans absent. */
  perDay: Map<number, number>;
  /** ISO country ('' when unknown) → scans. */
  perCountry: Map<string, number>;
}

/**
 * Human scans of one lot since an instant, from the 15-minute roll-ups (from the bucket holding
 * the instant on) and, past the recent window, from the daily tier (where the recall's day counts
 * whole: that tier keeps no finer time).
 */
export async function recallScans(
  db: D1Database,
  orgId: string,
  gtin: string,
  lot: string,
  sinceMs: number,
): Promise<RecallScans> {
  const tier = (table: string, since: string) =>
    `SELECT bucket, country, scans FROM ${table} WHERE org_id = ?1 AND bucket >= ${since} AND key_ai = '01' AND key_value = ?2 AND lot = ?3 AND is_bot = 0`;
  const { results } = await db
    .prepare(
      `SELECT bucket - bucket % ${DAY_MS} AS day, country, sum(scans) AS scans, max(bucket) AS last_bucket FROM (
         ${tier('scan_rollup_hourly', '?4')} UNION ALL ${tier('scan_rollup_daily', '?5')})
       GROUP BY day, country`,
    )
    .bind(orgId, gtin, lot, sinceMs - (sinceMs % BUCKET_MS), sinceMs - (sinceMs % DAY_MS))
    .all<{ day: number; country: string; scans: number; last_bucket: number }>();
  const perDay = new Map<number, number>();
  const perCountry = new Map<string, number>();
  let scans = 0;
  let last: number | null = null;
  for (const r of results) {
    scans += r.scans;
    perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.scans);
    perCountry.set(r.country, (perCountry.get(r.country) ?? 0) + r.scans);
    last = last === null ? r.last_bucket : Math.max(last, r.last_bucket);
  }
  return { scans, lastHour: last === null ? null : last - (last % HOUR_MS), perDay, perCountry };
}

/**
 * One point per UTC day from the recall's day (or the first scan's, for a recall without a date)
 * to today's, at most `maxDays` of the latest: a day without scans is a zero, not a gap.
 */
export function dailySeries(
  perDay: ReadonlyMap<number, number>,
  sinceMs: number | null,
  now: number,
  maxDays: number,
): { day: string; scans: number }[] {
  const today = now - (now % DAY_MS);
  const first = sinceMs !== null ? sinceMs - (sinceMs % DAY_MS) : Math.min(today, ...perDay.keys());
  const start = Math.max(first, today - (maxDays - 1) * DAY_MS);
  const points: { day: string; scans: number }[] = [];
  for (let d = start; d <= today; d += DAY_MS)
    points.push({ day: new Date(d).toISOString().slice(0, 10), scans: perDay.get(d) ?? 0 });
  return points;
}

export interface RecallAlertState {
  id: string;
  status: string;
  severity: string;
  occurrences: number;
  last_seen_at: number;
}

/** The latest recalled-lot alert of each lot of the organisation, keyed `gtin|lot`. */
export async function recallAlertStates(
  db: D1Database,
  orgId: string,
): Promise<Map<string, RecallAlertState>> {
  const { results } = await db
    .prepare(
      `SELECT id, gtin, lot, status, severity, occurrences, last_seen_at FROM alerts
       WHERE org_id = ? AND type = 'recalled_lot' AND lot IS NOT NULL ORDER BY created_at, id`,
    )
    .bind(orgId)
    .all<RecallAlertState & { gtin: string; lot: string }>();
  // Ordered oldest first: the last row of a lot is its latest alert.
  return new Map(results.map(({ gtin, lot, ...state }) => [`${gtin}|${lot}`, state]));
}
