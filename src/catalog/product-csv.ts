// Products as CSV rows (POST /v1/products/bulk with text/csv; docs/api.md, "CSV imports"): one
// row per product, a column per scalar, `<field>`, `<field>.source` and `<field>.confidence` per
// content field. Each row becomes the JSON item, which bulkProductsSchema validates.
import { type CellValue, listCell, mapCell, numberCell } from '../http/csv-cells';
import type { CellProblem, CsvCells, CsvImport } from '../http/csv-import';
import { PRODUCT_FIELD_NAMES, type ProductFieldName } from './product-fields';
import { MAX_BULK_PRODUCTS } from './product-input';

type Item = Record<string, unknown>;

const LIST_FIELDS = new Set<ProductFieldName>(['images', 'allergens', 'certifications']);
const NET_CONTENT = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z_]+)$/;

function fieldValue(name: ProductFieldName, cell: string): CellValue<unknown> {
  if (LIST_FIELDS.has(name)) return listCell(cell);
  if (name === 'nutrition') return mapCell(cell);
  if (name === 'net_content') {
    const match = NET_CONTENT.exec(cell);
    return match
      ? { ok: true, value: { value: Number(match[1]), unit: match[2] } }
      : { ok: false, message: 'Must be an amount and a unit, e.g. "500 g"' };
  }
  return { ok: true, value: cell };
}

const SCALARS = ['gtin', 'brand_id', 'status', 'default_source'] as const;

export const PRODUCT_CSV_COLUMNS = [
  ...SCALARS,
  ...PRODUCT_FIELD_NAMES.flatMap((name) => [name, `${name}.source`, `${name}.confidence`]),
  'authorised_markets',
  'recalled_lots',
];

/** A row as a bulk item: absent cells are absent keys. */
export function productItemOfRow(cells: CsvCells): { item: Item; problems: CellProblem[] } {
  const item: Item = {};
  const problems: CellProblem[] = [];
  const take = <T>(column: string, read: CellValue<T>, put: (value: T) => void) => {
    if (read.ok) put(read.value);
    else problems.push({ column, message: read.message });
  };
  for (const column of SCALARS) if (cells[column] !== undefined) item[column] = cells[column];
  for (const column of ['authorised_markets', 'recalled_lots'] as const) {
    const cell = cells[column];
    if (cell === undefined) continue;
    const list = listCell(cell);
    // A recalled lot without a date or reason is just its code.
    const asLots = (lots: unknown[]) =>
      lots.map((lot) => (typeof lot === 'string' && column === 'recalled_lots' ? { lot } : lot));
    take(column, list, (value) => {
      item[column] = cell.startsWith('[') ? value : asLots(value);
    });
  }
  const fields: Record<string, Record<string, unknown>> = {};
  for (const name of PRODUCT_FIELD_NAMES) {
    const field: Record<string, unknown> = {};
    const value = cells[name];
    const source = cells[`${name}.source`];
    const confidence = cells[`${name}.confidence`];
    if (value !== undefined) take(name, fieldValue(name, value), (v) => (field.value = v));
    if (source !== undefined) field.source = source;
    if (confidence !== undefined)
      take(`${name}.confidence`, numberCell(confidence), (v) => (field.confidence = v));
    if (value !== undefined || source !== undefined || confidence !== undefined) fields[name] = field;
  }
  if (Object.keys(fields).length > 0) item.fields = fields;
  return { item, problems };
}

/** The column a path inside one item names: `fields.name.value` → name, `fields.name.source` → name.source. */
export function productColumnOf(path: readonly PropertyKey[]): string {
  const [first, field, part] = path;
  if (first === 'fields' && typeof field === 'string') {
    return part === 'source' || part === 'confidence' ? `${field}.${part}` : field;
  }
  return typeof first === 'string' && PRODUCT_CSV_COLUMNS.includes(first) ? first : 'gtin';
}

export const productCsv: CsvImport<Item> & { description: string } = {
  columns: PRODUCT_CSV_COLUMNS,
  required: ['gtin'],
  maxRows: MAX_BULK_PRODUCTS,
  readRow: productItemOfRow,
  bodyOf: (items) => ({
    body: { items },
    locate: ([, index, ...rest]) =>
      typeof index === 'number' ? { index, column: productColumnOf(rest) } : undefined,
  }),
  key: { column: 'gtin', of: (cell) => `01/${cell.padStart(14, '0')}` },
  description:
    'One product per row under a header row of column names (docs/api.md, "CSV imports"): gtin (required), brand_id, status, ' +
    'default_source; per content field (name, brand, description, category, images, net_content, country_of_origin, ' +
    'ingredients, allergens, nutrition, certifications) `<field>`, `<field>.source`, `<field>.confidence`; ' +
    'authorised_markets, recalled_lots. Lists are `;`-separated or a JSON array; net_content is "500 g"; ' +
    'nutrition is `key=value; …`. An empty cell is an absent value.',
};
