// Where an organisation's raw events are read from: D1 from its recent window's start on (the cron
// deletes what is older there and moves older quarter-hour roll-ups to the daily tier,
// src/storage/retention.ts), the R2 archive before it. One formula for both, so an export never
// reads D1 for a day retention has already emptied.
import { recentWindowFrom } from './retention';
import { readStorageSettings } from './storage-settings-store';

/** The first instant from which D1 holds every raw event of the organisation. */
export async function recentRawFrom(db: D1Database, orgId: string, now: number): Promise<number> {
  const { settings } = await readStorageSettings(db, orgId);
  return recentWindowFrom(db, orgId, settings, now);
}
