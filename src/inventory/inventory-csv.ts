// Stock figures as CSV rows (POST /v1/inventory/bulk with text/csv; docs/api.md, "CSV imports"):
// one row per (location_id, gtin) figure, a column per JSON item field.
import { numberCell } from '../http/csv-cells';
import type { CellProblem, CsvCells, CsvImport } from '../http/csv-import';

type Item = Record<string, unknown>;

const TEXT_COLUMNS = ['location_id', 'gtin', 'currency', 'status', 'synced_at'] as const;
const NUMBER_COLUMNS = ['quantity', 'price'] as const;

export const INVENTORY_CSV_COLUMNS = [
  'location_id',
  'gtin',
  'quantity',
  'price',
  'currency',
  'status',
  'synced_at',
];

export function inventoryItemOfRow(cells: CsvCells): { item: Item; problems: CellProblem[] } {
  const item: Item = {};
  const problems: CellProblem[] = [];
  for (const column of TEXT_COLUMNS) if (cells[column] !== undefined) item[column] = cells[column];
  for (const column of NUMBER_COLUMNS) {
    const cell = cells[column];
    if (cell === undefined) continue;
    const read = numberCell(cell);
    if (read.ok) item[column] = read.value;
    else problems.push({ column, message: read.message });
  }
  return { item, problems };
}

/** The column a path inside one item names; a whole item (a repeated figure) is its gtin. */
export const inventoryColumnOf = ([field]: readonly PropertyKey[]): string =>
  typeof field === 'string' && INVENTORY_CSV_COLUMNS.includes(field) ? field : 'gtin';

export function inventoryCsv(maxRows: number): CsvImport<Item> & { description: string } {
  return {
    columns: INVENTORY_CSV_COLUMNS,
    required: ['location_id', 'gtin', 'quantity', 'synced_at'],
    maxRows,
    readRow: inventoryItemOfRow,
    bodyOf: (items) => ({
      body: { items },
      locate: ([, index, ...rest]) =>
        typeof index === 'number' ? { index, column: inventoryColumnOf(rest) } : undefined,
    }),
    description:
      'One stock figure per row under a header row (docs/api.md, "CSV imports"): location_id, gtin, quantity, ' +
      'synced_at (required), price, currency, status. An empty cell is an absent value.',
  };
}
