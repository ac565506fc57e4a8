// How far back an organisation's recent window reaches (pure; bench/storage.ts reads it in Node).
// The window is where D1 keeps raw events, per-key quarter-hour roll-ups and per-serial totals;
// before it are the R2 archive and the daily tier. It spans raw_recent_days, or fewer whole UTC
// days for an organisation that scans more than RECENT_WINDOW_MAX_SCANS in them: D1 is one
// database for every organisation, and at 100 M scans a month 35 days of raw events alone would
// be four times its size (bench/RESULTS.md, storage).

const DAY_MS = 86_400_000;

/** Scans of the recent window beyond which it starts later (about 2.3 GB of D1 at most). */
export const RECENT_WINDOW_MAX_SCANS = 4_000_000;

/**
 * The window's first instant: `daysCutoff` (UTC midnight, raw_recent_days back), or later, the
 * midnight after the newest day whose scans, added to every later day's, pass `maxScans`. Today
 * and yesterday always stay in the window: the archive and the compaction run behind by hours.
 * `scansPerDay`: UTC midnight (epoch ms) → the organisation's scans that day, bots included.
 */
export function recentWindowStart(
  daysCutoff: number,
  now: number,
  scansPerDay: ReadonlyMap<number, number>,
  maxScans = RECENT_WINDOW_MAX_SCANS,
): number {
  const today = now - (now % DAY_MS);
  let total = 0;
  for (let day = today; day >= daysCutoff; day -= DAY_MS) {
    total += scansPerDay.get(day) ?? 0;
    if (total > maxScans) return Math.max(daysCutoff, Math.min(day + DAY_MS, today - DAY_MS));
  }
  return daysCutoff;
}
