// Writes a generated scan history (scan-dataset.ts) straight into the served Worker's D1, through
// the bulk writer Worker that serve-worker.ts serves beside it (`bulkD1Writer`). This BYPASSES the
// scan path (resolver capture → ScanCounter → flush): a million scans through it would take far
// too long, and the ingest benchmark measures that path. The roll-up rows are the ones the
// ScanCounter would have flushed.
//
// Rows travel as JSON, one parameter per statement expanded with json_each, as the flush does
// (src/scans/flush-statements.ts); many statements go in one `batch` (one transaction), and Node
// generates the next batch while workerd writes the previous one.
import type { Miniflare } from 'miniflare';
import {
  type DatasetOptions,
  type DatasetSink,
  type DatasetSummary,
  generateDataset,
} from './scan-dataset.ts';

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>;
type Statement = { sql: string; params: unknown[]; table: string };

/** Table → the columns each generated row holds, in order (org_id, key_ai and shard are fixed). */
const TABLES = {
  // As a deployment from before the archive held them (migration 0018); the bench then runs the
  // backfill that moves them to R2 and D1's window (bench/dashboard.ts).
  event: [
    'scan_events_legacy',
    [
      'id',
      'occurred_at',
      'key_value',
      'cpv',
      'lot',
      'serial',
      'attributes',
      'country',
      'region',
      'city',
      'latitude',
      'longitude',
      'timezone',
      'colo',
      'referrer',
      'app',
      'device_class',
      'is_bot',
      'outcome',
      'link_type',
      'rule_id',
      'destination',
      'language',
      'scanner_hash',
    ],
  ],
  hourly: ['scan_rollup_hourly', ['key_value', 'bucket', 'country', 'lot', 'is_bot', 'scans']],
  dims: ['scan_rollup_dims', ['key_value', 'bucket', 'dim', 'value', 'country', 'is_bot', 'scans']],
  serials: ['scan_rollup_serials', ['key_value', 'serial', 'lot', 'scans', 'first_at', 'last_at']],
  scanners: ['scan_rollup_scanners', ['key_value', 'day', 'is_bot', 'scanners']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;
type Table = keyof typeof TABLES;

const insertSql = (table: Table) => {
  const [name, columns] = TABLES[table];
  // Every scan goes to shard 0: SCAN_SHARDS is 1 in wrangler.toml and no key is overridden.
  // Each row is parsed once, into JSONB, whose fields `->>` then reads without parsing again:
  // three to four times faster than `value ->> i` on the text, which parses it per column.
  return `INSERT INTO ${name} (org_id, key_ai, shard, ${columns.join(', ')})
    WITH r AS MATERIALIZED (SELECT jsonb(value) AS v FROM json_each(?2))
    SELECT ?1, '01', 0, ${columns.map((_, i) => `v ->> ${i}`).join(', ')} FROM r`;
};

// Under D1's 2 MB limit on one value (src/db/json-chunks.ts); ~16 of them per batch round trip.
const CHUNK_CHARS = 1_000_000;
const BATCH_CHARS = 16_000_000;

export interface SeedResult extends DatasetSummary {
  seedMs: number;
  /** Of seedMs, the time Node waited for D1 (the rest is generating and encoding rows). */
  waitMs: number;
  /** SQLite's own time per table (D1's meta.duration); the rest of waitMs is carrying the JSON. */
  sqlMs: Record<string, number>;
  statements: number;
  jsonMiB: number;
}

class BulkWriter implements DatasetSink {
  private readonly sql = Object.fromEntries(
    Object.keys(TABLES).map((t) => [t, insertSql(t as Table)]),
  ) as Record<Table, string>;
  private readonly chunks = Object.fromEntries(
    Object.keys(TABLES).map((t) => [t, { rows: [] as string[], chars: 0 }]),
  ) as Record<Table, { rows: string[]; chars: number }>;
  private batch: Statement[] = [];
  private batchChars = 0;
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  waitMs = 0;
  /** SQLite's own time per table, as D1 reports it (meta.duration). */
  readonly sqlMs: Record<string, number> = {};
  statements = 0;
  totalChars = 0;

  private readonly writerUrl: string;
  private readonly orgId: string;

  constructor(writerUrl: string, orgId: string) {
    this.writerUrl = writerUrl;
    this.orgId = orgId;
  }

  event = (row: unknown[]) => this.add('event', row);
  hourly = (row: unknown[]) => this.add('hourly', row);
  dims = (row: unknown[]) => this.add('dims', row);
  serials = (row: unknown[]) => this.add('serials', row);
  scanners = (row: unknown[]) => this.add('scanners', row);

  private add(table: Table, row: unknown[]): void {
    const json = JSON.stringify(row);
    const chunk = this.chunks[table];
    chunk.rows.push(json);
    chunk.chars += json.length + 1;
    if (chunk.chars >= CHUNK_CHARS) this.cut(table);
  }

  /** Turns a table's pending rows into one statement of the next batch. */
  private cut(table: Table): void {
    const chunk = this.chunks[table];
    if (chunk.rows.length === 0) return;
    this.batch.push({ sql: this.sql[table], params: [this.orgId, `[${chunk.rows.join(',')}]`], table });
    this.batchChars += chunk.chars;
    this.totalChars += chunk.chars;
    this.statements++;
    this.chunks[table] = { rows: [], chars: 0 };
  }

  /** Sends the batch once it is big enough; at most one batch is in flight. */
  async drain(force = false): Promise<void> {
    if (this.batch.length === 0 || (!force && this.batchChars < BATCH_CHARS)) return;
    await this.settle();
    const statements = this.batch;
    this.batch = [];
    this.batchChars = 0;
    // Caught here and rethrown by settle(): a rejection nobody awaits yet would end the process.
    this.inFlight = this.send(statements).then(
      () => undefined,
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  private async send(statements: Statement[]): Promise<void> {
    const response = await fetch(this.writerUrl, { method: 'POST', body: JSON.stringify(statements) });
    if (!response.ok)
      throw new Error(`bulk D1 write failed: ${response.status} ${(await response.text()).slice(0, 500)}`);
    const results = (await response.json()) as { changes: number; ms: number }[];
    for (const [i, r] of results.entries()) {
      const t = statements[i]!.table;
      this.sqlMs[t] = (this.sqlMs[t] ?? 0) + r.ms;
    }
  }

  async settle(): Promise<void> {
    const started = performance.now();
    await this.inFlight;
    this.waitMs += performance.now() - started;
    this.inFlight = undefined;
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    for (const table of Object.keys(TABLES) as Table[]) this.cut(table);
    await this.drain(true);
    await this.settle();
    // What each flush adds beside its per-key rows (src/scans/rollup-increments.ts), at once.
    await this.send([
      {
        sql: `INSERT INTO scan_rollup_org_hourly (org_id, bucket, is_bot, scans)
          SELECT org_id, bucket, is_bot, sum(scans) FROM scan_rollup_hourly WHERE org_id = ?1 GROUP BY bucket, is_bot
          ON CONFLICT (org_id, bucket, is_bot) DO UPDATE SET scans = scans + excluded.scans`,
        params: [this.orgId],
        table: 'hourly',
      },
    ]);
  }
}

/** `bulkD1Url`: the served Worker's bulk writer (serveWorker({ bulkD1Writer: true })). */
export async function seedScans(bulkD1Url: string, options: DatasetOptions): Promise<SeedResult> {
  const started = performance.now();
  const writer = new BulkWriter(bulkD1Url, options.orgId);
  const summary = await generateDataset(options, writer);
  await writer.finish();
  return {
    ...summary,
    seedMs: performance.now() - started,
    waitMs: writer.waitMs,
    sqlMs: writer.sqlMs,
    statements: writer.statements,
    jsonMiB: writer.totalChars / 2 ** 20,
  };
}

/** What D1 holds of the organisation, table by table, to check the seed against what was generated. */
export async function storedCounts(
  d1: D1,
  orgId: string,
): Promise<{
  events: number;
  hourlyScans: number;
  hourly: number;
  dims: number;
  serials: number;
  scanners: number;
}> {
  const one = async (sql: string) => (await d1.prepare(sql).bind(orgId).first<number>('n')) ?? 0;
  return {
    events: await one(
      'SELECT (SELECT count(*) FROM scan_events WHERE org_id = ?1) + (SELECT count(*) FROM scan_events_legacy WHERE org_id = ?1) AS n',
    ),
    hourlyScans: await one('SELECT coalesce(sum(scans), 0) AS n FROM scan_rollup_hourly WHERE org_id = ?'),
    hourly: await one('SELECT count(*) AS n FROM scan_rollup_hourly WHERE org_id = ?'),
    dims: await one('SELECT count(*) AS n FROM scan_rollup_dims WHERE org_id = ?'),
    serials: await one('SELECT count(*) AS n FROM scan_rollup_serials WHERE org_id = ?'),
    scanners: await one('SELECT count(*) AS n FROM scan_rollup_scanners WHERE org_id = ?'),
  };
}
