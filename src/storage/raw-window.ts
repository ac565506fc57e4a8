// Where an organisation's raw events are read from: D1 from the start of the UTC day
// `raw_recent_days` ago (the cron prunes what is older), the R2 archive before it.
import { DEFAULT_RAW_RECENT_DAYS } from '../db/schema/storage';

const DAY_MS = 86_400_000;

/** The first instant D1 holds every raw event of the organisation from. */
export async function recentRawFrom(db: D1Database, orgId: string, now: number): Promise<number> {
  const days =
    (await db
      .prepare('SELECT raw_recent_days AS days FROM storage_settings WHERE org_id = ?')
      .bind(orgId)
      .first<number>('days')) ?? DEFAULT_RAW_RECENT_DAYS;
  return recentFromDays(days, now);
}

export const recentFromDays = (days: number, now: number) => now - (now % DAY_MS) - days * DAY_MS;
