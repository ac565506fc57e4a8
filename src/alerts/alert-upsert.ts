// Detections into D1's alerts table: one upsert per dedupe key, so a repeating pattern bumps the
// open alert's count and last-seen time instead of adding rows (PRODUCT.md C9).
//
// Exactly once. The upsert adds counts, so applying the same detections twice would count them
// twice; and an alert opened by a batch whose answer never reached the ScanCounter (a reset, a lost
// response) would never be announced. So the object sends its outbox in batches that it names
// first: a token and, per alert, the id the alert gets if it is new, stored in the object before
// the D1 call and sent again unchanged until the object has recorded the outcome. D1 applies a
// batch in one transaction (`db.batch`): the upserts run only if the token is not in
// `alert_flushes`, the token is recorded, and the batch's ids that exist are read back. Those are
// the alerts the batch opened, whether this call applied it or an earlier one did (ids are random
// and used by no other batch), so a retry still learns which `alert_opened` messages it owes.

import { MAX_BLOCKS_PER_GTIN } from '../blocking/code-blocks';
import { newId } from '../db/ids';
import type { AlertSeverity, AlertType } from '../db/schema/alerts';
import type { AlertEvidence } from './alert-evidence';

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
  /** Block the alert's serial if this batch opens the alert (settings' auto_block). */
  autoBlock?: boolean;
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

/** An outbox batch as the ScanCounter stores and sends it (see above). */
export interface AlertBatch {
  /** Random, one per batch. */
  token: string;
  /** Merged per organisation and dedupe key; `id` is the alert's id if this batch opens it. */
  alerts: { alert: PendingAlert; id: string }[];
}

/**
 * How long applied tokens are kept. A batch is re-sent by its object's flush alarm, retried at
 * most 5 minutes apart, until the object records the outcome: a week is far beyond that.
 */
export const ALERT_FLUSH_RETENTION_MS = 7 * 86_400_000;

// The conflict target names the partial unique index alerts_open_dedupe: only an *open* alert
// absorbs repeats, so once acknowledged the pattern opens a fresh one. An organisation deleted
// meanwhile inserts nothing (instead of failing the whole batch on its foreign key); a batch whose
// token is already recorded inserts and updates nothing.
const UPSERT_ALERT = `INSERT INTO alerts (id, org_id, type, severity, status, gtin, lot, serial, dedupe_key, occurrences,
    first_seen_at, last_seen_at, evidence, created_at, updated_at)
  SELECT ?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13
  WHERE EXISTS (SELECT 1 FROM organizations WHERE id = ?2) AND NOT EXISTS (SELECT 1 FROM alert_flushes WHERE token = ?14)
  ON CONFLICT (org_id, dedupe_key) WHERE status = 'open' DO UPDATE SET
    occurrences = occurrences + excluded.occurrences,
    first_seen_at = min(first_seen_at, excluded.first_seen_at),
    last_seen_at = max(last_seen_at, excluded.last_seen_at),
    evidence = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.evidence ELSE evidence END,
    lot = CASE WHEN excluded.last_seen_at >= last_seen_at THEN excluded.lot ELSE lot END,
    updated_at = excluded.updated_at`;

// Auto-block (alert settings' auto_block): in the same transaction, a block of the alert's serial
// when the upsert above opened the alert (its new id exists) and the batch is not a repeat; an
// existing block of the serial, or a GTIN at its cap, inserts nothing. So a batch applied again, or
// an alert that stays open, never blocks twice, and an unblocked serial is blocked again only by a
// new alert.
const AUTO_BLOCK = `INSERT INTO blocked_codes (id, org_id, gtin, lot, serial, reason, source, alert_id, created_at)
  SELECT ?1, ?2, ?3, '', ?4, ?5, 'auto', ?6, ?7
  WHERE EXISTS (SELECT 1 FROM alerts WHERE id = ?6) AND NOT EXISTS (SELECT 1 FROM alert_flushes WHERE token = ?8)
    AND (SELECT count(*) FROM blocked_codes WHERE org_id = ?2 AND gtin = ?3) < ?9
  ON CONFLICT DO NOTHING`;

function autoBlock(
  db: D1Database,
  alert: PendingAlert,
  alertId: string,
  token: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(AUTO_BLOCK)
    .bind(
      newId('blk'),
      alert.orgId,
      alert.gtin,
      alert.serial,
      `automatic: ${alert.type} alert ${alertId}`,
      alertId,
      now,
      token,
      MAX_BLOCKS_PER_GTIN,
    );
}

/**
 * Applies `batch` to D1 once, however many times it is sent, and returns the ids of the alerts it
 * opened (the same on every call). One transaction: all of it or none.
 */
export async function applyAlertBatch(db: D1Database, batch: AlertBatch, now: number): Promise<string[]> {
  const ids = batch.alerts.map(({ id }) => id);
  const results = await db.batch([
    ...batch.alerts.map(({ alert, id }) => upsertAlert(db, alert, id, batch.token, now)),
    // Before the token is recorded: their guard reads it.
    ...batch.alerts
      .filter(({ alert }) => alert.autoBlock && alert.serial !== null)
      .map(({ alert, id }) => autoBlock(db, alert, id, batch.token, now)),
    db
      .prepare('INSERT INTO alert_flushes (token, applied_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .bind(batch.token, now),
    db
      .prepare('SELECT id FROM alerts WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(ids)),
  ]);
  return (results.at(-1)!.results as { id: string }[]).map((r) => r.id);
}

/** The statement; `newAlertId` is the id the row gets if it is new. */
function upsertAlert(
  db: D1Database,
  alert: PendingAlert,
  newAlertId: string,
  token: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(UPSERT_ALERT)
    .bind(
      newAlertId,
      alert.orgId,
      alert.type,
      alert.severity,
      alert.gtin,
      alert.lot,
      alert.serial,
      alert.dedupeKey,
      alert.occurrences,
      alert.firstSeenAt,
      alert.lastSeenAt,
      JSON.stringify(alert.evidence),
      now,
      token,
    );
}

/** Forgets tokens applied more than ALERT_FLUSH_RETENTION_MS ago (run by the cron). */
export async function pruneAlertFlushes(db: D1Database, now: number): Promise<void> {
  await db
    .prepare('DELETE FROM alert_flushes WHERE applied_at < ?')
    .bind(now - ALERT_FLUSH_RETENTION_MS)
    .run();
}
