// A CSV body read as the JSON bulk body it stands for (docs/api.md, "CSV imports"): each row
// becomes the JSON item and goes through the route's own zod schema, alone first and then with
// the other good rows (the cross-row checks), so no rule exists twice. Every problem is
// reported by the line and column it came from; one problem and nothing is written.
import type * as z from 'zod';
import { ApiError } from './api-error';
import { csvRecords } from './csv-records';

/** A row's non-empty cells by column name, trimmed: an empty cell is an absent value. */
export type CsvCells = Readonly<Record<string, string>>;

export interface CellProblem {
  column: string;
  message: string;
}

/** Where a path into a JSON body built from items points: the item's index, and its column. */
export interface ItemLocation {
  index: number;
  column?: string;
}

export interface CsvBody {
  body: unknown;
  /** Where a path into `body` (a zod issue's, or a route problem's `entries.0.links.1.href`) comes from. */
  locate(path: readonly PropertyKey[]): ItemLocation | undefined;
  /** Problems of putting the items together (rows of one entity that disagree); `item N` in a message becomes that item's line. */
  problems?: (ItemLocation & { message: string })[];
}

export interface CsvImport<Item, Value = unknown> {
  columns: readonly string[];
  required: readonly string[];
  /** Most data rows a body may have (the JSON route's item cap). */
  maxRows: number;
  /** One row as the JSON route's item; cells it cannot read (a number that is not one) are problems. */
  readRow(cells: CsvCells): { item: Item; problems: CellProblem[] };
  /** The JSON body holding these items, in order. */
  bodyOf(items: readonly Item[]): CsvBody;
  /** The route's checks past its schema (links: anchor syntax, one default), as JSON paths. */
  check?(value: Value): { path: string; message: string }[];
  /** The column holding the GS1 key a row publishes, and the key's name in a 403 ("01/…"). */
  key?: { column: string; of(cell: string): string };
}

export interface RowProblem {
  line: number;
  column?: string;
  message: string;
}

/** Problems listed in one answer; the message gives the full count. */
export const MAX_LISTED_PROBLEMS = 100;

interface Row {
  line: number;
  cells: CsvCells;
}

/** Puts the lines of a CSV body on an error the handler throws about the body it was given. */
export type ErrorRelocator = (err: ApiError) => ApiError;

function readHeader(values: readonly string[], spec: CsvImport<unknown, never>): string[] {
  const header = values.map((v) => v.trim());
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!spec.columns.includes(name)) {
      problems.push({
        line: 1,
        column: name,
        message: `Unknown column "${name}"; the columns are ${spec.columns.join(', ')}`,
      });
    } else if (seen.has(name)) problems.push({ line: 1, column: name, message: 'Column named twice' });
    seen.add(name);
  }
  for (const name of spec.required) {
    if (!seen.has(name)) problems.push({ line: 1, column: name, message: 'Required column missing' });
  }
  if (problems.length > 0) {
    throw new ApiError(
      'validation_failed',
      `The CSV header is not valid: ${problems.map((p) => p.message).join('; ')}`,
      problems,
    );
  }
  return header;
}

function cellsOf(header: readonly string[], values: readonly string[]): CsvCells {
  const cells: Record<string, string> = {};
  header.forEach((name, i) => {
    const value = values[i]!.trim();
    if (value !== '') cells[name] = value;
  });
  return cells;
}

const segmentsOf = (path: string): (string | number)[] =>
  path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function tooManyRows(line: number, max: number): ApiError {
  return new ApiError('validation_failed', `The CSV has more than ${max} rows; split larger imports`, [
    { line, message: `Row ${max + 1}: at most ${max} rows per request` },
  ]);
}

function failure(problems: RowProblem[]): ApiError {
  const sorted = problems.sort((a, b) => a.line - b.line);
  const lines = new Set(sorted.map((p) => p.line)).size;
  const listed = sorted.length > MAX_LISTED_PROBLEMS ? `; the first ${MAX_LISTED_PROBLEMS} are listed` : '';
  return new ApiError(
    'validation_failed',
    `The CSV has ${sorted.length} problem${sorted.length === 1 ? '' : 's'} on ${lines} line${lines === 1 ? '' : 's'}${listed}; nothing was written`,
    sorted.slice(0, MAX_LISTED_PROBLEMS),
  );
}

/**
 * Reads a CSV body into the value `schema` gives for the JSON body it stands for, or throws
 * `validation_failed` listing every problem by line and column.
 */
export async function readCsvBody<S extends z.ZodType, Item>(
  stream: ReadableStream<Uint8Array> | null,
  schema: S,
  spec: CsvImport<Item, z.output<S>>,
): Promise<{ value: z.output<S>; relocate: ErrorRelocator }> {
  let header: string[] | undefined;
  const rows: Row[] = [];
  const items: Item[] = [];
  const problems: RowProblem[] = [];
  /** Indexes of the rows that passed the schema alone. */
  const good: number[] = [];
  if (stream) {
    for await (const record of csvRecords(stream)) {
      if (!header) {
        header = readHeader(record.values, spec as CsvImport<unknown, never>);
        continue;
      }
      const { line, values } = record;
      if (values.every((v) => v.trim() === '')) continue; // a spreadsheet's blank row: ",,,"
      if (rows.length === spec.maxRows) throw tooManyRows(line, spec.maxRows);
      if (values.length !== header.length) {
        problems.push({ line, message: `${values.length} cells where the header has ${header.length}` });
        continue;
      }
      const cells = cellsOf(header, values);
      const read = spec.readRow(cells);
      rows.push({ line, cells });
      items.push(read.item);
      if (read.problems.length > 0) {
        problems.push(...read.problems.map((p) => ({ line, ...p })));
        continue;
      }
      const alone = spec.bodyOf([read.item]);
      const parsed = schema.safeParse(alone.body);
      if (parsed.success) good.push(rows.length - 1);
      else {
        for (const issue of parsed.error.issues) {
          problems.push({ line, column: alone.locate(issue.path)?.column, message: issue.message });
        }
      }
    }
  }
  if (!header) {
    throw new ApiError('invalid_csv', 'The CSV is empty; its first line names the columns', { line: 1 });
  }
  if (rows.length === 0 && problems.length === 0) {
    throw new ApiError('validation_failed', 'The CSV has a header but no rows', [
      { line: 2, message: 'No rows below the header' },
    ]);
  }
  if (good.length === 0) throw failure(problems);

  // The good rows together: cross-row checks (one GTIN once, one entity's rows agreeing …).
  const goodRows = good.map((i) => rows[i]!);
  const together = spec.bodyOf(good.map((i) => items[i]!));
  const at = (loc: ItemLocation | undefined, message: string): RowProblem => {
    const row = loc && goodRows[loc.index];
    // A duplicate names the item it repeats by index; in a CSV that is a line.
    const text = message.replace(/\bitem (\d+)\b/g, (whole, n: string) => {
      const first = goodRows[Number(n)];
      return first ? `line ${first.line}` : whole;
    });
    return { line: row?.line ?? goodRows[0]!.line, column: loc?.column, message: text };
  };
  for (const p of together.problems ?? []) problems.push(at(p, p.message));
  const parsed = schema.safeParse(together.body);
  if (!parsed.success) {
    const located = parsed.error.issues.map((issue) => ({ issue, loc: together.locate(issue.path) }));
    // An issue about the whole list (too many entities) is already a row's problem when one says so.
    const listed = problems.length > 0 ? located.filter((l) => l.loc) : located;
    for (const { issue, loc } of listed) problems.push(at(loc, issue.message));
  } else if (problems.length === 0 && spec.check) {
    for (const p of spec.check(parsed.data))
      problems.push(at(together.locate(segmentsOf(p.path)), p.message));
  }
  if (problems.length > 0 || !parsed.success) throw failure(problems);
  return { value: parsed.data, relocate: relocator(goodRows, together, spec as CsvImport<unknown, never>) };
}

/**
 * Lines for what the handler finds wrong with a good body: route problems by path, a 403 naming
 * a GS1 key (rows with that key), a 404 naming missing ids by column (`brand_ids`: brand_id rows).
 */
function relocator(rows: readonly Row[], body: CsvBody, spec: CsvImport<unknown, never>): ErrorRelocator {
  return (err) => {
    const details = err.details;
    if (err.code === 'validation_failed' && Array.isArray(details)) {
      const located = (details as { path?: unknown; message: string }[]).map((d): RowProblem => {
        const loc = typeof d.path === 'string' ? body.locate(segmentsOf(d.path)) : undefined;
        return { line: rows[loc?.index ?? 0]!.line, column: loc?.column, message: d.message };
      });
      return failure(located);
    }
    if (typeof details !== 'object' || details === null) return err;
    const found: RowProblem[] = [];
    const named = details as Record<string, unknown>;
    if (err.code === 'forbidden' && spec.key && typeof named.key === 'string') {
      const { column, of } = spec.key;
      for (const row of rows) {
        const cell = row.cells[column];
        if (cell !== undefined && of(cell) === named.key)
          found.push({ line: row.line, column, message: err.message });
      }
    }
    if (err.code === 'not_found') {
      for (const column of spec.columns) {
        const ids = named[`${column}s`];
        if (!Array.isArray(ids)) continue;
        for (const row of rows) {
          const cell = row.cells[column];
          if (cell !== undefined && ids.includes(cell))
            found.push({ line: row.line, column, message: `${column} ${cell} not found` });
        }
      }
    }
    if (found.length === 0) return err;
    return new ApiError(err.code, err.message, { ...named, rows: found.slice(0, MAX_LISTED_PROBLEMS) });
  };
}
