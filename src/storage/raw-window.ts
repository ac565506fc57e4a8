// Where an organisation's raw events are read from: D1 from retention's raw cut-off on (the cron
// deletes what is older there, src/storage/retention.ts), the R2 archive before it. One formula
// for both, so an export never reads D1 for a day retention has already emptied.
import { retentionCutoffs } from './retention';
import { readStorageSettings } from './storage-settings-store';

/** The first instant from which D1 holds every raw event of the organisation. */
export async function recentRawFrom(db: D1Database, orgId: string, now: number): Promise<number> {
  const { settings } = await readStorageSettings(db, orgId);
  return retentionCutoffs(settings, now).raw;
}
