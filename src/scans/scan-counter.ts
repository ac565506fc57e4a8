// ScanCounter: one Durable Object per (key, shard). It records scans durably in its own SQLite
// storage the moment they arrive (that is when a scan counts as recorded), keeps the roll-up
// counters, flushes recent raw events and changed roll-up rows to D1 on an alarm, and archives
// every raw event to R2 (src/storage/) on a slower beat.
import { DurableObject } from 'cloudflare:workers';
import { DETECTION_SCHEMA } from '../alerts/detection-schema';
import { ScanCounterDetection } from '../alerts/scan-counter-detection';
import { ARCHIVE_CONTENT_ENCODING, ARCHIVE_CONTENT_TYPE, encodeArchive } from '../storage/archive-object';
import { planArchive } from '../storage/archive-parts';
import { eventStatements, ROLLUP_TABLES, rollupStatements, type ShardIdentity } from './flush-statements';
import { SCAN_COUNTER_SCHEMA, upgradeScanCounterSchema } from './scan-counter-schema';
import { countBatch, utcDay } from './scan-dimensions';
import type { ScanEvent } from './scan-event';
import { emptyUsage, meteredD1, meteredR2, meteredSql, type StorageUsage } from './storage-usage';

export interface RecordResult {
  recorded: number;
  duplicates: number;
  /** Storage rows this call wrote (what Durable Object storage bills for). */
  rowsWritten: number;
}

export interface FlushResult {
  events: number;
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

const DEFAULT_FLUSH_DELAY_MS = 5_000;
// Recorded batches per flush (each up to 200 scans): a few D1 statements, well inside the limits.
const FLUSH_BATCH = 100;
// How long (days after arrival) event ids are remembered to drop a redelivered batch.
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
  /** The anomaly detectors (src/alerts): their own tables, fed every newly recorded scan. */
  private readonly detection: ScanCounterDetection;
  /** What this object has cost its stores since it started (storage-usage.ts). */
  private readonly counted: StorageUsage = emptyUsage();
  /** The identity last stored (meta 'identity'), to skip rewriting it. */
  private identityJson: string | undefined;

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
    ctx.blockConcurrencyWhile(async () => {
      upgradeScanCounterSchema(this.sql);
      for (const statement of SCAN_COUNTER_SCHEMA) this.sql.exec(statement);
      this.identityJson = this.meta('identity');
    });
  }

  /** SCAN_ARCHIVE_DELAY_MS, a property so tests can change it on one object. */
  archiveDelayMs: number;
  /** SCAN_BACKLOG_MAX_BYTES, likewise. */
  backlogMaxBytes: number;

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string | number): void {
    this.sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      String(value),
    );
  }

  /**
   * Stores a batch of scans and updates every counter, in one storage transaction. Counters are
   * summed over the batch first, so a batch of n scans writes one row per distinct counter it
   * touches (and one row of raw events), not one per scan and counter: storage writes are what a
   * Durable Object bills for and what limits its throughput (ARCHITECTURE.md, costs).
   */
  async record(events: (ScanEvent & { shard: number })[]): Promise<RecordResult> {
    this.counted.records++;
    const recordedEvents: (ScanEvent & { shard: number })[] = [];
    let rowsWritten = 0;
    this.ctx.storage.transactionSync(() => {
      const arrivalDay = utcDay(Date.now());
      for (const event of events) {
        // Remembered by arrival day: redeliveries come within minutes of the first delivery,
        // whatever time the scan itself carries.
        if (
          this.sql.exec('INSERT OR IGNORE INTO seen (id, day) VALUES (?, ?)', event.id, arrivalDay)
            .rowsWritten > 0
        )
          recordedEvents.push(event);
      }
      rowsWritten += recordedEvents.length;
      if (recordedEvents.length === 0) return;
      const rev = Number(this.meta('rev') ?? 0) + 1; // one revision per recorded batch
      const counts = countBatch(recordedEvents);
      const write = (sql: string, ...params: unknown[]) => {
        rowsWritten += this.sql.exec(sql, ...params).rowsWritten;
      };
      // Counts are always kept; raw events only while the backlog has room (D1 or R2 down for days).
      if (this.sql.databaseSize < this.backlogMaxBytes) {
        write(
          'INSERT INTO pending (payload, arrived_at, events) VALUES (?, ?, ?)',
          JSON.stringify(recordedEvents),
          Date.now(),
          recordedEvents.length,
        );
      } else {
        this.setMeta('raw_dropped', Number(this.meta('raw_dropped') ?? 0) + recordedEvents.length);
        console.error('scan backlog full: raw events not kept (counts are)', {
          events: recordedEvents.length,
        });
      }
      for (const [key, n] of counts.hourly) {
        const [bucket, country, lot, bot] = JSON.parse(key) as [number, string, string, number];
        write(
          `INSERT INTO rollup_hourly (bucket, country, lot, is_bot, scans, rev) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, rev = excluded.rev`,
          bucket,
          country,
          lot,
          bot,
          n,
          rev,
        );
      }
      for (const [key, n] of counts.dims) {
        const [bucket, dim, value, country, bot] = JSON.parse(key) as [
          number,
          string,
          string,
          string,
          number,
        ];
        write(
          `INSERT INTO rollup_dims (bucket, dim, value, country, is_bot, scans, rev) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, rev = excluded.rev`,
          bucket,
          dim,
          value,
          country,
          bot,
          n,
          rev,
        );
      }
      for (const [serial, c] of counts.serials) {
        write(
          `INSERT INTO rollup_serials (serial, lot, scans, first_at, last_at, rev) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, first_at = min(first_at, excluded.first_at),
             last_at = max(last_at, excluded.last_at), lot = excluded.lot, rev = excluded.rev`,
          serial,
          c.lot,
          c.scans,
          c.firstAt,
          c.lastAt,
          rev,
        );
      }
      const newScanners = new Map<string, number>();
      for (const key of counts.scanners) {
        const [day, bot, scanner] = JSON.parse(key) as [number, number, string];
        const added = this.sql.exec(
          'INSERT OR IGNORE INTO day_scanners (day, is_bot, scanner) VALUES (?, ?, ?)',
          day,
          bot,
          scanner,
        ).rowsWritten;
        rowsWritten += added;
        const dayKey = JSON.stringify([day, bot]);
        if (added > 0) newScanners.set(dayKey, (newScanners.get(dayKey) ?? 0) + 1);
      }
      for (const [key, n] of newScanners) {
        const [day, bot] = JSON.parse(key) as [number, number];
        write(
          `INSERT INTO rollup_scanners (day, is_bot, scanners, rev) VALUES (?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scanners = scanners + excluded.scanners, rev = excluded.rev`,
          day,
          bot,
          n,
          rev,
        );
      }
      const last = recordedEvents[recordedEvents.length - 1]!;
      const identity = JSON.stringify({
        orgId: last.orgId,
        keyAi: last.keyAi,
        keyValue: last.keyValue,
        shard: last.shard,
      } satisfies ShardIdentity);
      // Written only when it changes: a storage row is what every batch pays for.
      if (identity !== this.identityJson) {
        this.setMeta('identity', identity);
        this.identityJson = identity;
      }
      this.setMeta('rev', rev);
    });
    if (recordedEvents.length > 0) await this.detect(recordedEvents);
    if (recordedEvents.length > 0) {
      // An archive alarm may be set for later: the flush to D1 must not wait for it.
      const flushAt = Date.now() + (Number(this.env.SCAN_FLUSH_DELAY_MS) || DEFAULT_FLUSH_DELAY_MS);
      const alarm = await this.ctx.storage.getAlarm();
      if (alarm === null || alarm > flushAt) await this.ctx.storage.setAlarm(flushAt);
    }
    return {
      recorded: recordedEvents.length,
      duplicates: events.length - recordedEvents.length,
      rowsWritten,
    };
  }

  /** Runs the anomaly detectors over newly recorded scans; their alerts go out with the flush alarm. */
  private detect(events: ScanEvent[]): Promise<void> {
    return this.detection.detect(events, this.db);
  }

  /** Sends pending events and the roll-up rows changed since the last flush to D1. */
  async flush(): Promise<FlushResult> {
    const identityJson = this.meta('identity');
    if (!identityJson) return { events: 0, rollupRows: 0, remaining: 0 };
    const identity = JSON.parse(identityJson) as ShardIdentity;
    // Everything below is read synchronously: one consistent snapshot at revision `rev`.
    const rev = Number(this.meta('rev') ?? 0);
    const flushedRev = Number(this.meta('flushed_rev') ?? 0);
    const pending = this.sql
      .exec<{ seq: number; payload: string }>(
        'SELECT seq, payload FROM pending WHERE seq > ? ORDER BY seq LIMIT ?',
        this.cursor('d1_seq'),
        FLUSH_BATCH,
      )
      .toArray();
    const changed = (sql: string) =>
      this.sql
        .exec(sql, flushedRev, rev)
        .toArray()
        .map((row) => Object.values(row));
    const hourly = changed(
      'SELECT bucket, country, lot, is_bot, scans FROM rollup_hourly WHERE rev > ? AND rev <= ?',
    );
    const dims = changed(
      'SELECT bucket, dim, value, country, is_bot, scans FROM rollup_dims WHERE rev > ? AND rev <= ?',
    );
    const serials = changed(
      'SELECT serial, lot, scans, first_at, last_at FROM rollup_serials WHERE rev > ? AND rev <= ?',
    );
    const scanners = changed('SELECT day, is_bot, scanners FROM rollup_scanners WHERE rev > ? AND rev <= ?');

    // D1 keeps recent raw events only: the hourly cron prunes what is past each organisation's
    // window (src/storage/retention.ts); the R2 archive keeps them all.
    const events = pending.flatMap((p) => pendingEvents(p.payload));
    // Events first, roll-ups second, as separate D1 batches: if the second fails, the retry
    // re-sends both, and both are idempotent.
    if (events.length > 0) await this.db.batch(eventStatements(this.db, events));
    const rollups = [
      ...rollupStatements(this.db, identity, ROLLUP_TABLES.hourly, hourly),
      ...rollupStatements(this.db, identity, ROLLUP_TABLES.dims, dims),
      ...rollupStatements(this.db, identity, ROLLUP_TABLES.serials, serials),
      ...rollupStatements(this.db, identity, ROLLUP_TABLES.scanners, scanners),
    ];
    if (rollups.length > 0) await this.db.batch(rollups);

    // Only now is the snapshot in D1: forget the sent events, and remember the revision: every
    // roll-up row changed up to `rev` went out as an absolute value, so only rows changed since
    // (higher revs, e.g. during the D1 calls above) need sending next time. Advancing it even
    // while events are still pending keeps each flush proportional to what changed since the
    // last one; under steady load a flush that waited for an empty buffer would resend more and
    // more rows every time.
    const lastSeq = pending.at(-1)?.seq;
    this.ctx.storage.transactionSync(() => {
      if (lastSeq !== undefined) this.setMeta('d1_seq', lastSeq);
      this.setMeta('flushed_rev', rev);
      this.dropDelivered();
    });
    const remaining = this.pendingEvents();
    return {
      events: events.length,
      rollupRows: hourly.length + dims.length + serials.length + scanners.length,
      remaining,
    };
  }

  /**
   * Writes pending events to the R2 archive: one gzipped NDJSON object per organisation and UTC
   * hour (src/storage/archive-layout.ts), once the oldest un-archived batch is SCAN_ARCHIVE_DELAY_MS
   * old (`force` skips the wait). The run's rows are sealed first (meta archive_seal), so a run
   * retried after any failure rewrites the very same objects: nothing is archived twice.
   */
  async archive(force = false): Promise<ArchiveResult> {
    const archived = this.cursor('archived_seq');
    let seal = this.meta('archive_seal');
    if (seal === undefined) {
      const due = this.archiveDueAt();
      if (due === null || (!force && due > Date.now() && !this.archiveFull()))
        return { objects: 0, events: 0, remaining: this.unarchivedEvents() };
      seal = String(this.sealArchiveRun(archived));
      this.setMeta('archive_seal', seal);
    }
    const rows = this.sql
      .exec<{ seq: number; payload: string }>(
        'SELECT seq, payload FROM pending WHERE seq > ? AND seq <= ? ORDER BY seq',
        archived,
        Number(seal),
      )
      .toArray()
      .map((r) => ({ seq: r.seq, events: pendingEvents(r.payload) }));
    const objects = planArchive(rows);
    const bucket = this.archiveBucket;
    await Promise.all(
      objects.map(async (o) =>
        bucket.put(o.key, await encodeArchive(o.events), {
          httpMetadata: { contentType: ARCHIVE_CONTENT_TYPE, contentEncoding: ARCHIVE_CONTENT_ENCODING },
          customMetadata: {
            events: String(o.events.length),
            first_at: String(Math.min(...o.events.map((e) => e.occurredAt))),
            last_at: String(Math.max(...o.events.map((e) => e.occurredAt))),
          },
        }),
      ),
    );
    this.ctx.storage.transactionSync(() => {
      this.setMeta('archived_seq', Number(seal));
      this.sql.exec("DELETE FROM meta WHERE key = 'archive_seal'");
      this.dropDelivered();
    });
    return {
      objects: objects.length,
      events: rows.reduce((n, r) => n + r.events.length, 0),
      remaining: this.unarchivedEvents(),
    };
  }

  /** The last pending row of the next archive run: whole batches, up to ARCHIVE_MAX_EVENTS events. */
  private sealArchiveRun(after: number): number {
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
    const oldest = this.sql
      .exec<{ at: number | null }>(
        'SELECT min(arrived_at) AS at FROM pending WHERE seq > ?',
        this.cursor('archived_seq'),
      )
      .one().at;
    if (oldest === null) return null;
    return oldest + this.archiveDelayMs;
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

  private cursor(name: 'd1_seq' | 'archived_seq'): number {
    return Number(this.meta(name) ?? 0);
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
      const result = await this.flush();
      const alerts = await this.detection.flushAlerts(this.db);
      this.setMeta('failures', 0);
      this.pruneSeen();
      const moreChanges = Number(this.meta('rev') ?? 0) > Number(this.meta('flushed_rev') ?? 0);
      // A backlog (events or alerts) goes out right away; changes that arrived during the flush
      // wait the usual delay, so a busy key flushes every SCAN_FLUSH_DELAY_MS, not continuously.
      if (result.remaining > 0 || alerts.remaining > 0) next.push(now + 100);
      else if (moreChanges) next.push(now + flushDelay);
    } catch (err) {
      // Nothing was marked as flushed, so the next try resends all of it. Back off exponentially.
      const failures = Number(this.meta('failures') ?? 0) + 1;
      this.setMeta('failures', failures);
      console.error('scan flush to D1 failed; will retry', { failures, error: String(err) });
      next.push(retryAt('failures'));
    }
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
    this.sql.exec('DELETE FROM seen WHERE day < ?', today - SEEN_RETENTION_DAYS);
    this.sql.exec('DELETE FROM day_scanners WHERE day < ?', today - 1);
  }

  /** Recorded events not yet sent to D1. */
  private pendingEvents(): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          `SELECT sum(CASE json_type(payload) WHEN 'array' THEN json_array_length(payload) ELSE 1 END) AS n
           FROM pending WHERE seq > ?`,
          this.cursor('d1_seq'),
        )
        .one().n ?? 0
    );
  }

  /** What this object has cost its stores since it started (for bench:storage). */
  async usage(): Promise<StorageUsage> {
    return this.counted;
  }

  /** Current totals straight from the object (fresher than D1). */
  async totals(): Promise<LiveTotals> {
    const sums = this.sql
      .exec<{ bot: number; scans: number }>(
        'SELECT is_bot AS bot, sum(scans) AS scans FROM rollup_hourly GROUP BY is_bot',
      )
      .toArray();
    const botScans = sums.find((s) => s.bot === 1)?.scans ?? 0;
    const humanScans = sums.find((s) => s.bot === 0)?.scans ?? 0;
    const byCountry = Object.fromEntries(
      this.sql
        .exec<{ country: string; scans: number }>(
          'SELECT country, sum(scans) AS scans FROM rollup_hourly WHERE is_bot = 0 GROUP BY country',
        )
        .toArray()
        .map((r) => [r.country || 'unknown', r.scans]),
    );
    const last = this.sql.exec<{ at: number | null }>('SELECT max(bucket) AS at FROM rollup_hourly').one().at;
    return {
      scans: humanScans + botScans,
      humanScans,
      botScans,
      pendingFlush: this.pendingEvents(),
      pendingArchive: this.unarchivedEvents(),
      rawEventsDropped: Number(this.meta('raw_dropped') ?? 0),
      lastScanAt: last,
      byCountry,
    };
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
    for (const statement of [...SCAN_COUNTER_SCHEMA, ...DETECTION_SCHEMA]) this.sql.exec(statement);
    return { erased: true, pendingEvents };
  }
}

/** A pending row holds a recorded batch (an array); rows written before batching hold one event. */
function pendingEvents(payload: string): (ScanEvent & { shard: number })[] {
  const parsed = JSON.parse(payload) as (ScanEvent & { shard: number }) | (ScanEvent & { shard: number })[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

function numberVar(raw: string | undefined, fallback: number): number {
  const value = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
