// Links as CSV rows (POST /v1/links/bulk with text/csv; docs/api.md, "CSV imports"): one row per
// link, grouped into entities by anchor in the order they first appear. The entity's
// item_description is on each of its rows and must be the same on all of them.
import { booleanCell, listCell } from '../http/csv-cells';
import type { CellProblem, CsvBody, CsvCells, CsvImport, ItemLocation } from '../http/csv-import';
import { type EntityInput, MAX_LINKS_PER_ENTITY, normalizeEntity } from './link-input';

interface LinkRow {
  anchor?: string;
  item_description?: string;
  link: Record<string, unknown>;
}

const LINK_TEXT = ['link_type', 'href', 'title', 'media_type'] as const;
const LINK_LISTS = ['hreflang', 'context'] as const;
const LINK_FLAGS = ['default', 'forward_query'] as const;
const LINK_COLUMNS: readonly string[] = [...LINK_TEXT, ...LINK_LISTS, ...LINK_FLAGS];

export const LINK_CSV_COLUMNS = ['anchor', 'item_description', ...LINK_COLUMNS];

export function linkRowOf(cells: CsvCells): { item: LinkRow; problems: CellProblem[] } {
  const link: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  for (const column of LINK_TEXT) if (cells[column] !== undefined) link[column] = cells[column];
  for (const [column, read] of [
    ...LINK_LISTS.map((c) => [c, listCell] as const),
    ...LINK_FLAGS.map((c) => [c, booleanCell] as const),
  ]) {
    const cell = cells[column];
    if (cell === undefined) continue;
    const value = read(cell);
    if (value.ok) link[column] = value.value;
    else problems.push({ column, message: value.message });
  }
  return { item: { anchor: cells.anchor, item_description: cells.item_description, link }, problems };
}

/** Rows of one anchor (trailing slashes aside) are one entity. */
const anchorKey = (anchor: string | undefined) => (anchor ?? '').replace(/\/+$/, '');

export function linkEntitiesOf(rows: readonly LinkRow[], maxEntities = Infinity): CsvBody {
  const byAnchor = new Map<string, { entry: Record<string, unknown>; rows: number[] }>();
  const problems: (ItemLocation & { message: string })[] = [];
  rows.forEach((row, index) => {
    const key = anchorKey(row.anchor);
    const entity = byAnchor.get(key);
    if (!entity) {
      if (byAnchor.size === maxEntities) {
        problems.push({
          index,
          column: 'anchor',
          message: `At most ${maxEntities} anchors per request; split larger imports`,
        });
      }
      const entry: Record<string, unknown> = { links: [row.link] };
      if (row.anchor !== undefined) entry.anchor = row.anchor;
      if (row.item_description !== undefined) entry.item_description = row.item_description;
      byAnchor.set(key, { entry, rows: [index] });
      return;
    }
    if (row.item_description !== entity.entry.item_description) {
      problems.push({
        index,
        column: 'item_description',
        message: `Differs from the item_description of this anchor's first row (item ${entity.rows[0]})`,
      });
    }
    (entity.entry.links as unknown[]).push(row.link);
    entity.rows.push(index);
  });
  const entities = [...byAnchor.values()];
  return {
    body: { entries: entities.map((e) => e.entry) },
    problems,
    locate: ([, i, field, j, linkField]) => {
      const entity = typeof i === 'number' ? entities[i] : undefined;
      if (!entity) return undefined;
      if (field === 'links' && typeof j === 'number' && entity.rows[j] !== undefined) {
        const column =
          typeof linkField === 'string' && LINK_COLUMNS.includes(linkField) ? linkField : 'link_type';
        return { index: entity.rows[j]!, column };
      }
      // The entity as a whole (its anchor, its description, its set of links): its first row.
      return { index: entity.rows[0]!, column: field === 'item_description' ? field : 'anchor' };
    },
  };
}

export function linkCsv(maxEntities: number): CsvImport<LinkRow, { entries: EntityInput[] }> & {
  description: string;
} {
  return {
    columns: LINK_CSV_COLUMNS,
    required: ['anchor', 'item_description', 'link_type', 'href', 'title'],
    // Rows are links; the entity cap is the schema's (500), reported on the first row past it.
    maxRows: maxEntities * MAX_LINKS_PER_ENTITY,
    readRow: linkRowOf,
    bodyOf: (rows) => linkEntitiesOf(rows, maxEntities),
    // The route's own checks (anchor syntax, link types, one default), run here to list them all at once.
    check: (value) =>
      value.entries.flatMap((entry, i) => {
        const result = normalizeEntity(entry, `entries.${i}.`);
        return result.ok ? [] : result.problems;
      }),
    key: {
      column: 'anchor',
      of: (cell) => cell.split('/').filter(Boolean).slice(0, 2).join('/'),
    },
    description:
      'One link per row under a header row (docs/api.md, "CSV imports"): anchor, item_description, link_type, href, ' +
      'title (required), hreflang, context (`;`-separated), media_type, default, forward_query (true or false). ' +
      'Rows with the same anchor are one entity; its item_description must be the same on each of them.',
  };
}
