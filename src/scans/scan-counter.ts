// ScanCounter: one Durable Object per (key, shard). It records scans durably in its own SQLite
// storage the moment they arrive (that is when a scan counts as recorded), keeps the roll-up
// counters, and flushes raw events and changed roll-up rows to D1 on an alarm.
import { DurableObject } from 'cloudflare:workers';
import { DETECTION_SCHEMA } from '../alerts/detection-schema';
import { ScanCounterDetection } from '../alerts/scan-counter-detection';
import { eventStatements, ROLLUP_TABLES, rollupStatements, type ShardIdentity } from './flush-statements';
import { SCAN_COUNTER_SCHEMA } from './scan-counter-schema';
import { countBatch, utcDay } from './scan-dimensions';
import type { ScanEvent } from './scan-event';

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

export interface LiveTotals {
  scans: number;
  humanScans: number;
  botScans: number;
  pendingFlush: number;
  lastScanAt: number | null;
  byCountry: Record<string, number>;
}

const DEFAULT_FLUSH_DELAY_MS = 5_000;
// Recorded batches per flush (each up to 200 scans): a few D1 statements, well inside the limits.
const FLUSH_BATCH = 100;
// How long (days after arrival) event ids are remembered to drop a redelivered batch.
const SEEN_RETENTION_DAYS = 3;
const MAX_RETRY_DELAY_MS = 5 * 60_000;

export class ScanCounter extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** D1, as a property so fault-injection tests can replace it (runInDurableObject). */
  db: D1Database;
  /** The anomaly detectors (src/alerts): their own tables, fed every newly recorded scan. */
  private readonly detection: ScanCounterDetection;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.db = env.DB;
    this.detection = new ScanCounterDetection(ctx.storage, env);
    ctx.blockConcurrencyWhile(async () => {
      for (const statement of SCAN_COUNTER_SCHEMA) this.sql.exec(statement);
    });
  }

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
      write('INSERT INTO pending (payload) VALUES (?)', JSON.stringify(recordedEvents));
      for (const [key, n] of counts.hourly) {
        const [hour, country, lot, bot] = JSON.parse(key) as [number, string, string, number];
        write(
          `INSERT INTO rollup_hourly (hour, country, lot, is_bot, scans, rev) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, rev = excluded.rev`,
          hour,
          country,
          lot,
          bot,
          n,
          rev,
        );
      }
      for (const [key, n] of counts.dims) {
        const [hour, dim, value, country, bot] = JSON.parse(key) as [number, string, string, string, number];
        write(
          `INSERT INTO rollup_dims (hour, dim, value, country, is_bot, scans, rev) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET scans = scans + excluded.scans, rev = excluded.rev`,
          hour,
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
      this.setMeta(
        'identity',
        JSON.stringify({
          orgId: last.orgId,
          keyAi: last.keyAi,
          keyValue: last.keyValue,
          shard: last.shard,
        } satisfies ShardIdentity),
      );
      this.setMeta('rev', rev);
    });
    if (recordedEvents.length > 0) await this.detect(recordedEvents);
    if (recordedEvents.length > 0 && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(
        Date.now() + (Number(this.env.SCAN_FLUSH_DELAY_MS) || DEFAULT_FLUSH_DELAY_MS),
      );
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
        'SELECT seq, payload FROM pending ORDER BY seq LIMIT ?',
        FLUSH_BATCH,
      )
      .toArray();
    const changed = (sql: string) =>
      this.sql
        .exec(sql, flushedRev, rev)
        .toArray()
        .map((row) => Object.values(row));
    const hourly = changed(
      'SELECT hour, country, lot, is_bot, scans FROM rollup_hourly WHERE rev > ? AND rev <= ?',
    );
    const dims = changed(
      'SELECT hour, dim, value, country, is_bot, scans FROM rollup_dims WHERE rev > ? AND rev <= ?',
    );
    const serials = changed(
      'SELECT serial, lot, scans, first_at, last_at FROM rollup_serials WHERE rev > ? AND rev <= ?',
    );
    const scanners = changed('SELECT day, is_bot, scanners FROM rollup_scanners WHERE rev > ? AND rev <= ?');

    // A row holds a recorded batch (an array); rows written before batching hold one event.
    const events = pending.flatMap(
      (p) => JSON.parse(p.payload) as (ScanEvent & { shard: number }) | (ScanEvent & { shard: number })[],
    );
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
      if (lastSeq !== undefined) this.sql.exec('DELETE FROM pending WHERE seq <= ?', lastSeq);
      this.setMeta('flushed_rev', rev);
    });
    const remaining = this.pendingEvents();
    return {
      events: events.length,
      rollupRows: hourly.length + dims.length + serials.length + scanners.length,
      remaining,
    };
  }

  override async alarm(): Promise<void> {
    try {
      const result = await this.flush();
      const alerts = await this.detection.flushAlerts(this.db);
      this.setMeta('failures', 0);
      this.pruneSeen();
      const moreChanges = Number(this.meta('rev') ?? 0) > Number(this.meta('flushed_rev') ?? 0);
      // A backlog (events or alerts) goes out right away; changes that arrived during the flush
      // wait the usual delay, so a busy key flushes every SCAN_FLUSH_DELAY_MS, not continuously.
      if (result.remaining > 0 || alerts.remaining > 0) await this.ctx.storage.setAlarm(Date.now() + 100);
      else if (moreChanges)
        await this.ctx.storage.setAlarm(
          Date.now() + (Number(this.env.SCAN_FLUSH_DELAY_MS) || DEFAULT_FLUSH_DELAY_MS),
        );
    } catch (err) {
      // Nothing was marked as flushed, so the next try resends all of it. Back off exponentially.
      const failures = Number(this.meta('failures') ?? 0) + 1;
      this.setMeta('failures', failures);
      console.error('scan flush to D1 failed; will retry', { failures, error: String(err) });
      await this.ctx.storage.setAlarm(Date.now() + Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** failures));
    }
  }

  private pruneSeen(): void {
    const today = utcDay(Date.now());
    this.sql.exec('DELETE FROM seen WHERE day < ?', today - SEEN_RETENTION_DAYS);
    this.sql.exec('DELETE FROM day_scanners WHERE day < ?', today - 1);
  }

  private pendingEvents(): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          `SELECT sum(CASE json_type(payload) WHEN 'array' THEN json_array_length(payload) ELSE 1 END) AS n FROM pending`,
        )
        .one().n ?? 0
    );
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
    const last = this.sql.exec<{ at: number | null }>('SELECT max(hour) AS at FROM rollup_hourly').one().at;
    const pendingFlush = this.pendingEvents();
    return { scans: humanScans + botScans, humanScans, botScans, pendingFlush, lastScanAt: last, byCountry };
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
