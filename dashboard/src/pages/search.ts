// Search performance: how the brand's products show up in public search, per product and per
// query (GET /v1/analytics/search/performance), and the impressions export.
import { api, type ResponseOf } from '../api';
import { el } from '../dom';
import { type FilterField, filterBar, filterQuery, products } from '../filters';
import { formatDecimal, formatNumber, formatRatio } from '../format';
import type { Page, PageContext } from '../page';
import { type Column, empty, exportButton, load, section, table } from '../widgets';

type Performance = ResponseOf<'/v1/analytics/search/performance'>;
type PerformanceRow = Performance['rows'][number];

// Search is logged per product and place, not per lot or scanner: only the range and GTIN apply.
const FIELDS: FilterField[] = ['gtin'];

const figures: Column<PerformanceRow>[] = [
  { label: 'Impressions', cell: (r) => formatNumber(r.impressions), numeric: true },
  { label: 'Average position', cell: (r) => formatDecimal(r.average_position), numeric: true },
  { label: 'Clicks', cell: (r) => formatNumber(r.clicks), numeric: true },
  { label: 'Click-through', cell: (r) => formatRatio(r.click_through_rate), numeric: true },
  {
    label: 'Nearest store (avg km)',
    cell: (r) => (r.average_distance_km === null ? '—' : formatDecimal(r.average_distance_km)),
    numeric: true,
  },
];

export const searchPage: Page = {
  title: 'Search performance',
  render(main: HTMLElement, { signal }: PageContext) {
    const byProduct = el('div', { 'data-by': 'product' });
    const byQuery = el('div', { 'data-by': 'query' });
    const refresh = () => {
      const q = filterQuery(FIELDS);
      void load(
        byProduct,
        'search performance by product',
        async () => {
          const [r, list] = await Promise.all([
            api<Performance>('/v1/analytics/search/performance', {
              query: { ...q, by: 'product' },
              signal,
            }),
            products().catch(() => []),
          ]);
          return { rows: r.rows, names: new Map(list.map((p) => [p.gtin, p.name])) };
        },
        ({ rows, names }) =>
          rows.length === 0
            ? empty('No search impressions in this range.')
            : table(
                'Search performance by product',
                [
                  {
                    label: 'Product',
                    cell: (r) => (names.get(r.value) ? `${names.get(r.value)} (${r.value})` : r.value),
                  },
                  ...figures,
                ],
                rows,
              ),
      );
      void load(
        byQuery,
        'search performance by query',
        () =>
          api<Performance>('/v1/analytics/search/performance', {
            query: { ...q, by: 'query' },
            signal,
          }),
        (r) =>
          r.rows.length === 0
            ? empty('No searches in this range.')
            : table(
                'Search performance by query',
                [{ label: 'Query', cell: (row) => row.value }, ...figures],
                r.rows,
              ),
      );
    };
    main.append(
      filterBar(FIELDS, refresh),
      section('By product', byProduct),
      section('By query', byQuery),
      section(
        'Export',
        el('p', {}, 'Every result shown in search, one row each, with whether it was clicked.'),
        exportButton('Export search impressions (CSV)', '/v1/exports/search-impressions.csv', () =>
          filterQuery(FIELDS),
        ),
      ),
    );
    refresh();
  },
};
