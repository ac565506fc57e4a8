// The organisation's and its brands' stored detector thresholds (only what each set; see
// alert-settings.ts).
import { and, eq } from 'drizzle-orm';
import { database } from '../db/client';
import { alertSettings, brandAlertSettings } from '../db/schema';
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

export async function readBrandAlertSettings(
  d1: D1Database,
  orgId: string,
  brandId: string,
): Promise<{ settings: AlertSettingsInput; updatedAt: number } | null> {
  const row = await database(d1).query.brandAlertSettings.findFirst({
    where: and(eq(brandAlertSettings.orgId, orgId), eq(brandAlertSettings.brandId, brandId)),
  });
  return row ? { settings: row.settings, updatedAt: row.updatedAt } : null;
}

/** `brandId` must be one of `orgId`'s brands (the route checks). */
export async function writeBrandAlertSettings(
  d1: D1Database,
  orgId: string,
  brandId: string,
  settings: AlertSettingsInput,
  now: number,
): Promise<void> {
  await database(d1)
    .insert(brandAlertSettings)
    .values({ brandId, orgId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: brandAlertSettings.brandId, set: { settings, updatedAt: now } })
    .run();
}
