// The anomaly detectors' tables in a ScanCounter's own SQLite storage (beside the scan tables of
// src/scans/scan-counter-schema.ts), all prefixed `detect_`.
export const DETECTION_SCHEMA = [
  // Per serial: distinct scanners and places in the window, recent located scans (JSON).
  `CREATE TABLE IF NOT EXISTS detect_serials (serial TEXT PRIMARY KEY, last_at INTEGER NOT NULL, state TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS detect_serials_last_at ON detect_serials (last_at)`,
  // Small state documents: the hourly volume baseline.
  `CREATE TABLE IF NOT EXISTS detect_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Detections not yet upserted into D1's alerts, in order; the flush alarm drains it.
  `CREATE TABLE IF NOT EXISTS detect_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)`,
  // The outbox batch being applied to D1 (at most one row): its token, the last outbox row it
  // covers, and its alerts with the ids they get if new; re-sent unchanged until D1 has answered.
  `CREATE TABLE IF NOT EXISTS detect_flush (token TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, alerts TEXT NOT NULL)`,
  // Alerts D1 opened whose queue message has not been sent yet.
  `CREATE TABLE IF NOT EXISTS detect_notify (alert_id TEXT PRIMARY KEY, org_id TEXT NOT NULL)`,
];
