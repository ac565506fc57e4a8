// Keyset pagination. A cursor is the sort key of the last row of a page, base64url-encoded JSON:
// opaque to clients (so the ordering may change without breaking them) and stable under inserts,
// unlike OFFSET, whose cost also grows with the page number.
import * as z from 'zod';
import { ApiError } from './api-error';

export const cursorParam = z.string().min(1).max(512).optional();

export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** The key `encodeCursor` wrote, checked against `shape`; anything else is a 400. */
export function decodeCursor<S extends z.ZodType>(cursor: string, shape: S): z.output<S> {
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
    return shape.parse(JSON.parse(json));
  } catch {
    throw new ApiError('validation_failed', 'The query string is not valid', [
      { path: 'cursor', message: 'is not a cursor this list returned; start again without one' },
    ]);
  }
}

/** One page of `rows` (fetched with limit + 1) and the cursor of the next, if there is one. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next_cursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
