// A CSV body streamed batch by batch: the Worker holds one batch at a time, whatever the export's
// size. Batches come from keyset pages (D1 reads each page by index from where the last ended) or
// from any other ordered source (the R2 archive, an hour at a time).
import { csvRow } from './csv';

export interface CsvSource<Row, Cursor> {
  header: readonly string[];
  /** The next page after `cursor` (undefined for the first), at most `limit` rows. */
  page(cursor: Cursor | undefined, limit: number): Promise<Row[]>;
  cursorOf(row: Row): Cursor;
  cells(row: Row): readonly unknown[];
}

export const PAGE_ROWS = 1_000;

/** A keyset source's rows as batches of cells, page by page. */
export async function* pagedCells<Row, Cursor>(
  source: Omit<CsvSource<Row, Cursor>, 'header'>,
): AsyncGenerator<unknown[][]> {
  let cursor: Cursor | undefined;
  for (;;) {
    const rows = await source.page(cursor, PAGE_ROWS);
    if (rows.length > 0) {
      cursor = source.cursorOf(rows[rows.length - 1]!);
      yield rows.map((r) => [...source.cells(r)]);
    }
    if (rows.length < PAGE_ROWS) return;
  }
}

export function csvStreamOf(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly unknown[])[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvRow(header)));
          return;
        }
        const next = await iterator.next();
        if (next.done) return controller.close();
        if (next.value.length > 0)
          controller.enqueue(encoder.encode(next.value.map((r) => csvRow(r)).join('')));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // Pull one batch only when the client has taken the previous one: back-pressure keeps memory flat.
    { highWaterMark: 1 },
  );
}

export function csvStream<Row, Cursor>(source: CsvSource<Row, Cursor>): ReadableStream<Uint8Array> {
  return csvStreamOf(source.header, pagedCells(source));
}
