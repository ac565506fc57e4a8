// What GET/PUT of alert settings answer, for the organisation (/v1/alerts/settings) and for one
// brand (/v1/brands/:id/alert-settings): the settings in force, what was set, and the defaults.

import * as z from 'zod';
import { timestampOrNull } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';
import {
  alertSettingsInputSchema,
  alertSettingsSchema,
  DEFAULT_ALERT_SETTINGS,
  effectiveSettings,
} from './alert-settings';
import { readAlertSettings, readBrandAlertSettings } from './alert-settings-store';
import { REFERENCE_TTL_MS } from './detection-reference';

// Scan counters cache thresholds briefly: a change applies to scans within this many seconds.
const APPLIES_WITHIN_SECONDS = REFERENCE_TTL_MS / 1000;

export const organizationAlertSettingsSchema = z.object({
  settings: alertSettingsSchema,
  defaults: alertSettingsSchema,
  updated_at: timestampOrNull,
  applies_within_seconds: z.number().int(),
});

export const brandAlertSettingsSchema = z.object({
  brand_id: z.string(),
  settings: alertSettingsSchema.meta({ description: "In force for the brand's GTINs" }),
  brand_settings: alertSettingsInputSchema.meta({
    description: 'What the brand set; {} follows the organisation',
  }),
  organization_settings: alertSettingsSchema,
  defaults: alertSettingsSchema,
  updated_at: timestampOrNull,
  applies_within_seconds: z.number().int(),
});

export async function organizationAlertSettingsView(d1: D1Database, orgId: string) {
  const stored = await readAlertSettings(d1, orgId);
  return {
    settings: effectiveSettings(stored?.settings),
    defaults: DEFAULT_ALERT_SETTINGS,
    updated_at: isoOrNull(stored?.updatedAt),
    applies_within_seconds: APPLIES_WITHIN_SECONDS,
  };
}

/** `brandId` must be one of `orgId`'s brands (the route checks). */
export async function brandAlertSettingsView(d1: D1Database, orgId: string, brandId: string) {
  const [organization, brand] = await Promise.all([
    readAlertSettings(d1, orgId),
    readBrandAlertSettings(d1, orgId, brandId),
  ]);
  return {
    brand_id: brandId,
    /** In force for the brand's GTINs: the brand's fields over the organisation's. */
    settings: effectiveSettings(organization?.settings, brand?.settings),
    /** Only what the brand set; `{}` follows the organisation in everything. */
    brand_settings: brand?.settings ?? {},
    organization_settings: effectiveSettings(organization?.settings),
    defaults: DEFAULT_ALERT_SETTINGS,
    updated_at: isoOrNull(brand?.updatedAt),
    applies_within_seconds: APPLIES_WITHIN_SECONDS,
  };
}
