// An alert row as the API (and webhook payloads) show it.
import type { Alert } from '../db/schema';
import { isoOrNull } from '../time/iso-time';

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
