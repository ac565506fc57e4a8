// The anomaly detectors as a ScanCounter runs them: fed each batch of newly recorded scans, with
// per-serial and hourly state in the object's own SQLite, reference data from D1 cached in memory
// (detection-reference.ts), and detections queued in an outbox that the object's flush alarm
// upserts into D1's alerts (then enqueues the newly opened ones for webhooks), exactly once: each
// outbox batch is named and stored before it is sent, and D1 applies a name once (alert-upsert.ts).
//
// Why an outbox rather than writing D1 from record(): record() stays a local SQLite transaction
// (scans never wait on D1), repeats within a flush interval merge into one upsert, and a D1 or
// queue failure is retried by the alarm's backoff instead of losing the alert. Why D1 directly
// rather than through the queue: the upsert needs no fan-out, and the alarm already batches.
import { blockIdOfWarningPage } from '../blocking/warning-page-path';
import { newId } from '../db/ids';
import type { ScanEvent } from '../scans/scan-event';
import { shardCount } from '../scans/scan-shards';
import type { AlertSettings } from './alert-settings';
import { type AlertBatch, applyAlertBatch, dedupeKey, mergePending, type PendingAlert } from './alert-upsert';
import { type DetectionReference, DetectionReferenceCache } from './detection-reference';
import { DETECTION_SCHEMA } from './detection-schema';
import { detectBlockedCodeScanned } from './detectors/blocked-code-scanned';
import type { DetectedAlert, DetectorScan } from './detectors/detected-alert';
import { detectExpiredProduct } from './detectors/expired-product';
import {
  detectImpossibleTravel,
  isLocated,
  type LocatedScan,
  rememberLocated,
  travelWindowMs,
} from './detectors/impossible-travel';
import { detectRecalledLot } from './detectors/recalled-lot';
import { detectSerialNotIssued } from './detectors/serial-not-issued';
import { emptySpread, observeSerialSpread, type SerialSpreadState } from './detectors/serial-spread';
import { detectUnauthorisedMarket } from './detectors/unauthorised-market';
import { detectUnexpectedLocation } from './detectors/unexpected-location';
import { emptyVolume, observeVolume, type VolumeState } from './detectors/volume-spike';
import type { AlertQueueMessage } from './webhooks/alert-queue-message';

export type DetectionEnv = Pick<
  Env,
  'ANOMALY_DETECTION' | 'ALERT_EVENTS' | 'SCAN_SHARDS' | 'SCAN_SHARD_OVERRIDES'
>;

interface SerialState {
  spread: SerialSpreadState;
  located: LocatedScan[];
}

/** The alerts whose opening blocks their serial when the settings' auto_block is on. */
const AUTO_BLOCK_TYPES: ReadonlySet<string> = new Set(['impossible_travel', 'serial_overscanned']);

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Outbox rows per flush: one D1 batch of at most this many upserts, well inside the queries a
 * Worker invocation may make (the alarm comes straight back for the rest).
 */
const FLUSH_ALERTS = 50;
/** Queue sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export interface AlertFlushResult {
  upserted: number;
  opened: number;
  /** Detections or notifications still waiting (the alarm comes back for them). */
  remaining: number;
}

export class ScanCounterDetection {
  private readonly sql: SqlStorage;
  private readonly reference = new DetectionReferenceCache();
  private volume: VolumeState | undefined;
  private prunedHour = 0;
  private warnedNoQueue = false;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: DetectionEnv,
  ) {
    this.sql = storage.sql;
    for (const statement of DETECTION_SCHEMA) this.sql.exec(statement);
  }

  /**
   * Runs the detectors over scans the counter has just recorded (each exactly once). Bots and scans
   * of unregistered keys are left out; only GTIN keys (AI 01) have the product data detectors need.
   * Never throws: the scans are recorded whatever happens here.
   */
  async detect(events: readonly ScanEvent[], db: D1Database): Promise<void> {
    if (this.env.ANOMALY_DETECTION === 'off') return;
    const byOrg = new Map<string, ScanEvent[]>();
    for (const e of events) {
      if (e.keyAi !== '01' || e.orgId === null || e.isBot) continue;
      (byOrg.get(e.orgId) ?? byOrg.set(e.orgId, []).get(e.orgId)!).push(e);
    }
    for (const [orgId, scans] of byOrg) {
      const gtin = scans[0]!.keyValue;
      try {
        const reference = await this.reference.get(db, orgId, gtin);
        this.storage.transactionSync(() => this.runDetectors(orgId, gtin, scans, reference));
      } catch (err) {
        this.volume = undefined; // the transaction rolled back: re-read the stored baseline
        console.error('anomaly detection skipped a batch', {
          orgId,
          gtin,
          scans: scans.length,
          error: String(err),
        });
      }
    }
  }

  private runDetectors(
    orgId: string,
    gtin: string,
    events: ScanEvent[],
    reference: DetectionReference,
  ): void {
    const s = reference.settings;
    const detected: DetectedAlert[] = [];
    const add = (alert: DetectedAlert | null) => {
      if (alert) detected.push(alert);
    };
    const serials = new Map<string, SerialState>();
    const trackSerials = s.serial_overscanned.enabled || s.impossible_travel.enabled;
    const scans = events.map(detectorScan).sort((a, b) => a.occurredAt - b.occurredAt);

    for (const scan of scans) {
      if (s.unauthorised_market.enabled) add(detectUnauthorisedMarket(scan, reference.authorisedMarkets));
      if (s.recalled_lot.enabled) add(detectRecalledLot(scan, reference.recall, s.recalled_lot.severity));
      if (s.expired_product.enabled) add(detectExpiredProduct(scan, s.expired_product));
      if (s.blocked_code_scanned.enabled) add(detectBlockedCodeScanned(scan));
      if (s.unexpected_location.enabled)
        add(
          detectUnexpectedLocation(
            scan,
            reference.stores,
            reference.authorisedMarkets,
            s.unexpected_location,
          ),
        );
      if (scan.serial === null) continue;
      const serialScan = scan as DetectorScan & { serial: string };
      if (s.serial_not_issued.enabled) add(detectSerialNotIssued(serialScan, reference.registry));
      if (!trackSerials) continue;
      const state = serials.get(scan.serial) ?? this.serialState(scan.serial);
      serials.set(scan.serial, state);
      if (s.serial_overscanned.enabled)
        add(observeSerialSpread(state.spread, serialScan, s.serial_overscanned));
      if (s.impossible_travel.enabled && isLocated(serialScan)) {
        add(detectImpossibleTravel(state.located, serialScan, s.impossible_travel));
        state.located = rememberLocated(state.located, serialScan, s.impossible_travel);
      }
    }
    if (s.volume_spike.enabled) for (const alert of this.observeVolume(gtin, scans, s)) add(alert);

    for (const [serial, state] of serials) {
      const lastAt = Math.max(
        0,
        ...Object.values(state.spread.scanners),
        ...state.located.map((l) => l.occurredAt),
      );
      this.sql.exec(
        'INSERT INTO detect_serials (serial, last_at, state) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_at = excluded.last_at, state = excluded.state',
        serial,
        lastAt,
        JSON.stringify(state),
      );
    }
    this.queueDetections(orgId, gtin, detected, s);
    this.pruneSerials(scans.at(-1)!.occurredAt, s);
  }

  private serialState(serial: string): SerialState {
    const row = this.sql
      .exec<{ state: string }>('SELECT state FROM detect_serials WHERE serial = ?', serial)
      .toArray()[0];
    return row ? (JSON.parse(row.state) as SerialState) : { spread: emptySpread(), located: [] };
  }

  /** Hourly counts of the batch into the EWMA baseline (persisted once per batch). */
  private observeVolume(gtin: string, scans: DetectorScan[], s: AlertSettings): DetectedAlert[] {
    this.volume ??= this.readState<VolumeState>('volume') ?? emptyVolume();
    // With the GTIN spread over several counters, each sees about its share of the scans.
    const shards = shardCount(this.env, '01', gtin);
    const minScans = Math.ceil(s.volume_spike.min_scans / shards);
    const out: DetectedAlert[] = [];
    let i = 0;
    while (i < scans.length) {
      const hour = scans[i]!.occurredAt - (scans[i]!.occurredAt % HOUR_MS);
      let j = i;
      while (j < scans.length && scans[j]!.occurredAt - hour < HOUR_MS) j++;
      const alert = observeVolume(this.volume, hour, j - i, s.volume_spike, minScans, scans[j - 1]);
      if (alert) out.push({ ...alert, evidence: { ...alert.evidence, shards } });
      i = j;
    }
    this.sql.exec(
      'INSERT INTO detect_state (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
      'volume',
      JSON.stringify(this.volume),
    );
    return out;
  }

  private readState<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ value: string }>('SELECT value FROM detect_state WHERE key = ?', key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Detections of one batch, merged per dedupe key, into the outbox. */
  private queueDetections(orgId: string, gtin: string, detected: DetectedAlert[], s: AlertSettings): void {
    const merged = new Map<string, PendingAlert>();
    for (const d of detected) {
      const key = dedupeKey(d.type, gtin, d.subject);
      const autoBlock = s.auto_block && d.serial !== null && AUTO_BLOCK_TYPES.has(d.type);
      const pending: PendingAlert = {
        orgId,
        gtin,
        type: d.type,
        severity: d.severity,
        dedupeKey: key,
        lot: d.lot,
        serial: d.serial,
        occurrences: 1,
        firstSeenAt: d.at,
        lastSeenAt: d.at,
        evidence: d.evidence,
        ...(autoBlock && { autoBlock }),
      };
      const before = merged.get(key);
      merged.set(key, before ? mergePending(before, pending) : pending);
    }
    for (const pending of merged.values())
      this.sql.exec('INSERT INTO detect_outbox (payload) VALUES (?)', JSON.stringify(pending));
  }

  /** Once per hour of scan time: forget serials not scanned within any detector's window. */
  private pruneSerials(latest: number, s: AlertSettings): void {
    const hour = latest - (latest % HOUR_MS);
    if (hour <= this.prunedHour) return;
    this.prunedHour = hour;
    const keepMs = Math.max(s.serial_overscanned.window_days * DAY_MS, travelWindowMs(s.impossible_travel));
    this.sql.exec('DELETE FROM detect_serials WHERE last_at < ?', latest - keepMs);
  }

  /**
   * Upserts the outbox into D1's alerts and enqueues the alerts that opened. Called by the flush
   * alarm; throws on a D1 or queue failure (nothing is lost: the alarm retries with backoff).
   */
  async flushAlerts(db: D1Database): Promise<AlertFlushResult> {
    await this.sendNotifications();
    // A batch sent before (its outcome unknown: a reset, an error) goes again as it was.
    const sending = this.batchInFlight() ?? this.takeBatch();
    let upserted = 0;
    let opened = 0;
    if (sending) {
      const { batch, lastSeq } = sending;
      const openedIds = new Set(await applyAlertBatch(db, batch, Date.now()));
      const openedAlerts = batch.alerts.filter(({ id }) => openedIds.has(id));
      upserted = batch.alerts.length;
      opened = openedAlerts.length;
      this.storage.transactionSync(() => {
        this.sql.exec('DELETE FROM detect_outbox WHERE seq <= ?', lastSeq);
        this.sql.exec('DELETE FROM detect_flush');
        for (const { alert, id } of openedAlerts)
          this.sql.exec(
            'INSERT OR IGNORE INTO detect_notify (alert_id, org_id) VALUES (?, ?)',
            id,
            alert.orgId,
          );
      });
      await this.sendNotifications();
    }
    const remaining = this.sql
      .exec<{ n: number }>(
        'SELECT (SELECT count(*) FROM detect_outbox) + (SELECT count(*) FROM detect_notify) AS n',
      )
      .one().n;
    return { upserted, opened, remaining };
  }

  private batchInFlight(): { batch: AlertBatch; lastSeq: number } | undefined {
    const row = this.sql
      .exec<{ token: string; last_seq: number; alerts: string }>(
        'SELECT token, last_seq, alerts FROM detect_flush',
      )
      .toArray()[0];
    return (
      row && {
        batch: { token: row.token, alerts: JSON.parse(row.alerts) as AlertBatch['alerts'] },
        lastSeq: row.last_seq,
      }
    );
  }

  /**
   * The oldest outbox rows, merged per alert, as a new batch with its token and the ids its alerts
   * would get, stored before anything is sent (the storage write is confirmed before the D1 call
   * leaves the object: output gates).
   */
  private takeBatch(): { batch: AlertBatch; lastSeq: number } | undefined {
    const rows = this.sql
      .exec<{ seq: number; payload: string }>(
        'SELECT seq, payload FROM detect_outbox ORDER BY seq LIMIT ?',
        FLUSH_ALERTS,
      )
      .toArray();
    if (rows.length === 0) return undefined;
    const merged = new Map<string, PendingAlert>();
    for (const row of rows) {
      const pending = JSON.parse(row.payload) as PendingAlert;
      const key = `${pending.orgId}|${pending.dedupeKey}`;
      const before = merged.get(key);
      merged.set(key, before ? mergePending(before, pending) : pending);
    }
    const batch: AlertBatch = {
      token: crypto.randomUUID(),
      alerts: [...merged.values()].map((alert) => ({ alert, id: newId('alt') })),
    };
    const lastSeq = rows.at(-1)!.seq;
    this.sql.exec(
      'INSERT INTO detect_flush (token, last_seq, alerts) VALUES (?, ?, ?)',
      batch.token,
      lastSeq,
      JSON.stringify(batch.alerts),
    );
    return { batch, lastSeq };
  }

  private async sendNotifications(): Promise<void> {
    const rows = this.sql
      .exec<{ alert_id: string; org_id: string }>(
        'SELECT alert_id, org_id FROM detect_notify ORDER BY alert_id LIMIT ?',
        SEND_BATCH,
      )
      .toArray();
    if (rows.length === 0) return;
    if (!this.env.ALERT_EVENTS) {
      if (!this.warnedNoQueue)
        console.warn('ALERT_EVENTS queue is not bound: alerts are stored but no webhook is sent');
      this.warnedNoQueue = true;
    } else {
      await this.env.ALERT_EVENTS.sendBatch(
        rows.map((r) => ({
          body: { kind: 'alert_opened', orgId: r.org_id, alertId: r.alert_id } satisfies AlertQueueMessage,
          contentType: 'json' as const,
        })),
      );
    }
    this.sql.exec(
      'DELETE FROM detect_notify WHERE alert_id IN (SELECT value FROM json_each(?))',
      JSON.stringify(rows.map((r) => r.alert_id)),
    );
  }
}

function detectorScan(e: ScanEvent): DetectorScan {
  return {
    occurredAt: e.occurredAt,
    country: e.country,
    region: e.region,
    city: e.city,
    latitude: e.latitude,
    longitude: e.longitude,
    lot: e.lot,
    serial: e.serial,
    scannerHash: e.scannerHash,
    attributes: e.attributes,
    blockId: e.outcome === 'blocked' ? blockIdOfWarningPage(e.destination) : null,
  };
}
