// The records of a CSV request body, read as the bytes arrive (csv-parse's web TransformStream,
// which runs in workerd under nodejs_compat), each with the physical line it starts on.
import { CsvError, parse } from 'csv-parse/stream';
import { ApiError } from './api-error';

export interface CsvRecord {
  /** 1-based line of the file the record starts on (the header is line 1). */
  line: number;
  /** Cells as written, a quoted cell's line breaks included. */
  values: string[];
}

const LINE_BREAK = /\r\n|\r|\n/g;

const lineBreaksIn = (values: readonly string[]) =>
  values.reduce((n, value) => n + (value.match(LINE_BREAK)?.length ?? 0), 0);

/**
 * Yields the records of a UTF-8 CSV stream (a BOM is skipped, blank lines too); throws
 * `invalid_csv` with the line of the record that cannot be read (an unclosed quote …).
 */
export async function* csvRecords(body: ReadableStream<Uint8Array>): AsyncGenerator<CsvRecord> {
  // csv-parse counts a CRLF inside a quoted cell as two lines, so lines are counted here: a
  // record starts after the previous one and the blank lines skipped since, and spans its cells'
  // breaks. on_record runs as each record is parsed, so the count is right when a later one fails.
  let lastLine = 0;
  let blankLines = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Its types say a record stays a string array; what it returns is what the stream yields.
    on_record: ((values: string[], info: { empty_lines: number }): CsvRecord => {
      const line = lastLine + 1 + (info.empty_lines - blankLines);
      lastLine = line + lineBreaksIn(values);
      blankLines = info.empty_lines;
      return { line, values };
    }) as unknown as (record: string[]) => string[],
  });
  try {
    yield* body.pipeThrough(parser) as AsyncIterable<CsvRecord>;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const skipped = ((err as unknown as { empty_lines?: number }).empty_lines ?? blankLines) - blankLines;
    const line = lastLine + 1 + skipped;
    throw new ApiError('invalid_csv', `The CSV cannot be read from line ${line}: ${readableReason(err)}`, {
      line,
    });
  }
}

function readableReason(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted cell (quote the whole cell and double the quote: "say ""hi""")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after a closing quote (a quote inside a quoted cell is written twice: "")';
    default:
      return err.message;
  }
}
