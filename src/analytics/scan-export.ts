// The scan CSV over any range: archived days from R2 (older), recent days from D1, in
// (occurred_at, id) order, with the same filters and the same cells whichever store a row came from.
import type { ArchivedEvent } from '../storage/archive-object';
import { archivedHours } from '../storage/archive-reader';
import { recentRawFrom } from '../storage/raw-window';
import type { Filters } from './analytics-filters';
import { csvStreamOf, pagedCells } from './csv-stream';
import { scanEventPage } from './export-queries';
import { SCAN_EXPORT_COLUMNS } from './scan-export-columns';

export const SCAN_EXPORT_HEADER = SCAN_EXPORT_COLUMNS.map((c) => c.header);

/** An archived event as D1 would return its row: attributes as JSON text. */
function archivedCells(event: ArchivedEvent): unknown[] {
  const record = event as unknown as Record<string, unknown>;
  return SCAN_EXPORT_COLUMNS.map((c) =>
    c.cell(c.key === 'attributes' ? JSON.stringify(record[c.key] ?? {}) : (record[c.key] ?? null)),
  );
}

/** The export's filters on an archived event (the D1 side applies them in SQL). */
function matches(f: Filters): (e: ArchivedEvent) => boolean {
  return (e) =>
    (!f.lot || e.lot === f.lot) &&
    (!f.country || e.country === f.country) &&
    (f.bots === 'include' || e.isBot === (f.bots === 'only'));
}

export function scanExportStream(
  env: { DB: D1Database; SCAN_ARCHIVE: R2Bucket },
  f: Filters,
  now: number,
): ReadableStream<Uint8Array> {
  async function* batches(): AsyncGenerator<unknown[][]> {
    const split = Math.min(Math.max(await recentRawFrom(env.DB, f.orgId, now), f.fromMs), f.toMs);
    for await (const hour of archivedHours(env.SCAN_ARCHIVE, {
      orgId: f.orgId,
      fromMs: f.fromMs,
      toMs: split,
      ...(f.gtin ? { key: { ai: '01', value: f.gtin } } : {}),
      keep: matches(f),
    }))
      yield hour.map(archivedCells);
    if (split >= f.toMs) return;
    const recent: Filters = { ...f, fromMs: split };
    yield* pagedCells({
      page: (cursor: [number, string] | undefined, limit) => scanEventPage(env.DB, recent, cursor, limit),
      cursorOf: (row) => [row.occurred_at, row.id] as [number, string],
      cells: (row) => SCAN_EXPORT_COLUMNS.map((c) => c.cell(row[c.header])),
    });
  }
  return csvStreamOf(SCAN_EXPORT_HEADER, batches());
}
