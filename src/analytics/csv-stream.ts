// A CSV body streamed page by page with keyset pagination: the Worker holds one page at a time,
// whatever the export's size, and D1 reads each page by index from where the last one ended.
import { csvRow } from './csv';

export interface CsvSource<Row, Cursor> {
  header: readonly string[];
  /** The next page after `cursor` (undefined for the first), at most `limit` rows. */
  page(cursor: Cursor | undefined, limit: number): Promise<Row[]>;
  cursorOf(row: Row): Cursor;
  cells(row: Row): readonly unknown[];
}

const PAGE_ROWS = 1_000;

export function csvStream<Row, Cursor>(source: CsvSource<Row, Cursor>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: Cursor | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(csvRow(source.header)));
          return;
        }
        if (done) return controller.close();
        const rows = await source.page(cursor, PAGE_ROWS);
        if (rows.length > 0) {
          cursor = source.cursorOf(rows[rows.length - 1]!);
          controller.enqueue(encoder.encode(rows.map((r) => csvRow(source.cells(r))).join('')));
        }
        if (rows.length < PAGE_ROWS) {
          done = true;
          controller.close();
        }
      },
    },
    // Pull one page only when the client has taken the previous one: back-pressure keeps memory flat.
    { highWaterMark: 1 },
  );
}
