// The scan CSV over any range: archived days from R2 (older), recent days from D1, in
// (occurred_at, id) order, with the same filters and the same cells whichever store a row came from.
// While a deployment's pre-0018 events are being moved (src/storage/legacy-backfill.ts), the
// legacy table is read beside them and merged in order.
import type { ArchivedEvent } from '../storage/archive-object';
import { archivedHours } from '../storage/archive-reader';
import { recentRawFrom } from '../storage/raw-window';
import type { Filters } from './analytics-filters';
import { csvStreamOf, PAGE_ROWS } from './csv-stream';
import { hasLegacyEvents, type ScanEventTable, type ScanExportRow, scanEventPage } from './export-queries';
import { SCAN_EXPORT_COLUMNS } from './scan-export-columns';

export const SCAN_EXPORT_HEADER = SCAN_EXPORT_COLUMNS.map((c) => c.header);

/** One export row, with the sort key it is merged by. */
interface Row {
  at: number;
  id: string;
  cells: unknown[];
}

/** An archived event as D1 would return its row: attributes as JSON text. */
function archivedRow(event: ArchivedEvent): Row {
  const record = event as unknown as Record<string, unknown>;
  return {
    at: event.occurredAt,
    id: event.id,
    cells: SCAN_EXPORT_COLUMNS.map((c) =>
      c.cell(c.key === 'attributes' ? JSON.stringify(record[c.key] ?? {}) : (record[c.key] ?? null)),
    ),
  };
}

const d1Row = (row: ScanExportRow): Row => ({
  at: row.occurred_at,
  id: row.id,
  cells: SCAN_EXPORT_COLUMNS.map((c) => c.cell(row[c.header])),
});

/** The export's filters on an archived event (the D1 side applies them in SQL). */
function matches(f: Filters): (e: ArchivedEvent) => boolean {
  return (e) =>
    (!f.lot || e.lot === f.lot) &&
    (!f.country || e.country === f.country) &&
    (f.bots === 'include' || e.isBot === (f.bots === 'only'));
}

async function* d1Rows(db: D1Database, f: Filters, table: ScanEventTable): AsyncGenerator<Row> {
  let cursor: [number, string] | undefined;
  for (;;) {
    const page = await scanEventPage(db, f, cursor, PAGE_ROWS, table);
    for (const row of page) yield d1Row(row);
    if (page.length < PAGE_ROWS) return;
    const last = page[page.length - 1]!;
    cursor = [last.occurred_at, last.id];
  }
}

async function* archiveThenRecent(
  env: { DB: D1Database; SCAN_ARCHIVE: R2Bucket },
  f: Filters,
  split: number,
): AsyncGenerator<Row> {
  for await (const hour of archivedHours(env.SCAN_ARCHIVE, {
    orgId: f.orgId,
    fromMs: f.fromMs,
    toMs: split,
    ...(f.gtin ? { key: { ai: '01', value: f.gtin } } : {}),
    keep: matches(f),
  }))
    for (const event of hour) yield archivedRow(event);
  if (split < f.toMs) yield* d1Rows(env.DB, { ...f, fromMs: split }, 'scan_events');
}

const before = (a: Row, b: Row) => a.at < b.at || (a.at === b.at && a.id < b.id);

/** Two ordered streams as one; a row in both (a backfill chunk caught mid-move) comes once. */
async function* merged(a: AsyncIterator<Row>, b: AsyncIterator<Row>): AsyncGenerator<Row> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && before(x.value, y.value))) {
      yield x.value;
      x = await a.next();
    } else if (x.done || before(y.value, x.value)) {
      yield y.value;
      y = await b.next();
    } else {
      yield x.value;
      x = await a.next();
      y = await b.next();
    }
  }
}

async function* batchesOf(rows: AsyncIterable<Row>): AsyncGenerator<unknown[][]> {
  let batch: unknown[][] = [];
  for await (const row of rows) {
    batch.push(row.cells);
    if (batch.length >= PAGE_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function scanExportStream(
  env: { DB: D1Database; SCAN_ARCHIVE: R2Bucket },
  f: Filters,
  now: number,
): ReadableStream<Uint8Array> {
  async function* rows(): AsyncGenerator<Row> {
    const split = Math.min(Math.max(await recentRawFrom(env.DB, f.orgId, now), f.fromMs), f.toMs);
    const main = archiveThenRecent(env, f, split);
    if (!(await hasLegacyEvents(env.DB, f.orgId))) return yield* main;
    yield* merged(main, d1Rows(env.DB, f, 'scan_events_legacy'));
  }
  return csvStreamOf(SCAN_EXPORT_HEADER, batchesOf(rows()));
}
