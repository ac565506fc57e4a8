// Detections into D1's alerts table: one upsert per dedupe key, so a repeating pattern bumps the
// open alert's count and last-seen time instead of adding rows (PRODUCT.md C9).
import type { AlertEvidence } from './alert-evidence';
import type { AlertSeverity, AlertType } from '../db/schema/alerts';

/** Detections of one dedupe key, merged (what the ScanCounter's outbox holds). */
export interface PendingAlert {
  orgId: string;
  gtin: string;
  type: AlertType;
  severity: AlertSeverity;
  dedupeKey: string;
  lot: string | null;
  serial: string | null;
  occurrences: number;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Of the latest detection. */
  evidence: AlertEvidence;
}

export const dedupeKey = (type: AlertType, gtin: string, subject: string) => `${type}|${gtin}|${subject}`;

/** Folds `next` into `into` (same dedupe key): counts add up, the latest evidence wins. */
export function mergePending(into: PendingAlert, next: PendingAlert): PendingAlert {
  const latest = next.lastSeenAt >= into.lastSeenAt ? next : into;
  return {
    ...latest,
    occurrences: into.occurrences + next.occurrences,
    firstSeenAt: Math.min(into.firstSeenAt, next.firstSeenAt),
    lastSeenAt: Math.max(into.lastSeenAt, next.lastSeenAt),
  };
}

// The conflict target names the partial unique index alerts_open_dedupe: only an *open* alert
// absorbs repeats, so once acknowledged the pattern opens a fresh one. An organisation deleted
// meanwhile inserts nothing (instead of failing the whole batch on its foreign key).
const UPSERT_ALERT = `INSERT INTO alerts (id, org_id, type, severity, status, gtin, lot, serial, dedupe_key, occurrences,
    first_seen_at, last_seen_at, evidence, created_at, updated_at)
  SELECT ?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13
  WHERE EXISTS (SELECT 1 FROM organizations WHERE id = ?2)
  ON CONFLICT (org_id, dedupe_key) WHERE status = 'open' DO UPDATE SET
    occurrences = occurrences + excluded.occurrences,
    first_seen_at = min(first_seen_at, excluded.first_seen_at),
    last_seen_at = max(last_seen_at, excluded.last_seen_at),
    evidence = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.evidence ELSE evidence END,
    lot = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.lot ELSE lot END,
    updated_at = excluded.updated_at
  RETURNING id`;

/** The statement, and the id the row gets if it is new: RETURNING that id means "opened". */
export function upsertAlert(db: D1Database, alert: PendingAlert, newAlertId: string, now: number): D1PreparedStatement {
  return db
    .prepare(UPSERT_ALERT)
    .bind(
      newAlertId, alert.orgId, alert.type, alert.severity, alert.gtin, alert.lot, alert.serial, alert.dedupeKey, alert.occurrences,
      alert.firstSeenAt, alert.lastSeenAt, JSON.stringify(alert.evidence), now,
    );
}
