// Where an organisation's raw events are read from: D1 from the start of the UTC day
// `raw_recent_days` ago (the retention cron deletes what is older there), the R2 archive before it.
import { readStorageSettings } from './storage-settings-store';

const DAY_MS = 86_400_000;

/** The first instant from which D1 holds every raw event of the organisation. */
export async function recentRawFrom(db: D1Database, orgId: string, now: number): Promise<number> {
  const { settings } = await readStorageSettings(db, orgId);
  return recentFromDays(settings.rawRecentDays, now);
}

/** The same cut-off as the retention cron's (src/storage/retention.ts). */
export const recentFromDays = (days: number, now: number) => now - (now % DAY_MS) - days * DAY_MS;
