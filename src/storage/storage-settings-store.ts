// An organisation's retention settings (storage_settings, migration 0015): what it stored, else the
// defaults. Read by the settings routes and by the retention cron (src/storage/retention.ts).
import { eq } from 'drizzle-orm';
import { database } from '../db/client';
import { DEFAULT_RAW_RECENT_DAYS, DEFAULT_ROLLUP_DAYS, storageSettings } from '../db/schema';

export interface StorageSettings {
  /** Days of raw scan events D1 keeps. */
  rawRecentDays: number;
  /** Days of raw scan events the R2 archive keeps; null: until the organisation closes. */
  rawArchiveDays: number | null;
  /** Days of roll-ups kept. */
  rollupDays: number;
}

export const DEFAULT_STORAGE_SETTINGS: StorageSettings = {
  rawRecentDays: DEFAULT_RAW_RECENT_DAYS,
  rawArchiveDays: null,
  rollupDays: DEFAULT_ROLLUP_DAYS,
};

/** The organisation's settings (the defaults when it stored none) and when it last changed them. */
export async function readStorageSettings(
  d1: D1Database,
  orgId: string,
): Promise<{ settings: StorageSettings; updatedAt: number | null }> {
  const row = await database(d1).query.storageSettings.findFirst({ where: eq(storageSettings.orgId, orgId) });
  if (!row) return { settings: { ...DEFAULT_STORAGE_SETTINGS }, updatedAt: null };
  return {
    settings: {
      rawRecentDays: row.rawRecentDays,
      rawArchiveDays: row.rawArchiveDays,
      rollupDays: row.rollupDays,
    },
    updatedAt: row.updatedAt,
  };
}

export async function writeStorageSettings(
  d1: D1Database,
  orgId: string,
  settings: StorageSettings,
  now: number,
): Promise<void> {
  const values = { ...settings, updatedAt: now };
  await database(d1)
    .insert(storageSettings)
    .values({ orgId, ...values })
    .onConflictDoUpdate({ target: storageSettings.orgId, set: values })
    .run();
}
