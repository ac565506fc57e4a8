// `npm run bench:storage`: what storing a scan costs, in bytes, rows and operations per store, in
// dollars per million scans at Cloudflare's published prices, and how large the largest store
// grows at 100 M scans a month kept 13 months.
//
// Method.
// 1. Measured, through Miniflare (the bench Worker, one fresh instance per scenario): a realistic
//    sample (generateDataset: Zipf GTINs, lots, serials, countries, apps, ~5 % bots) goes, one
//    simulated hour at a time, to POST /_bench/storage/record, which hands each counter's events to
//    its ScanCounter by the public RPCs only: record() in batches, flush() after every few
//    batches and after the last, archive(true) once (the hourly archive run SCAN_ARCHIVE_DELAY_MS
//    = 1 h makes), and returns the sum of the touched objects' usage() over the hour. Scenarios:
//    busy (hot keys: 25 scans per record(), 4 batches per flush) and lone (each scan alone in its
//    record() and its own flush: keys scanned less often than once per flush delay). Sizes come
//    from the stores afterwards: D1 (GET /_bench/storage/sizes: dbstat, else page_count, then
//    dbstat on Miniflare's D1 file), R2 (listing scans/v1/) and each ScanCounter's SQLite file in
//    Miniflare's persistence directory (dbstat, read from Node once workerd has stopped; nothing is
//    added to the ScanCounter). Table names, indexes and sizes are read at run time.
// 2. Cost: the counts × PRICES (below), one row per billed item, every assumption printed.
// 3. Extrapolated, in Node: one day of traffic at 100 M scans/month by generateDataset's model
//    (the distinct roll-up rows it yields per day, overall and for the hottest GTIN), × the days
//    each store keeps each table, × the bytes per row measured in step 1.
//
// Settings: BENCH_STORAGE_SCANS (busy sample, 20000), BENCH_STORAGE_BUSY_GTINS (20),
// BENCH_STORAGE_BUSY_HOURS (6), BENCH_STORAGE_LONE_SCANS (3000), BENCH_STORAGE_LONE_GTINS (1000),
// BENCH_STORAGE_LONE_HOURS (24), BENCH_STORAGE_MONTHLY_SCANS (100000000), BENCH_STORAGE_GTINS
// (GTINs of the extrapolated traffic, 300: generateDataset's default), BENCH_STORAGE_DAY_SCALE
// (1: a full day at full rate; below 1, two scales and a power-law fit per table).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DETECTION_SCHEMA } from '../src/alerts/detection-schema.ts';
import { SCAN_COUNTER_SCHEMA } from '../src/scans/scan-counter-schema.ts';
import type { ScanEvent } from '../src/scans/scan-event-shape.ts';
import { RECENT_WINDOW_MAX_SCANS, recentWindowStart } from '../src/storage/recent-window.ts';
import { workerBundle } from './lib/build-worker.ts';
import { markdownTable, OUT_DIR, textTable } from './lib/report.ts';
import { type DatasetSink, generateDataset } from './lib/scan-dataset.ts';
import { serveWorker } from './lib/serve-worker.ts';
import {
  addCounts,
  emptyCounts,
  type StorageRecordResult,
  type StoreSizes,
  type UsageCounts,
} from './lib/storage-bench-types.ts';
import { PROJECT_ROOT } from './lib/wrangler-config.ts';

/**
 * Workers Paid, beyond the included amounts, USD, as published by Cloudflare:
 * https://developers.cloudflare.com/workers/platform/pricing/ (Workers, Queues),
 * https://developers.cloudflare.com/durable-objects/platform/pricing/ (SQLite storage backend),
 * https://developers.cloudflare.com/d1/platform/pricing/, https://developers.cloudflare.com/r2/pricing/
 * (Standard storage).
 */
export const PRICES = {
  workersRequestsPerM: 0.3,
  workersCpuPerMCpuMs: 0.02,
  doRequestsPerM: 0.15,
  doRowsWrittenPerM: 1.0,
  doRowsReadPerM: 0.001,
  doStoragePerGBMonth: 0.2,
  doDurationPerMGBs: 12.5,
  d1RowsWrittenPerM: 1.0,
  d1RowsReadPerM: 0.001,
  d1StoragePerGBMonth: 0.75,
  r2ClassAPerM: 4.5,
  r2ClassBPerM: 0.36,
  r2StoragePerGBMonth: 0.015,
  queuesPerMOperations: 0.4,
} as const;

/** Published limits (Workers Paid). R2 has none on a bucket's size. */
const LIMITS = { d1DatabaseBytes: 10e9, durableObjectBytes: 10e9 };

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number > 0`);
  return value;
}

const BUSY = {
  scans: positive('BENCH_STORAGE_SCANS', 20_000),
  gtins: positive('BENCH_STORAGE_BUSY_GTINS', 20),
  hours: positive('BENCH_STORAGE_BUSY_HOURS', 6),
  batchSize: 25,
  flushEvery: 4,
};
const LONE = {
  scans: positive('BENCH_STORAGE_LONE_SCANS', 3_000),
  gtins: positive('BENCH_STORAGE_LONE_GTINS', 1_000),
  hours: positive('BENCH_STORAGE_LONE_HOURS', 24),
  batchSize: 1,
  flushEvery: 1,
};
const MONTHLY_SCANS = positive('BENCH_STORAGE_MONTHLY_SCANS', 100e6);
const EXTRAPOLATED_GTINS = positive('BENCH_STORAGE_GTINS', 300);
const DAY_SCALE = Math.min(1, positive('BENCH_STORAGE_DAY_SCALE', 1));
const MONTHS_KEPT = 13;
const DAYS_PER_MONTH = 365.25 / 12;
const DAYS_KEPT = Math.round(MONTHS_KEPT * DAYS_PER_MONTH); // 396
/** A constant of src/db/schema/storage.ts, read from its text (that module does not load in Node). */
function storageDefault(name: string): number {
  const text = readFileSync(join(PROJECT_ROOT, 'src', 'db', 'schema', 'storage.ts'), 'utf8');
  const m = new RegExp(`${name}\\s*=\\s*(\\d+)`).exec(text);
  if (!m) throw new Error(`${name} not found in src/db/schema/storage.ts`);
  return Number(m[1]);
}
const DEFAULT_RAW_RECENT_DAYS = storageDefault('DEFAULT_RAW_RECENT_DAYS');
const DEFAULT_ROLLUP_DAYS = storageDefault('DEFAULT_ROLLUP_DAYS');
/** Days D1 keeps raw events and roll-ups by default (src/db/schema/storage.ts). */
const RAW_RECENT_DAYS = DEFAULT_RAW_RECENT_DAYS;
const ROLLUP_DAYS = Math.min(DEFAULT_ROLLUP_DAYS, DAYS_KEPT);
/** Assumed CPU per scan in the Worker (see the assumptions printed). */
const CPU_MS_PER_SCAN = 1;
/** Durable Objects bill duration at 128 MB per active object. */
const DO_MEMORY_GB = 0.128;
const ORG_ID = 'org_bench_storage';
const GB = 1e9;

/**
 * What the ScanCounter prunes in its own storage (src/scans/scan-counter.ts, read by hand: the
 * benchmark cannot see it from outside). Days a row stays; a table not listed is assumed kept for
 * good (the legacy roll-up tables of objects from before batches carried their counts).
 */
const OBJECT_SHORT_LIVED: Record<string, { days: number; why: string }> = {
  seen_batches: { days: 4, why: 'batch ids, pruned 3 days after their first scan (SEEN_RETENTION_DAYS)' },
  live_totals: { days: 0, why: 'a row per country and bot flag, whatever the scans' },
  meta: { days: 0, why: 'a few cursors and settings' },
  day_scanners: { days: 2, why: 'distinct scanners of today and yesterday' },
  detect_serials: {
    days: 30,
    why: "per-serial detector state, pruned past the detectors' window (30 days by default)",
  },
  pending: { days: 1 / 24, why: 'raw batches until flushed and archived (≤ 1 h, SCAN_ARCHIVE_DELAY_MS)' },
  detect_outbox: { days: 0, why: 'alerts until the next flush' },
  detect_flush: { days: 0, why: 'one flush token' },
  detect_notify: { days: 0, why: 'alerts until notified' },
};

const fmt = (n: number, digits = 2) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const money = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
const mb = (bytes: number) => `${fmt(bytes / 1e6, 1)} MB`;
const gb = (bytes: number) => `${fmt(bytes / 1e9, 2)} GB`;

/** The row generateDataset hands its sink, as the ScanEvent it came from. */
function eventOf(row: unknown[]): ScanEvent & { shard: number } {
  const [id, occurredAt, keyValue, cpv, lot, serial, attributes, country, region, city, latitude, longitude] =
    row as [string, number, string, string | null, string | null, string | null, string, ...unknown[]];
  const [timezone, colo, referrer, app, deviceClass, isBot, outcome, linkType, ruleId, destination] =
    row.slice(12, 22) as (string | null)[];
  const [language, scannerHash] = row.slice(22) as string[];
  return {
    id,
    orgId: ORG_ID,
    occurredAt,
    keyAi: '01',
    keyValue,
    cpv,
    lot,
    serial,
    attributes: JSON.parse(attributes) as Record<string, string>,
    country: country as string | null,
    region: region as string | null,
    city: city as string | null,
    latitude: latitude as number | null,
    longitude: longitude as number | null,
    timezone,
    colo,
    referrer,
    app,
    deviceClass: deviceClass as string,
    isBot: (isBot as unknown as number) === 1,
    outcome: outcome as ScanEvent['outcome'],
    linkType,
    ruleId,
    destination,
    language: language!,
    scannerHash: scannerHash!,
    shard: 0,
  } as ScanEvent & { shard: number };
}

/** Secondary indexes per table of the object's schema (CREATE INDEX … ON table), read from the source. */
function objectIndexes(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sql of [...SCAN_COUNTER_SCHEMA, ...DETECTION_SCHEMA]) {
    const m = /CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+(\w+)/i.exec(sql);
    if (m) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  }
  return out;
}

interface SqliteTables {
  /** Bytes per table, its indexes included (dbstat). */
  bytes: Record<string, number>;
  /** … of which in use (pgsize − unused): a small table's bytes per row without its page's slack. */
  used: Record<string, number>;
  pages: Record<string, number>;
  rows: Record<string, number>;
  fileBytes: number;
}

/** Tables of one SQLite file: rows, and bytes with their indexes (dbstat, pages as stored). */
function readSqlite(path: string): SqliteTables {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const master = db
      .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
      .all() as { type: string; name: string; tbl_name: string }[];
    const tableOf = new Map(master.map((m) => [m.name, m.tbl_name]));
    const bytes: Record<string, number> = {};
    const used: Record<string, number> = {};
    const pages: Record<string, number> = {};
    for (const r of db
      .prepare(
        'SELECT name, sum(pgsize) AS bytes, sum(pgsize - unused) AS used, count(*) AS pages FROM dbstat GROUP BY name',
      )
      .all() as { name: string; bytes: number; used: number; pages: number }[]) {
      const table = tableOf.get(r.name) ?? r.name;
      bytes[table] = (bytes[table] ?? 0) + r.bytes;
      used[table] = (used[table] ?? 0) + r.used;
      pages[table] = (pages[table] ?? 0) + r.pages;
    }
    const rows: Record<string, number> = {};
    for (const m of master)
      if (m.type === 'table' && !m.name.startsWith('sqlite_') && !/_fts(_|$)/.test(m.name))
        rows[m.name] = (db.prepare(`SELECT count(*) AS n FROM "${m.name}"`).get() as { n: number }).n;
    const pageCount = db.prepare('PRAGMA page_count').get() as { page_count: number };
    const size = db.prepare('PRAGMA page_size').get() as { page_size: number };
    return { bytes, used, pages, rows, fileBytes: pageCount.page_count * size.page_size };
  } finally {
    db.close();
  }
}

function sqliteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    if (entry.endsWith('.sqlite') && statSync(join(dir, entry)).isFile()) out.push(join(dir, entry));
  return out;
}

interface ScenarioSpec {
  name: 'busy' | 'lone';
  scans: number;
  gtins: number;
  hours: number;
  batchSize: number;
  flushEvery: number;
}

interface ScenarioResult {
  spec: ScenarioSpec;
  scans: number;
  counters: number;
  calls: StorageRecordResult['calls'];
  wallMs: StorageRecordResult['wallMs'];
  usage: UsageCounts;
  sizes: StoreSizes;
  /** What compacting every hour into the daily tier wrote (its copies; the deletes come apart). */
  compaction: { hours: number; rowsWritten: number };
  /** D1 per table (indexes included), from dbstat in the Worker or on Miniflare's D1 file. */
  d1: { bytes: Record<string, number>; rows: Record<string, number>; source: string; file?: SqliteTables };
  /** All ScanCounter files together (the empty one left out), the largest, and an empty object's. */
  object: SqliteTables & {
    files: number;
    largestFileBytes: number;
    largest: SqliteTables;
    empty: SqliteTables;
  };
  /** JSON bytes per raw event (a pending row's payload is a JSON array of them). */
  jsonBytesPerEvent: number;
  elapsedS: number;
}

async function runScenario(scriptPath: string, spec: ScenarioSpec): Promise<ScenarioResult> {
  const started = performance.now();
  const worker = await serveWorker({
    scriptPath,
    // No alarm fires during the run: the benchmark calls flush() and archive() itself.
    vars: { SCAN_FLUSH_DELAY_MS: String(86_400_000) },
  });
  let disposed = false;
  try {
    const total: Omit<StorageRecordResult, 'counters'> & { counters: Set<string> } = {
      counters: new Set(),
      calls: { record: 0, flush: 0, archive: 0 },
      wallMs: { record: 0, flush: 0, archive: 0 },
      usage: emptyCounts(),
    };
    let hour: (ScanEvent & { shard: number })[] = [];
    let jsonBytes = 0;
    let scans = 0;
    const sink: DatasetSink = {
      event: (row) => {
        const e = eventOf(row);
        jsonBytes += JSON.stringify(e).length;
        hour.push(e);
      },
      hourly: () => {},
      dims: () => {},
      serials: () => {},
      scanners: () => {},
      drain: async () => {
        if (hour.length === 0) return;
        const res = await fetch(`${worker.url}/_bench/storage/record`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events: hour, batchSize: spec.batchSize, flushEvery: spec.flushEvery }),
        });
        if (!res.ok) throw new Error(`/_bench/storage/record: ${res.status} ${await res.text()}`);
        const r = (await res.json()) as StorageRecordResult;
        scans += hour.length;
        hour = [];
        for (const c of r.counters) total.counters.add(c);
        for (const k of ['record', 'flush', 'archive'] as const) {
          total.calls[k] += r.calls[k];
          total.wallMs[k] += r.wallMs[k];
        }
        addCounts(total.usage, r.usage);
      },
    };
    await generateDataset(
      {
        orgId: ORG_ID,
        events: spec.scans,
        days: spec.hours / 24,
        endMs: Date.now(),
        gtins: spec.gtins,
        seed: spec.name === 'busy' ? 1 : 2,
      },
      sink,
    );
    console.log(
      `  ${spec.name}: ${int(scans)} scans recorded in ${fmt((performance.now() - started) / 1000, 0)} s`,
    );
    // The daily tier the cron would compact these quarter-hours into, copied beside them.
    const compacted = await fetch(`${worker.url}/_bench/storage/compact?org=${ORG_ID}`, { method: 'POST' });
    if (!compacted.ok)
      throw new Error(`/_bench/storage/compact: ${compacted.status} ${await compacted.text()}`);
    const compaction = (await compacted.json()) as { hours: number; rowsWritten: number };
    const res = await fetch(`${worker.url}/_bench/storage/sizes`);
    if (!res.ok) throw new Error(`/_bench/storage/sizes: ${res.status} ${await res.text()}`);
    const sizes = (await res.json()) as StoreSizes;

    // Stop workerd, so the SQLite files are complete and quiet, then read them.
    await worker.mf.dispose();
    disposed = true;
    const files = sqliteFiles(worker.persistDir);
    const emptyFile = files.find((f) => f.includes(sizes.emptyCounterId));
    if (!emptyFile)
      throw new Error(
        `no SQLite file for the empty ScanCounter ${sizes.emptyCounterId} in ${files.join(', ')}`,
      );
    const objectFiles = files.filter((f) => f.includes('ScanCounter') && f !== emptyFile);
    const empty = readSqlite(emptyFile);
    const object: ScenarioResult['object'] = {
      bytes: {},
      used: {},
      pages: {},
      rows: {},
      fileBytes: 0,
      files: objectFiles.length,
      largestFileBytes: 0,
      largest: empty,
      empty,
    };
    for (const f of objectFiles) {
      const t = readSqlite(f);
      object.fileBytes += t.fileBytes;
      if (t.fileBytes > object.largestFileBytes) {
        object.largestFileBytes = t.fileBytes;
        object.largest = t;
      }
      for (const key of ['bytes', 'used', 'pages', 'rows'] as const)
        for (const [k, v] of Object.entries(t[key])) object[key][k] = (object[key][k] ?? 0) + v;
    }
    let d1: ScenarioResult['d1'];
    if (sizes.d1.method === 'dbstat') {
      const bytes: Record<string, number> = {};
      for (const [name, b] of Object.entries(sizes.d1.bytes)) {
        const table = sizes.d1.indexOf[name] ?? name;
        bytes[table] = (bytes[table] ?? 0) + b;
      }
      d1 = { bytes, rows: sizes.d1.rows, source: 'dbstat in the Worker' };
    } else {
      // D1 refuses dbstat: the same database file, read by Node's SQLite once workerd stopped.
      const d1File = files.find((f) => /[/\\]d1[/\\]/.test(f) && !f.includes('metadata'));
      if (!d1File) throw new Error(`no D1 file under ${worker.persistDir}`);
      const t = readSqlite(d1File);
      d1 = {
        bytes: t.bytes,
        rows: t.rows,
        file: t,
        source: `dbstat on Miniflare's D1 file, read from Node after the run (in the Worker, dbstat ${sizes.d1.pageCountError ? 'and PRAGMA page_count are' : 'is'} refused: ${sizes.d1.dbstatError?.replace(/^Error: /, '').slice(0, 60)})`,
      };
    }
    return {
      spec,
      scans,
      counters: total.counters.size,
      calls: total.calls,
      wallMs: total.wallMs,
      usage: total.usage,
      sizes,
      compaction,
      d1,
      object,
      jsonBytesPerEvent: jsonBytes / scans,
      elapsedS: (performance.now() - started) / 1000,
    };
  } finally {
    if (!disposed) await worker.mf.dispose();
    rmSync(worker.persistDir, { recursive: true, force: true });
  }
}

const isRollup = (table: string) => /rollup/.test(table);

/**
 * Days D1 keeps a roll-up table's rows (src/storage/retention.ts, rollup-compaction.ts): the
 * per-key quarter-hours and per-serial totals for the recent window, the daily tier for the rest
 * of the roll-up days, the organisation's quarter-hours and the scanner counts for all of them.
 */
function d1DaysKept(table: string, recentDays = RAW_RECENT_DAYS): number {
  if (/rollup_(hourly|dims|serials)$/.test(table) || table === 'scan_events') return recentDays;
  if (/rollup_(daily|dims_daily)$/.test(table)) return ROLLUP_DAYS - recentDays;
  return ROLLUP_DAYS;
}

/**
 * Days of the recent window of an organisation scanning `perDay` a day, at the end of a day (the
 * longest it gets): raw_recent_days, or fewer past RECENT_WINDOW_MAX_SCANS (recent-window.ts).
 */
function recentDaysAt(perDay: number): number {
  const today = Date.UTC(2026, 0, 31);
  const days = new Map(
    Array.from({ length: RAW_RECENT_DAYS + 1 }, (_, i) => [today - i * 86_400_000, perDay]),
  );
  const start = recentWindowStart(today - RAW_RECENT_DAYS * 86_400_000, today + 86_399_999, days);
  return (today + 86_400_000 - start) / 86_400_000;
}

/** Pages below which a table's bytes per row are its used bytes (its pages are mostly slack). */
const FEW_PAGES = 16;

/** Bytes per row of `table` in one SQLite file: stored pages ÷ rows, or used bytes for a small table. */
function perRowBytes(t: SqliteTables, table: string, emptyBytes = 0): number {
  const rows = t.rows[table] ?? 0;
  if (rows === 0) return 0;
  return (t.pages[table] ?? 0) >= FEW_PAGES
    ? Math.max(0, (t.bytes[table] ?? 0) - emptyBytes) / rows
    : (t.used[table] ?? 0) / rows;
}

interface PerScan {
  objectRows: number;
  objectIndexRows: number;
  objectRowsByTable: Record<string, number>;
  d1Rows: number;
  doRequests: number;
  doGBs: number;
  r2ClassA: number;
  r2Bytes: number;
  d1EventBytes: number;
  d1RollupBytesPerScan: number;
  /** GB-months of roll-ups per scan, each table for the days it is kept. */
  d1RollupGBMonthsPerScan: number;
  /** D1 rows written later per scan: compaction copies and deletes of what ages out. */
  d1LaterRows: number;
  /** Bytes the objects' tables grew by beyond an empty object's, per scan. */
  objectBytesPerScan: number;
  /** … × the months each table keeps them (≤ 13), per scan. */
  objectGBMonthsPerScan: number;
}

/** Whether workerd's rowsWritten already counts index entries (the probe, see StoreSizes). */
const indexEntriesCounted = (r: ScenarioResult) => r.sizes.indexProbeRowsWritten > 1;

/** Months a table of the object keeps what it holds (OBJECT_SHORT_LIVED, else 13). */
const objectMonthsKept = (table: string) =>
  Math.min(MONTHS_KEPT, (OBJECT_SHORT_LIVED[table]?.days ?? Number.POSITIVE_INFINITY) / DAYS_PER_MONTH);

/** A table's bytes in the objects beyond what it takes in an empty object (its empty pages). */
const objectGrowth = (r: ScenarioResult, table: string) =>
  Math.max(0, (r.object.bytes[table] ?? 0) - (r.object.empty.bytes[table] ?? 0) * r.object.files);

function perScan(r: ScenarioResult, indexes: Record<string, number>): PerScan {
  const n = r.scans;
  const byTable: Record<string, number> = {};
  let indexRows = 0;
  for (const [t, rows] of Object.entries(r.usage.objectRowsByTable)) {
    byTable[t] = rows / n;
    if (!indexEntriesCounted(r)) indexRows += rows * (indexes[t] ?? 0);
  }
  const events = r.d1.rows.scan_events ?? 0;
  const rollups = Object.entries(r.d1.bytes).filter(([t]) => isRollup(t));
  const rollupBytes = rollups.reduce((a, [, b]) => a + b, 0);
  const rollupGBMonths = rollups.reduce((a, [t, b]) => a + (b / GB) * (d1DaysKept(t) / DAYS_PER_MONTH), 0);
  // Written later for what this sample wrote: the daily tier's rows (the compaction's copies), and
  // every deleted row (D1 bills a delete as a row written): quarter-hours when they move, serials
  // and raw events (row + its one index entry) when they age out.
  const rows = (t: string) => r.d1.rows[t] ?? 0;
  const laterRows =
    r.compaction.rowsWritten +
    rows('scan_rollup_hourly') +
    rows('scan_rollup_dims') +
    rows('scan_rollup_serials') +
    2 * events;
  const tables = Object.keys(r.object.bytes).filter((t) => r.object.rows[t] !== undefined);
  const grownBytes = tables.reduce((a, t) => a + objectGrowth(r, t), 0);
  const gbMonths = tables.reduce((a, t) => a + (objectGrowth(r, t) / GB) * objectMonthsKept(t), 0);
  return {
    objectRows: r.usage.objectRowsWritten / n,
    objectIndexRows: indexRows / n,
    objectRowsByTable: byTable,
    d1Rows: r.usage.d1RowsWritten / n,
    doRequests: (r.calls.record + r.calls.flush + r.calls.archive) / n,
    doGBs: (((r.wallMs.record + r.wallMs.flush + r.wallMs.archive) / 1000) * DO_MEMORY_GB) / n,
    r2ClassA: r.usage.r2Puts / n,
    r2Bytes: r.sizes.r2.bytes / n,
    d1EventBytes: events ? (r.d1.bytes.scan_events ?? 0) / events : 0,
    d1RollupBytesPerScan: rollupBytes / n,
    d1RollupGBMonthsPerScan: rollupGBMonths / n,
    d1LaterRows: laterRows / n,
    objectBytesPerScan: grownBytes / n,
    objectGBMonthsPerScan: gbMonths / n,
  };
}

interface CostLine {
  item: string;
  perScan: string;
  busy: number;
  lone: number;
}

function costLines(busy: PerScan, lone: PerScan): CostLine[] {
  const line = (item: string, perScan: string, f: (p: PerScan) => number): CostLine => ({
    item,
    perScan,
    busy: f(busy) * 1e6,
    lone: f(lone) * 1e6,
  });
  const both = (f: (p: PerScan) => number, digits = 3) => `${fmt(f(busy), digits)} / ${fmt(f(lone), digits)}`;
  const gbMonths = (bytes: number, months: number) => (bytes / GB) * months;
  return [
    line('Workers requests', '1 / 1', () => PRICES.workersRequestsPerM / 1e6),
    line(
      `Workers CPU (${CPU_MS_PER_SCAN} ms assumed)`,
      `${CPU_MS_PER_SCAN} ms`,
      () => (CPU_MS_PER_SCAN * PRICES.workersCpuPerMCpuMs) / 1e6,
    ),
    line(
      'DO requests (record + flush + archive)',
      both((p) => p.doRequests),
      (p) => (p.doRequests * PRICES.doRequestsPerM) / 1e6,
    ),
    line(
      'DO rows written (index entries included)',
      both((p) => p.objectRows + p.objectIndexRows, 2),
      (p) => ((p.objectRows + p.objectIndexRows) * PRICES.doRowsWrittenPerM) / 1e6,
    ),
    line(
      'DO duration (active wall time × 128 MB)',
      `${both((p) => p.doGBs * 1e3, 3)} mGB-s`,
      (p) => (p.doGBs * PRICES.doDurationPerMGBs) / 1e6,
    ),
    line(
      `DO storage (growth × months kept, ≤ ${MONTHS_KEPT})`,
      `${both((p) => p.objectBytesPerScan, 0)} B`,
      (p) => p.objectGBMonthsPerScan * PRICES.doStoragePerGBMonth,
    ),
    line(
      'D1 rows written (as D1 reports)',
      both((p) => p.d1Rows, 2),
      (p) => (p.d1Rows * PRICES.d1RowsWrittenPerM) / 1e6,
    ),
    line(
      'D1 rows written later (compaction, deletes)',
      both((p) => p.d1LaterRows, 2),
      (p) => (p.d1LaterRows * PRICES.d1RowsWrittenPerM) / 1e6,
    ),
    line(
      `D1 storage, raw events (${RAW_RECENT_DAYS} days)`,
      `${both((p) => p.d1EventBytes, 0)} B`,
      (p) => gbMonths(p.d1EventBytes, RAW_RECENT_DAYS / DAYS_PER_MONTH) * PRICES.d1StoragePerGBMonth,
    ),
    line(
      `D1 storage, roll-ups (each tier its days, ≤ ${MONTHS_KEPT} months)`,
      `${both((p) => p.d1RollupBytesPerScan, 0)} B`,
      (p) => p.d1RollupGBMonthsPerScan * PRICES.d1StoragePerGBMonth,
    ),
    line(
      'R2 Class A (puts)',
      both((p) => p.r2ClassA, 4),
      (p) => (p.r2ClassA * PRICES.r2ClassAPerM) / 1e6,
    ),
    line(
      `R2 storage (${MONTHS_KEPT} months)`,
      `${both((p) => p.r2Bytes, 0)} B`,
      (p) => gbMonths(p.r2Bytes, MONTHS_KEPT) * PRICES.r2StoragePerGBMonth,
    ),
  ];
}

// ── 3. Extrapolation: one day of traffic by the dataset's model ────────────────────────────────

interface DayModel {
  scans: number;
  /** Distinct rows per roll-up kind in the day: all keys, and the hottest GTIN's. */
  rows: Record<
    'hourly' | 'dims' | 'serials' | 'scanners' | 'orgHourly' | 'hourlyDaily' | 'dimsDaily',
    number
  >;
  hottest: { gtin: string; scans: number; peakHourScans: number } & Record<
    'hourly' | 'dims' | 'serials' | 'scanners',
    number
  >;
  elapsedS: number;
}

async function modelDay(scans: number): Promise<DayModel> {
  const started = performance.now();
  const perGtin = new Map<
    string,
    { scans: number; hourly: number; dims: number; serials: number; scanners: number }
  >();
  const g = (gtin: string) =>
    perGtin.get(gtin) ??
    perGtin.set(gtin, { scans: 0, hourly: 0, dims: 0, serials: 0, scanners: 0 }).get(gtin)!;
  const orgBuckets = new Set<string>();
  // The day's rows in the daily tier (src/storage/rollup-compaction.ts): per key, country, lot and
  // bot flag; dimensions per organisation.
  const hourlyDaily = new Set<string>();
  const dimsDaily = new Set<string>();
  const dayOf = (bucket: number) => Math.floor(bucket / 86_400_000);
  const hourScans = new Map<string, number>();
  let peakHour = 0;
  const sink: DatasetSink = {
    event: (row) => {
      const gtin = row[2] as string;
      g(gtin).scans++;
      const key = `${gtin}|${Math.floor((row[1] as number) / 3_600_000)}`;
      const n = (hourScans.get(key) ?? 0) + 1;
      hourScans.set(key, n);
      if (n > peakHour) peakHour = n;
    },
    hourly: (row) => {
      g(row[0] as string).hourly++;
      orgBuckets.add(`${row[1]}|${row[4]}`);
      hourlyDaily.add(`${row[0]}|${dayOf(row[1] as number)}|${row[2]}|${row[3]}|${row[4]}`);
    },
    dims: (row) => {
      g(row[0] as string).dims++;
      dimsDaily.add(`${dayOf(row[1] as number)}|${row[2]}|${row[3]}|${row[4]}|${row[5]}`);
    },
    serials: (row) => {
      g(row[0] as string).serials++;
    },
    scanners: (row) => {
      g(row[0] as string).scanners++;
    },
    drain: async () => {},
  };
  const summary = await generateDataset(
    {
      orgId: ORG_ID,
      events: Math.round(scans),
      days: 1,
      endMs: Date.now(),
      gtins: EXTRAPOLATED_GTINS,
      seed: 3,
    },
    sink,
  );
  const [hotGtin, hot] = [...perGtin].sort((a, b) => b[1].scans - a[1].scans)[0]!;
  let hotPeak = 0;
  for (const [key, n] of hourScans) if (key.startsWith(`${hotGtin}|`)) hotPeak = Math.max(hotPeak, n);
  return {
    scans: summary.events,
    rows: {
      ...summary.rows,
      orgHourly: orgBuckets.size,
      hourlyDaily: hourlyDaily.size,
      dimsDaily: dimsDaily.size,
    },
    hottest: { gtin: hotGtin, peakHourScans: hotPeak, ...hot },
    elapsedS: (performance.now() - started) / 1000,
  };
}

/** Full-rate figures: measured directly at scale 1, else a power law through two scales. */
async function fullDay(fullScans: number): Promise<{ day: DayModel; how: string }> {
  if (DAY_SCALE >= 1) {
    const day = await modelDay(fullScans);
    return {
      day,
      how: `one full day generated at full rate (${int(day.scans)} scans, ${fmt(day.elapsedS, 0)} s)`,
    };
  }
  const a = await modelDay(fullScans * DAY_SCALE * 0.5);
  const b = await modelDay(fullScans * DAY_SCALE);
  const exps: string[] = [];
  const extrapolate = (ya: number, yb: number, label: string) => {
    const k = ya > 0 && yb > 0 ? Math.log(yb / ya) / Math.log(b.scans / a.scans) : 1;
    exps.push(`${label} ^${fmt(k, 2)}`);
    return yb * (fullScans / b.scans) ** k;
  };
  const rows = Object.fromEntries(
    Object.keys(b.rows).map((k) => [
      k,
      extrapolate(a.rows[k as keyof DayModel['rows']], b.rows[k as keyof DayModel['rows']], k),
    ]),
  ) as DayModel['rows'];
  const f = fullScans / b.scans;
  const hot = b.hottest;
  const day: DayModel = {
    scans: fullScans,
    rows,
    hottest: {
      gtin: hot.gtin,
      scans: hot.scans * f,
      peakHourScans: hot.peakHourScans * f,
      hourly: extrapolate(a.hottest.hourly, hot.hourly, 'hottest hourly'),
      dims: extrapolate(a.hottest.dims, hot.dims, 'hottest dims'),
      serials: extrapolate(a.hottest.serials, hot.serials, 'hottest serials'),
      scanners: extrapolate(a.hottest.scanners, hot.scanners, 'hottest scanners'),
    },
    elapsedS: a.elapsedS + b.elapsedS,
  };
  return {
    day,
    how: `days generated at ${int(a.scans)} and ${int(b.scans)} scans, distinct rows extrapolated to ${int(fullScans)} by a power law per table (rows ∝ scans^k: ${exps.join(', ')})`,
  };
}

/** Which roll-up kind of the day model a table's rows follow, by its name. */
function kindOf(table: string): keyof DayModel['rows'] | undefined {
  if (/org_hourly/.test(table)) return 'orgHourly';
  if (/dims_daily/.test(table)) return 'dimsDaily';
  if (/rollup_daily/.test(table)) return 'hourlyDaily';
  if (/hourly/.test(table)) return 'hourly';
  if (/dims/.test(table)) return 'dims';
  if (/serial/.test(table)) return 'serials';
  if (/rollup_scanners/.test(table)) return 'scanners';
  return undefined;
}

interface StoreLine {
  table: string;
  rows: number;
  bytesPerRow: number;
  bytes: number;
  how: string;
}

function d1AtHorizon(day: DayModel, busy: ScenarioResult): StoreLine[] {
  const out: StoreLine[] = [];
  for (const [table, rows] of Object.entries(busy.d1.rows)) {
    if (rows === 0) continue;
    const bytesPerRow = busy.d1.file ? perRowBytes(busy.d1.file, table) : (busy.d1.bytes[table] ?? 0) / rows;
    const recentDays = recentDaysAt(day.scans);
    if (table === 'scan_events') {
      const kept = day.scans * recentDays;
      out.push({
        table,
        rows: kept,
        bytesPerRow,
        bytes: kept * bytesPerRow,
        how: `${recentDays} days of scans (the recent window: raw_recent_days ${RAW_RECENT_DAYS}, shorter past ${int(RECENT_WINDOW_MAX_SCANS)} scans in it)`,
      });
      continue;
    }
    const kind = kindOf(table);
    if (kind) {
      const days = d1DaysKept(table, recentDays);
      const kept = day.rows[kind] * days;
      out.push({
        table,
        rows: kept,
        bytesPerRow,
        bytes: kept * bytesPerRow,
        how: `${int(day.rows[kind])} distinct rows a day × ${days} days${kind === 'serials' ? ' (each day’s serials taken as new)' : ''}`,
      });
    } else if (/scan|alert|detect/.test(table)) {
      const kept = (rows / busy.scans) * day.scans * ROLLUP_DAYS;
      out.push({
        table,
        rows: kept,
        bytesPerRow,
        bytes: kept * bytesPerRow,
        how: 'rows per scan of the sample × scans of 13 months',
      });
    }
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}

/**
 * The hottest GTIN's ScanCounter after 13 months. Bytes per row from the sample's largest object
 * (its own pages beyond an empty object's); rows from the day model, what the object prunes
 * (OBJECT_SHORT_LIVED) and, for tables the model does not know, the sample's rows per scan (or,
 * when they hold about one row per object, that object's bytes as they are).
 */
function objectAtHorizon(day: DayModel, busy: ScenarioResult): StoreLine[] {
  const hot = day.hottest;
  const big = busy.object.largest;
  const empty = busy.object.empty;
  const out: StoreLine[] = [];
  for (const [table, rows] of Object.entries(busy.object.rows)) {
    const bigRows = big.rows[table] ?? 0;
    const bigBytes = Math.max(0, (big.bytes[table] ?? 0) - (empty.bytes[table] ?? 0));
    const bytesPerRow = perRowBytes(big, table, empty.bytes[table] ?? 0);
    const short = OBJECT_SHORT_LIVED[table];
    const kind = kindOf(table);
    const push = (kept: number, how: string, perRow = bytesPerRow) =>
      out.push({ table, rows: kept, bytesPerRow: perRow, bytes: kept * perRow, how });
    if (table === 'pending') {
      // Empty after the sample's archive runs: at most the peak hour's raw events, as JSON.
      const batches = hot.peakHourScans / BUSY.batchSize;
      push(
        batches,
        `≤ the peak hour's ${int(hot.peakHourScans)} raw events (archive delay) × ${int(busy.jsonBytesPerEvent)} B of JSON`,
        (hot.peakHourScans * busy.jsonBytesPerEvent) / batches,
      );
    } else if (
      (kind === 'hourly' || kind === 'dims' || kind === 'serials' || kind === 'scanners') &&
      table.startsWith('rollup')
    ) {
      push(
        hot[kind] * DAYS_KEPT,
        `${int(hot[kind])} distinct rows a day × ${DAYS_KEPT} days (never pruned in the object)`,
      );
    } else if (short) {
      if (rows === 0) continue;
      const days = Math.min(DAYS_KEPT, short.days);
      const perScan = rows / busy.scans; // the sample spans less than `days`: rows per scan it keeps
      push(
        perScan * hot.scans * days,
        `${short.why}: ${fmt(perScan, 3)} rows per scan × ${fmt(days, 1)} days of the key's scans`,
      );
    } else if (bigRows <= 2 * (rows / busy.object.files)) {
      // As many rows in the largest object as in the average one (meta, detector settings, the
      // runtime's own tables): they do not grow with scans. As in the largest object.
      if (bigBytes > 0) push(bigRows, 'about one row per object: as in the sample’s largest object');
    } else {
      push(
        (rows / busy.scans) * hot.scans * DAYS_KEPT,
        'not in the model: rows per scan × 13 months of the key’s scans',
      );
    }
  }
  return out.filter((l) => l.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}

// ── Run ────────────────────────────────────────────────────────────────────────────────────────

const runStarted = performance.now();
const takenAt = new Date();
const scriptPath = workerBundle();
const indexes = objectIndexes();
console.log(
  `bench:storage — busy ${int(BUSY.scans)} scans (${BUSY.gtins} GTINs, ${BUSY.hours} h), lone ${int(LONE.scans)} scans (${LONE.gtins} GTINs, ${LONE.hours} h)`,
);
const busy = await runScenario(scriptPath, { name: 'busy', ...BUSY });
const lone = await runScenario(scriptPath, { name: 'lone', ...LONE });
const busyPer = perScan(busy, indexes);
const lonePer = perScan(lone, indexes);

const dailyScans = MONTHLY_SCANS / DAYS_PER_MONTH;
console.log(`  modelling a day at ${int(dailyScans)} scans (${EXTRAPOLATED_GTINS} GTINs)…`);
const { day, how: dayHow } = await fullDay(dailyScans);
const d1Lines = d1AtHorizon(day, busy);
const objectLines = objectAtHorizon(day, busy);
const d1Total = d1Lines.reduce((a, l) => a + l.bytes, 0);
const objectTotal = objectLines.reduce((a, l) => a + l.bytes, 0);
const r2Total = busyPer.r2Bytes * MONTHLY_SCANS * MONTHS_KEPT;
const d1Pct = (100 * d1Total) / LIMITS.d1DatabaseBytes;
const objectPct = (100 * objectTotal) / LIMITS.durableObjectBytes;
const largest =
  d1Pct >= objectPct
    ? { store: 'D1 database', pct: d1Pct }
    : { store: `ScanCounter ${counterLabel()}`, pct: objectPct };
function counterLabel() {
  return `01/${day.hottest.gtin}#0`;
}

// ── Report ─────────────────────────────────────────────────────────────────────────────────────

const scenarioRows = [busy, lone].map((r) => {
  const p = r === busy ? busyPer : lonePer;
  return [
    r.spec.name,
    int(r.scans),
    int(r.counters),
    `${r.spec.batchSize} × ${r.spec.flushEvery}`,
    fmt(p.objectRows, 2),
    fmt(p.objectIndexRows, 2),
    fmt(p.d1Rows, 2),
    fmt(p.doRequests, 3),
    fmt(p.r2ClassA, 4),
    fmt(p.r2Bytes, 0),
    fmt(p.d1EventBytes, 0),
    fmt(p.d1RollupBytesPerScan, 0),
    fmt(r.object.fileBytes / r.scans, 0),
  ];
});
const scenarioHeader = [
  'scenario',
  'scans',
  'counters',
  'batch × flush',
  'DO rows/scan',
  'index rows added',
  'D1 rows/scan',
  'DO req/scan',
  'R2 A/scan',
  'R2 B/scan',
  'D1 B/event',
  'D1 roll-up B/scan',
  'DO file B/scan',
];

const tableBreakdown = (r: ScenarioResult) =>
  Object.entries(r.usage.objectRowsByTable)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${fmt(n / r.scans, 3)}${indexes[t] ? ` (${indexes[t]} index)` : ''}`)
    .join(', ');
const d1RowSizes = Object.entries(busy.d1.rows)
  .filter(([t, n]) => n > 0 && (isRollup(t) || t === 'scan_events'))
  .map(
    ([t, n]) =>
      `${t} ${int(n)} rows, ${fmt(busy.d1.file ? perRowBytes(busy.d1.file, t) : (busy.d1.bytes[t] ?? 0) / n, 0)} B/row`,
  )
  .join('; ');
const objectRowSizes = Object.entries(busy.object.largest.rows)
  .filter(([, n]) => n > 0)
  .map(
    ([t, n]) =>
      `${t} ${int(n)} rows, ${fmt(perRowBytes(busy.object.largest, t, busy.object.empty.bytes[t] ?? 0), 0)} B/row`,
  )
  .join('; ');

const costs = costLines(busyPer, lonePer);
const busyTotal = costs.reduce((a, c) => a + c.busy, 0);
const loneTotal = costs.reduce((a, c) => a + c.lone, 0);
const costHeader = ['item', 'per scan (busy / lone)', 'busy $/M scans', 'lone $/M scans'];
const costBody = [
  ...costs.map((c) => [c.item, c.perScan, money(c.busy), money(c.lone)]),
  ['total', '', money(busyTotal), money(loneTotal)],
];
const storeHeader = ['store / table', 'rows at 13 months', 'B/row (measured)', 'size', 'how'];
const storeBody = [
  ...d1Lines.map((l) => [`D1 ${l.table}`, int(l.rows), fmt(l.bytesPerRow, 0), gb(l.bytes), l.how]),
  ['D1 database, total', '', '', `${gb(d1Total)} (${fmt(d1Pct, 1)} % of 10 GB)`, ''],
  ...objectLines.map((l) => [`DO ${l.table}`, int(l.rows), fmt(l.bytesPerRow, 0), gb(l.bytes), l.how]),
  [`DO ${counterLabel()}, total`, '', '', `${gb(objectTotal)} (${fmt(objectPct, 1)} % of 10 GB)`, ''],
  [
    'R2 archive (no size limit)',
    '',
    fmt(busyPer.r2Bytes, 0),
    gb(r2Total),
    `${MONTHS_KEPT} months × ${int(MONTHLY_SCANS)} scans × B/scan`,
  ],
];

const d1RollupAtHorizon = d1Lines.filter((l) => isRollup(l.table)).reduce((a, l) => a + l.bytes, 0);
const assumptions = [
  `Workers CPU: ${CPU_MS_PER_SCAN} ms per scan assumed (bench/RESULTS.md measures ~22 µs in the isolate for a resolve and ~18 µs for the recorder's share: $0.001 per million instead of $0.02); 1 Worker request per scan.`,
  'DO requests: every record(), flush() and archive() call counts as one billed request (flush and archive stand for the alarm invocations that run them in production; one alarm may run both, so this is an upper bound). The usage() calls the benchmark makes are not counted.',
  indexEntriesCounted(busy)
    ? `DO rows written: the object's own count (SqlStorage rowsWritten). Cloudflare bills index entries as rows written too, and workerd's counter already includes them: a one-row INSERT into a table with a TEXT primary key and one index reports ${busy.sizes.indexProbeRowsWritten} rows written (probe in Miniflare's D1, which runs on the same SQLite layer). So no index entries are added (secondary indexes per table, from SCAN_COUNTER_SCHEMA and DETECTION_SCHEMA at run time: ${Object.entries(
        indexes,
      )
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}).`
    : `DO rows written: the object's own count (SqlStorage rowsWritten) plus, per table, its secondary indexes (from SCAN_COUNTER_SCHEMA and DETECTION_SCHEMA at run time: ${Object.entries(
        indexes,
      )
        .map(([t, n]) => `${t} ${n}`)
        .join(
          ', ',
        )}) × its rows written, as Cloudflare bills index entries as rows (the probe found workerd's counter leaves them out: ${busy.sizes.indexProbeRowsWritten} row for a one-row INSERT with a primary key and an index).`,
  "DO rows read, D1 rows read and R2 Class B: not counted by usage() and left out (reads are $0.001 per million rows; the scan path reads nothing from R2; R2 list calls are only the retention cron's, left out). Anomaly alerts reach D1 from the flush alarm (flushAlerts), which the benchmark does not fire: left out (rare by design).",
  `DO duration: the wall time of the RPCs as the caller saw them (Miniflare, one workerd on this machine) × 128 MB; an idle object that can hibernate is not billed, so idle time is left out. Busy ${fmt(busy.wallMs.record + busy.wallMs.flush + busy.wallMs.archive, 0)} ms, lone ${fmt(lone.wallMs.record + lone.wallMs.flush + lone.wallMs.archive, 0)} ms.`,
  `DO storage: what each table of the objects' SQLite files (dbstat, pages as stored, indexes included) grew by beyond an empty ScanCounter's, per scan, × the months the object keeps it: ${MONTHS_KEPT} for roll-ups (never pruned), ${Object.entries(
    OBJECT_SHORT_LIVED,
  )
    .map(([t, v]) => `${t} ${fmt(v.days, v.days < 1 ? 2 : 0)} d`)
    .join(
      ', ',
    )} (read by hand from src/scans/scan-counter.ts and src/alerts/). An empty ScanCounter's file is ${fmt(busy.object.empty.fileBytes / 1024, 0)} KiB (${Object.keys(busy.object.empty.bytes).length} tables and indexes, a page or more each): a cost per key, not per scan, left out of the totals: ${money((busy.object.empty.fileBytes / GB) * PRICES.doStoragePerGBMonth * 1e5)} a month per 100,000 keys.`,
  `D1 rows written as D1 reports them (meta.rows_written, summed by the object; index entries included, by the same probe). D1 rows written later: what the compaction's copies into the daily tier wrote (${int(busy.compaction.rowsWritten)} busy, ${int(lone.compaction.rowsWritten)} lone, over ${int(busy.compaction.hours)} and ${int(lone.compaction.hours)} hours) plus one row per quarter-hour and per-serial row deleted and two per raw event (row and index entry), as D1 bills deletes as rows written. D1 storage: scan_events with its indexes ÷ rows × ${RAW_RECENT_DAYS} days (raw_recent_days default); roll-ups per scan × the days each table keeps them: per-key quarter-hours and per-serial totals ${RAW_RECENT_DAYS} days, the daily tier ${ROLLUP_DAYS - RAW_RECENT_DAYS}, the organisation's quarter-hours and scanner counts ${ROLLUP_DAYS}. D1 sizes: ${busy.d1.source}.`,
  `D1 roll-ups at full rate are denser than in the samples: the extrapolated 13 months hold ${fmt(d1RollupAtHorizon / (MONTHLY_SCANS * MONTHS_KEPT), 0)} B of roll-ups per scan, against ${fmt(busyPer.d1RollupBytesPerScan, 0)} B (busy) measured; the cost table uses the measured figure.`,
  `R2: ${fmt(busy.usage.r2Deletes + lone.usage.r2Deletes, 0)} deletes counted (free); bytes are the objects under scans/v1/ (gzipped NDJSON) as listed, × ${MONTHS_KEPT} months; the archive runs once per simulated hour per counter. Queues: only alerts use them, left out.`,
  `Extrapolation: ${int(MONTHLY_SCANS)} scans a month = ${int(dailyScans)} a day over ${EXTRAPOLATED_GTINS} GTINs of generateDataset's model (Zipf 1.07), one shard per key; ${dayHow}. Kept in D1: raw events, per-key quarter-hours and per-serial totals for the recent window (${recentDaysAt(dailyScans)} days at this rate: raw_recent_days ${RAW_RECENT_DAYS}, shorter past ${int(RECENT_WINDOW_MAX_SCANS)} scans in it), the daily tier for the rest of ${ROLLUP_DAYS} days, the organisation's quarter-hours and scanner counts ${ROLLUP_DAYS} days; the cost table prices the default ${RAW_RECENT_DAYS} days (a brand below the limit). Kept in the object: ${DAYS_KEPT} days (it never prunes them); bytes per row measured in the busy sample (its roll-up rows are sparser than a full day's, so pages may pack differently). The hottest GTIN (${day.hottest.gtin}) takes ${fmt((100 * day.hottest.scans) / day.scans, 1)} % of the scans: ${int(day.hottest.scans)} a day.`,
];

const lastLine = `storage: ${money(busyTotal)} per million scans busy, ${money(loneTotal)} lone, largest store at ${fmt(MONTHLY_SCANS / 1e6, 0)}M scans/month × ${MONTHS_KEPT} months: ${fmt(largest.pct, 1)} % of its limit`;

console.log('\nMeasured, per scan (Miniflare):');
console.log(textTable(scenarioHeader, scenarioRows));
console.log(`\nDO rows written per scan by table — busy: ${tableBreakdown(busy)}`);
console.log(`                                   lone: ${tableBreakdown(lone)}`);
console.log(`D1 (busy sample): ${d1RowSizes}`);
console.log(
  `DO files (busy sample, ${busy.object.files} objects; the largest, ${mb(busy.object.largestFileBytes)}, per table, its bytes beyond an empty object's ÷ rows, or used bytes ÷ rows under ${FEW_PAGES} pages): ${objectRowSizes}`,
);
console.log(
  `Lone: ${lone.object.files} objects, ${mb(lone.object.fileBytes)} of SQLite files (${fmt(lone.object.fileBytes / lone.object.files / 1024, 0)} KiB each).`,
);
console.log('\nCost per million scans (Workers Paid, beyond included amounts):');
console.log(textTable(costHeader, costBody));
console.log(`\nStores at ${int(MONTHLY_SCANS)} scans/month × ${MONTHS_KEPT} months:`);
console.log(textTable(storeHeader, storeBody));
console.log(`Largest store with a limit: ${largest.store}.`);
console.log('\nAssumptions:');
for (const a of assumptions) console.log(`- ${a}`);
const elapsedS = (performance.now() - runStarted) / 1000;
console.log(
  `\n(${fmt(elapsedS, 0)} s: busy ${fmt(busy.elapsedS, 0)} s, lone ${fmt(lone.elapsedS, 0)} s, day model ${fmt(day.elapsedS, 0)} s)`,
);
console.log(lastLine);

// The run as markdown, for bench/RESULTS.md (bench/out/storage.md).
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(
  join(OUT_DIR, 'storage.md'),
  [
    `## ${takenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: what storing a scan costs (bench:storage)`,
    '',
    'Measured per scan:',
    '',
    markdownTable(scenarioHeader, scenarioRows),
    '',
    `DO rows written per scan by table: busy ${tableBreakdown(busy)}; lone ${tableBreakdown(lone)}.`,
    '',
    markdownTable(costHeader, costBody),
    '',
    markdownTable(storeHeader, storeBody, ['l', 'r', 'r', 'r', 'l']),
    '',
    ...assumptions.map((a) => `- ${a}`),
    '',
    `\`${lastLine}\``,
    '',
  ].join('\n'),
);
