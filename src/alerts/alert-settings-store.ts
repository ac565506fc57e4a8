// The organisation's stored detector thresholds (only what it set; see alert-settings.ts).
import { eq } from 'drizzle-orm';
import { database } from '../db/client';
import { alertSettings } from '../db/schema';
import type { AlertSettingsInput } from './alert-settings';

export async function readAlertSettings(
  d1: D1Database,
  orgId: string,
): Promise<{ settings: AlertSettingsInput; updatedAt: number } | null> {
  const row = await database(d1).query.alertSettings.findFirst({ where: eq(alertSettings.orgId, orgId) });
  return row ? { settings: row.settings, updatedAt: row.updatedAt } : null;
}

export async function writeAlertSettings(
  d1: D1Database,
  orgId: string,
  settings: AlertSettingsInput,
  now: number,
): Promise<void> {
  await database(d1)
    .insert(alertSettings)
    .values({ orgId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: alertSettings.orgId, set: { settings, updatedAt: now } })
    .run();
}
