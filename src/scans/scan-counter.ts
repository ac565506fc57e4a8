// ScanCounter: one Durable Object per (key, shard). It records scans durably in its own SQLite
// storage the moment they arrive (that is when a scan counts as recorded): each batch's raw events
// and the roll-up counts they make. On an alarm it sends D1 the recent raw events and the counts as
// increments (src/scans/rollup-increments.ts), and on a slower beat archives every raw event to R2
// (src/storage/). A batch is forgotten once both D1 and the archive have it.
import { DurableObject } from 'cloudflare:workers';
import { DETECTION_SCHEMA } from '../alerts/detection-schema';
import { ScanCounterDetection } from '../alerts/scan-counter-detection';
import { putArchiveObject } from '../storage/archive-object';
import { planArchive } from '../storage/archive-parts';
import { eventStatements, type ShardIdentity } from './flush-statements';
import { flushLegacyRollups, upgradeLegacyRollups } from './legacy-rollups';
import { incrementStatements, mergeCounts, type StoredCounts, storedCounts } from './rollup-increments';
import { SCAN_COUNTER_SCHEMA, upgradeScanCounterSchema } from './scan-counter-schema';
import { countBatch, utcDay } from './scan-dimensions';
import type { ScanEvent } from './scan-event';
import { counterName } from './scan-shards';
import { emptyUsage, meteredD1, meteredR2, meteredSql, type StorageUsage } from './storage-usage';

export interface RecordResult {
  recorded: number;
  duplicates: number;
  /** Storage rows this call wrote (what Durable Object storage bills for). */
  rowsWritten: number;
}

export interface FlushResult {
  events: number;
  /** Roll-up increments sent (D1 rows added to or created). */
  rollupRows: number;
  remaining: number;
}

export interface ArchiveResult {
  /** Archive objects written by this run. */
  objects: number;
  events: number;
  /** Events still waiting for the archive after it. */
  remaining: number;
}

export interface LiveTotals {
  scans: number;
  humanScans: number;
  botScans: number;
  pendingFlush: number;
  /** Recorded events not yet in the R2 archive. */
  pendingArchive: number;
  /** Raw events not kept because the backlog was full (their counts were kept). */
  rawEventsDropped: number;
  lastScanAt: number | null;
  byCountry: Record<string, number>;
}

type StoredEvent = ScanEvent & { shard: number };

const DEFAULT_FLUSH_DELAY_MS = 5_000;
// Recorded batches per flush (each up to 200 scans): a few D1 statements, well inside the limits.
const FLUSH_BATCH = 100;
// How long (days of the batch's first scan) batch ids are remembered to drop a redelivered batch.
const SEEN_RETENTION_DAYS = 3;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
// The archive run waits this long after the oldest batch it has not archived arrived, so a key
// scanned now and then writes one object per hour, not one per flush (R2 bills per write).
const DEFAULT_ARCHIVE_DELAY_MS = 3_600_000;
// Events per archive run: bounds the memory an object is built in (~10 MB of JSON) and its size.
const ARCHIVE_MAX_EVENTS = 20_000;
// Past this much storage, new batches keep their counts but not their raw events (ARCHITECTURE.md,
// "Scan storage": the backlog limit). A Durable Object may hold 10 GB.
const DEFAULT_BACKLOG_MAX_BYTES = 4 * 1024 ** 3;

export class ScanCounter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** D1, as a property so fault-injection tests can replace it (runInDurableObject). */
  db: D1Database;
  /** The R2 archive, likewise. */
  archiveBucket: R2Bucket;
  /** SCAN_ARCHIVE_DELAY_MS, a property so tests can change it on one object. */
  archiveDelayMs: number;
  /** SCAN_BACKLOG_MAX_BYTES, likewise. */
  backlogMaxBytes: number;
  /** The anomaly detectors (src/alerts): their own tables, fed every newly recorded scan. */
  private readonly detection: ScanCounterDetection;
  /** What this object has cost its stores since it started (storage-usage.ts). */
  private readonly counted: StorageUsage = emptyUsage();
  /** Meta values as stored, so an unchanged one is not written again (a row written is billed). */
  private readonly metaCache = new Map<string, string | undefined>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = meteredSql(ctx.storage.sql, this.counted);
    this.db = meteredD1(env.DB, this.counted);
    this.archiveBucket = meteredR2(env.SCAN_ARCHIVE, this.counted);
    const sql = this.sql;
    // The detectors' storage writes are counted with the object's own.
    const storage = new Proxy(ctx.storage, {
      get: (target, prop) => {
        if (prop === 'sql') return sql;
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.detection = new ScanCounterDetection(storage, env);
    this.archiveDelayMs = numberVar(env.SCAN_ARCHIVE_DELAY_MS, DEFAULT_ARCHIVE_DELAY_MS);
    this.backlogMaxBytes = numberVar(env.SCAN_BACKLOG_MAX_BYTES, DEFAULT_BACKLOG_MAX_BYTES);
    ctx.blockConcurrencyWhile(async () => this.createTables());
  }

  private createTables(): void {
    upgradeScanCounterSchema(this.sql);
    for (const statement of SCAN_COUNTER_SCHEMA) this.sql.exec(statement);
    upgradeLegacyRollups(this.sql, (key, value) => this.setMeta(key, value));
  }

  private meta(key: string): string | undefined {
    if (this.metaCache.has(key)) return this.metaCache.get(key);
    const value = this.sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)
      .toArray()[0]?.value;
    this.metaCache.set(key, value);
    return value;
  }

  private setMeta(key: string, value: string | number): void {
    const text = String(value);
    if (this.meta(key) === text) return;
    this.sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      text,
    );
    this.metaCache.set(key, text);
  }

  private cursor(name: 'd1_seq' | 'archived_seq'): number {
    return Number(this.meta(name) ?? 0);
  }

  /** Past every batch still pending and every one either cursor passed: seqs are never reused. */
  private nextSeq(): number {
    const top = this.sql.exec<{ n: number | null }>('SELECT max(seq) AS n FROM pending').one().n ?? 0;
    return Math.max(top, this.cursor('d1_seq'), this.cursor('archived_seq')) + 1;
  }

  /**
   * Stores a batch of scans, in one storage transaction: its id (a redelivered batch counts
   * nothing), its raw events and the counts they make (summed over the batch, so a batch writes one
   * row, not one per scan and counter), the live totals and the day's new scanners. Storage rows
   * are what a Durable Object bills for and what limits its throughput (ARCHITECTURE.md, costs).
   */
  async record(events: StoredEvent[]): Promise<RecordResult> {
    this.counted.records++;
    if (events.length === 0) return { recorded: 0, duplicates: 0, rowsWritten: 0 };
    const rowsBefore = this.counted.objectRowsWritten;
    let fresh = false;
    const write = (sql: string, ...params: unknown[]) => this.sql.exec(sql, ...params).rowsWritten;
    this.ctx.storage.transactionSync(() => {
      // The recorder resends a batch unchanged when its RPC fails (scan-recorder.ts): the batch,
      // named by its first and last event ids and size, is what a redelivery repeats.
      const first = events[0]!;
      const last = events[events.length - 1]!;
      const batchId = `${first.id}|${events.length}|${last.id}`;
      fresh =
        write(
          'INSERT OR IGNORE INTO seen_batches (day, id) VALUES (?, ?)',
          utcDay(first.occurredAt),
          batchId,
        ) > 0;
      if (!fresh) return;
      const counts = countBatch(events);
      const newScanners = new Map<string, number>();
      for (const key of counts.scanners) {
        const [day, bot, scanner] = JSON.parse(key) as [number, number, string];
        if (
          write(
            'INSERT OR IGNORE INTO day_scanners (day, is_bot, scanner) VALUES (?, ?, ?)',
            day,
            bot,
            scanner,
          )
        ) {
          const dayKey = JSON.stringify([day, bot]);
          newScanners.set(dayKey, (newScanners.get(dayKey) ?? 0) + 1);
        }
      }
      // Counts are always kept; raw events only while the backlog has room (D1 or R2 down for days).
      const keepRaw = this.sql.databaseSize < this.backlogMaxBytes;
      write(
        'INSERT INTO pending (seq, payload, counts, arrived_at, events) VALUES (?, ?, ?, ?, ?)',
        this.nextSeq(),
        keepRaw ? JSON.stringify(events) : '[]',
        JSON.stringify(storedCounts(counts, newScanners)),
        Date.now(),
        keepRaw ? events.length : 0,
      );
      if (!keepRaw) {
        this.setMeta('raw_dropped', Number(this.meta('raw_dropped') ?? 0) + events.length);
        console.error('scan backlog full: raw events not kept (counts are)', { events: events.length });
      }
      const live = new Map<string, { scans: number; lastAt: number }>();
      for (const e of events) {
        const key = JSON.stringify([e.country ?? '', e.isBot ? 1 : 0]);
        const t = live.get(key) ?? live.set(key, { scans: 0, lastAt: e.occurredAt }).get(key)!;
        t.scans++;
        t.lastAt = Math.max(t.lastAt, e.occurredAt);
      }
      for (const [key, t] of live) {
        const [country, bot] = JSON.parse(key) as [string, number];
        write(
          `INSERT INTO live_totals (country, is_bot, scans, last_at) VALUES (?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, last_at = max(last_at, excluded.last_at)`,
          country,
          bot,
          t.scans,
          t.lastAt,
        );
      }
      this.setMeta(
        'identity',
        JSON.stringify({
          orgId: last.orgId,
          keyAi: last.keyAi,
          keyValue: last.keyValue,
          shard: last.shard,
        } satisfies ShardIdentity),
      );
    });
    const rowsWritten = this.counted.objectRowsWritten - rowsBefore;
    if (!fresh) return { recorded: 0, duplicates: events.length, rowsWritten };
    await this.detect(events);
    // An archive alarm may be set for later: the flush to D1 must not wait for it. A retry backing
    // off from a D1 failure keeps its time: new scans would otherwise retry it every flush delay.
    const flushAt = Date.now() + (Number(this.env.SCAN_FLUSH_DELAY_MS) || DEFAULT_FLUSH_DELAY_MS);
    const alarm = await this.ctx.storage.getAlarm();
    const backingOff = Number(this.meta('failures') ?? 0) > 0;
    if (alarm === null || (alarm > flushAt && !backingOff)) await this.ctx.storage.setAlarm(flushAt);
    return { recorded: events.length, duplicates: 0, rowsWritten };
  }

  /** Runs the anomaly detectors over newly recorded scans; their alerts go out with the flush alarm. */
  private detect(events: ScanEvent[]): Promise<void> {
    return this.detection.detect(events, this.db);
  }

  /**
   * Sends D1 the next pending batches: their raw events (INSERT OR IGNORE by id) and their counts
   * as increments, in one D1 batch (a transaction) guarded on D1's last_seq for this counter, so
   * a flush is applied exactly once however often it is sent.
   */
  async flush(): Promise<FlushResult> {
    const identityJson = this.meta('identity');
    if (!identityJson) return { events: 0, rollupRows: 0, remaining: 0 };
    const identity = JSON.parse(identityJson) as ShardIdentity;
    const seen = this.cursor('d1_seq');
    const rows = this.sql
      .exec<{ seq: number; payload: string; counts: string }>(
        'SELECT seq, payload, counts FROM pending WHERE seq > ? ORDER BY seq LIMIT ?',
        seen,
        FLUSH_BATCH,
      )
      .toArray();
    if (rows.length === 0) return { events: 0, rollupRows: 0, remaining: 0 };
    const lastSeq = rows[rows.length - 1]!.seq;
    const events = rows.flatMap((r) => eventsOf(r.payload));
    // Batches recorded before the object kept counts with its events have theirs in the legacy
    // roll-up tables (legacy-rollups.ts): their events go, their counts do not go twice.
    const countsFrom = Number(this.meta('counts_from_seq') ?? 0);
    const merged = mergeCounts(
      rows.filter((r) => r.seq >= countsFrom).map((r) => JSON.parse(r.counts) as StoredCounts),
    );
    const counter = counterName(identity.keyAi, identity.keyValue, identity.shard);
    const seenSeq = seen === 0 ? null : seen;
    const results = await this.db.batch([
      ...eventStatements(this.db, events, counter, seenSeq),
      ...incrementStatements(this.db, identity, counter, seenSeq, lastSeq, merged, Date.now()),
    ]);
    // Where D1's last_seq ended: this flush's, or (the flush was applied before and its answer
    // lost) a later one already there, or (another flush is being applied) an earlier one.
    const reached = (results.at(-1)?.results[0] as { last_seq: number } | undefined)?.last_seq ?? seen;
    this.ctx.storage.transactionSync(() => {
      if (reached > seen) this.setMeta('d1_seq', reached);
      this.dropDelivered();
    });
    return {
      events: events.length,
      rollupRows: merged.hourly.size + merged.dims.size + merged.serials.size + merged.scanners.size,
      remaining: this.pendingEvents(),
    };
  }

  /**
   * Writes pending events to the R2 archive: one gzipped NDJSON object per organisation and UTC
   * hour (src/storage/archive-layout.ts), once the oldest un-archived batch is SCAN_ARCHIVE_DELAY_MS
   * old (`force` skips the wait). An object is named by the first pending batch it holds events of,
   * so a run retried after any failure writes the same names again (with the same events, or more
   * of the same hour if more arrived): nothing is archived twice.
   */
  async archive(force = false): Promise<ArchiveResult> {
    const archived = this.cursor('archived_seq');
    const due = this.archiveDueAt();
    if (due === null || (!force && due > Date.now() && !this.archiveFull()))
      return { objects: 0, events: 0, remaining: this.unarchivedEvents() };
    const last = this.lastOfArchiveRun(archived);
    const rows = this.sql
      .exec<{ seq: number; payload: string }>(
        'SELECT seq, payload FROM pending WHERE seq > ? AND seq <= ? ORDER BY seq',
        archived,
        last,
      )
      .toArray()
      .map((r) => ({ seq: r.seq, events: eventsOf(r.payload) }));
    const objects = planArchive(rows);
    await Promise.all(objects.map((o) => putArchiveObject(this.archiveBucket, o.key, o.events)));
    this.ctx.storage.transactionSync(() => {
      this.setMeta('archived_seq', last);
      this.dropDelivered();
    });
    return {
      objects: objects.length,
      events: rows.reduce((n, r) => n + r.events.length, 0),
      remaining: this.unarchivedEvents(),
    };
  }

  /** The last pending row of the next archive run: whole batches, up to ARCHIVE_MAX_EVENTS events. */
  private lastOfArchiveRun(after: number): number {
    let total = 0;
    let last = after;
    for (const row of this.sql.exec<{ seq: number; events: number }>(
      'SELECT seq, events FROM pending WHERE seq > ? ORDER BY seq',
      after,
    )) {
      if (last !== after && total + row.events > ARCHIVE_MAX_EVENTS) break;
      total += row.events;
      last = row.seq;
    }
    return last;
  }

  /** When the archive is next due: the oldest un-archived batch's arrival plus the delay. */
  private archiveDueAt(): number | null {
    // Batches arrive in seq order, so the first un-archived one is the oldest (one index seek).
    const oldest = this.sql
      .exec<{ at: number }>(
        'SELECT arrived_at AS at FROM pending WHERE seq > ? ORDER BY seq LIMIT 1',
        this.cursor('archived_seq'),
      )
      .toArray()[0]?.at;
    return oldest === undefined ? null : oldest + this.archiveDelayMs;
  }

  private archiveFull(): boolean {
    return this.unarchivedEvents() >= ARCHIVE_MAX_EVENTS;
  }

  private unarchivedEvents(): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          'SELECT sum(events) AS n FROM pending WHERE seq > ?',
          this.cursor('archived_seq'),
        )
        .one().n ?? 0
    );
  }

  /** Recorded events not yet sent to D1. */
  private pendingEvents(): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          'SELECT sum(events) AS n FROM pending WHERE seq > ?',
          this.cursor('d1_seq'),
        )
        .one().n ?? 0
    );
  }

  /** Forgets the batches both D1 and the archive have. */
  private dropDelivered(): void {
    this.sql.exec(
      'DELETE FROM pending WHERE seq <= ?',
      Math.min(this.cursor('d1_seq'), this.cursor('archived_seq')),
    );
  }

  /**
   * The flush to D1 and the archive to R2 fail and retry apart (each with its own backoff), so D1
   * down for an hour does not hold up the archive, nor R2 the dashboard; pending batches stay
   * until both have them. The next alarm is the soonest thing due.
   */
  override async alarm(): Promise<void> {
    this.counted.alarms++;
    const now = Date.now();
    const flushDelay = Number(this.env.SCAN_FLUSH_DELAY_MS) || DEFAULT_FLUSH_DELAY_MS;
    const next: number[] = [];
    const retryAt = (key: 'failures' | 'archive_failures') =>
      now + Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** Number(this.meta(key) ?? 0));
    try {
      await flushLegacyRollups(
        this.sql,
        this.db,
        (key) => this.meta(key),
        (key, value) => this.setMeta(key, value),
      );
      const result = await this.flush();
      const alerts = await this.detection.flushAlerts(this.db);
      this.setMeta('failures', 0);
      this.pruneSeen();
      // A backlog (events or alerts) goes out right away; batches recorded during the flush wait
      // the usual delay, so a busy key flushes every SCAN_FLUSH_DELAY_MS, not continuously.
      if (result.remaining > 0 || alerts.remaining > 0) next.push(now + 100);
    } catch (err) {
      // Nothing was marked as flushed, so the next try resends all of it. Back off exponentially.
      const failures = Number(this.meta('failures') ?? 0) + 1;
      this.setMeta('failures', failures);
      console.error('scan flush to D1 failed; will retry', { failures, error: String(err) });
      next.push(retryAt('failures'));
    }
    if (this.pendingEvents() > 0 && next.length === 0) next.push(now + flushDelay);
    try {
      const archived = await this.archive();
      this.setMeta('archive_failures', 0);
      if (archived.objects > 0 && this.archiveFull()) next.push(now + 100);
      const due = this.archiveDueAt();
      if (due !== null) next.push(Math.max(due, now + 100));
    } catch (err) {
      const failures = Number(this.meta('archive_failures') ?? 0) + 1;
      this.setMeta('archive_failures', failures);
      console.error('scan archive to R2 failed; will retry', { failures, error: String(err) });
      next.push(retryAt('archive_failures'));
    }
    if (next.length > 0) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  private pruneSeen(): void {
    const today = utcDay(Date.now());
    // Once a day is enough: each run deletes what aged out since the last.
    if (this.meta('pruned_day') === String(today)) return;
    this.sql.exec('DELETE FROM seen_batches WHERE day < ?', today - SEEN_RETENTION_DAYS);
    this.sql.exec('DELETE FROM day_scanners WHERE day < ?', today - 1);
    this.setMeta('pruned_day', today);
  }

  /** Current totals straight from the object (fresher than D1). */
  async totals(): Promise<LiveTotals> {
    const rows = this.sql
      .exec<{ country: string; is_bot: number; scans: number; last_at: number }>(
        'SELECT country, is_bot, scans, last_at FROM live_totals',
      )
      .toArray();
    const sum = (keep: (r: (typeof rows)[number]) => boolean) =>
      rows.filter(keep).reduce((n, r) => n + r.scans, 0);
    const byCountry: Record<string, number> = {};
    for (const r of rows)
      if (r.is_bot === 0)
        byCountry[r.country || 'unknown'] = (byCountry[r.country || 'unknown'] ?? 0) + r.scans;
    return {
      scans: sum(() => true),
      humanScans: sum((r) => r.is_bot === 0),
      botScans: sum((r) => r.is_bot === 1),
      pendingFlush: this.pendingEvents(),
      pendingArchive: this.unarchivedEvents(),
      rawEventsDropped: Number(this.meta('raw_dropped') ?? 0),
      lastScanAt: rows.length ? Math.max(...rows.map((r) => r.last_at)) : null,
      byCountry,
    };
  }

  /** What this object has cost its stores since it started (for bench:storage). */
  async usage(): Promise<StorageUsage> {
    return this.counted;
  }

  /**
   * Account closure (src/storage/erase-organization.ts): when this object counts scans of `orgId`'s
   * key, forgets everything it stored (events not yet flushed, counters, detector state) and its
   * flush alarm, leaving empty tables for any later scan. Another organisation's object is left alone.
   */
  async erase(orgId: string): Promise<{ erased: boolean; pendingEvents: number }> {
    const identity = this.meta('identity');
    if (!identity || (JSON.parse(identity) as ShardIdentity).orgId !== orgId)
      return { erased: false, pendingEvents: 0 };
    const pendingEvents = this.pendingEvents();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.metaCache.clear();
    this.createTables();
    for (const statement of DETECTION_SCHEMA) this.sql.exec(statement);
    return { erased: true, pendingEvents };
  }
}

/** A pending row holds a recorded batch (an array); rows written before batching hold one event. */
function eventsOf(payload: string): StoredEvent[] {
  const parsed = JSON.parse(payload) as StoredEvent | StoredEvent[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

function numberVar(raw: string | undefined, fallback: number): number {
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
