// CSV bodies sent to the bulk routes, and CSV text built from rows.
import { call } from './http';

export function postCsv(
  path: string,
  key: string,
  csv: string | Uint8Array,
  contentType = 'text/csv; charset=utf-8',
): Promise<Response> {
  return call('POST', path, { key, body: csv as string, headers: { 'content-type': contentType } });
}

/** One CSV line: cells with a comma, quote or line break are quoted, quotes doubled. */
export const csvLine = (cells: readonly (string | number)[]) =>
  cells.map((c) => (/[",\r\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
