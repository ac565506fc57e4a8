// How a CSV cell spells a JSON value that is not a string (docs/api.md, "CSV imports"). Only
// the spelling is checked here; the value then meets the JSON route's own schema.

export type CellValue<T> = { ok: true; value: T } | { ok: false; message: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function numberCell(cell: string): CellValue<number> {
  return NUMBER.test(cell) ? { ok: true, value: Number(cell) } : { ok: false, message: 'Not a number' };
}

export function booleanCell(cell: string): CellValue<boolean> {
  const lower = cell.toLowerCase();
  if (lower === 'true') return { ok: true, value: true };
  if (lower === 'false') return { ok: true, value: false };
  return { ok: false, message: 'Must be true or false' };
}

/** `a; b; c`, or a JSON array when the cell starts with `[` (items holding `;`, the empty list `[]`). */
export function listCell(cell: string): CellValue<unknown[]> {
  if (cell.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(cell);
      if (Array.isArray(value)) return { ok: true, value };
    } catch {
      // reported below
    }
    return { ok: false, message: 'A cell starting with "[" must be a JSON array' };
  }
  return {
    ok: true,
    value: cell
      .split(';')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  };
}

/** `key=value; key=value` (a value that is a number becomes one), or a JSON object when the cell starts with `{`. */
export function mapCell(cell: string): CellValue<Record<string, unknown>> {
  if (cell.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(cell);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return { ok: true, value: value as Record<string, unknown> };
    } catch {
      // reported below
    }
    return { ok: false, message: 'A cell starting with "{" must be a JSON object' };
  }
  const entries: [string, unknown][] = [];
  for (const part of cell.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 1) return { ok: false, message: `"${part.trim()}" is not key=value` };
    const value = part.slice(eq + 1).trim();
    entries.push([part.slice(0, eq).trim(), NUMBER.test(value) ? Number(value) : value]);
  }
  return { ok: true, value: Object.fromEntries(entries) };
}
