// Breakdowns: scans by product, lot, country, city, scanner app and device
// (GET /v1/analytics/scans/breakdown), each with the shared filters.
import { api, type ResponseOf } from '../api';
import { el } from '../dom';
import { type FilterField, filterBar, filterQuery, products } from '../filters';
import { countryName, formatNumber, formatRatio } from '../format';
import type { Page, PageContext } from '../page';
import { empty, exportButton, load, section, table } from '../widgets';

// By dimension (this page never asks `by=serial`, which answers serial rows without a total).
type Breakdown = Extract<ResponseOf<'/v1/analytics/scans/breakdown'>, { total: number }>;

const FIELDS: FilterField[] = ['gtin', 'lot', 'country', 'bots'];
const LIMIT = 10;

type Namer = (value: string) => Promise<(v: string) => string> | ((v: string) => string);

const productNames: Namer = async () => {
  const list = await products().catch(() => []);
  const names = new Map(list.map((p) => [p.gtin, p.name]));
  return (gtin) => (names.get(gtin) ? `${names.get(gtin)} (${gtin})` : gtin);
};

const TABLES: { by: string; title: string; column: string; name?: Namer }[] = [
  { by: 'product', title: 'Products', column: 'Product', name: productNames },
  { by: 'lot', title: 'Lots', column: 'Lot' },
  {
    by: 'country',
    title: 'Countries',
    column: 'Country',
    name: () => (code) => (code.length === 2 ? `${countryName(code)} (${code})` : code),
  },
  { by: 'city', title: 'Cities', column: 'City' },
  { by: 'app', title: 'Scanner apps', column: 'App' },
  { by: 'device', title: 'Devices', column: 'Device class' },
];

function label(value: string, name: (v: string) => string): string {
  if (value === 'other') return 'All others';
  if (value === '' || value === 'unknown') return 'Unknown';
  return name(value);
}

export const breakdownsPage: Page = {
  title: 'Breakdowns',
  render(main: HTMLElement, { signal }: PageContext) {
    const targets = TABLES.map((t) => ({ ...t, target: el('div', { class: 'breakdown', 'data-by': t.by }) }));
    const refresh = () => {
      const q = filterQuery(FIELDS);
      for (const t of targets) {
        void load(
          t.target,
          t.title.toLowerCase(),
          async () => {
            const [data, name] = await Promise.all([
              api<Breakdown>('/v1/analytics/scans/breakdown', {
                query: { ...q, by: t.by, limit: LIMIT },
                signal,
              }),
              t.name ? t.name('') : (v: string) => v,
            ]);
            return { data, name };
          },
          ({ data, name }) =>
            data.rows.length === 0
              ? empty('No scans in this range.')
              : table(
                  `Scans by ${t.column.toLowerCase()}`,
                  [
                    { label: t.column, cell: (r) => label(r.value, name) },
                    { label: 'Scans', cell: (r) => formatNumber(r.scans), numeric: true },
                    {
                      label: 'Share',
                      numeric: true,
                      cell: (r) => {
                        const share = data.total ? r.scans / data.total : 0;
                        const fill = el('span', { class: 'fill' });
                        fill.style.width = `${(share * 100).toFixed(1)}%`; // CSSOM, which the CSP allows (no style attributes)
                        return el(
                          'span',
                          { class: 'share' },
                          el('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
                          formatRatio(share),
                        );
                      },
                    },
                  ],
                  data.rows,
                ),
        );
      }
    };
    main.append(
      filterBar(FIELDS, refresh),
      el('div', { class: 'breakdown-grid' }, ...targets.map((t) => section(t.title, t.target))),
      section(
        'Export',
        el('p', {}, 'Every scan of the range, one row each, with these filters.'),
        exportButton('Export scans (CSV)', '/v1/exports/scans.csv', () => filterQuery(FIELDS)),
      ),
    );
    refresh();
  },
};
