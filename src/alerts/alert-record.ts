// An alert row as the API (and webhook payloads) show it.
import * as z from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES, ALERT_TYPES, type Alert } from '../db/schema';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';

// The shape of alert-evidence.ts's EvidenceScan, so the document (and the dashboard's types) say it.
const evidenceScanView = z.object({
  at: timestamp,
  country: z.string().nullable(),
  region: z.string().nullable(),
  city: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  lot: z.string().nullable(),
  serial: z.string().nullable(),
});

export const alertView = z
  .object({
    id: z.string(),
    type: z.enum(ALERT_TYPES),
    severity: z.enum(ALERT_SEVERITIES),
    status: z.enum(ALERT_STATUSES),
    gtin: z.string(),
    lot: z.string().nullable(),
    serial: z.string().nullable(),
    occurrences: z.number().int(),
    first_seen_at: timestamp,
    last_seen_at: timestamp,
    evidence: z
      .looseObject({ scans: z.array(evidenceScanView) })
      .meta({ description: "The detection's figures and up to 10 scans behind it (places and times only)" }),
    created_at: timestamp,
    updated_at: timestamp,
    acknowledged_at: timestampOrNull,
  })
  .meta({ id: 'Alert' });

export function presentAlert(row: Alert) {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: row.status,
    gtin: row.gtin,
    lot: row.lot,
    serial: row.serial,
    occurrences: row.occurrences,
    first_seen_at: isoOrNull(row.firstSeenAt),
    last_seen_at: isoOrNull(row.lastSeenAt),
    evidence: row.evidence,
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
    acknowledged_at: isoOrNull(row.acknowledgedAt),
  };
}

export type AlertBody = ReturnType<typeof presentAlert>;
