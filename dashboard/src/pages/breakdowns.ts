// Breakdowns: scans by product, lot, country, city, scanner app, device, rule, outcome, link type
// and referrer (GET /v1/analytics/scans/breakdown), each with the shared filters.
import { api, type ResponseOf } from '../api';
import { el } from '../dom';
import { type FilterField, filterBar, filterQuery, products } from '../filters';
import { countryName, formatNumber, formatRatio, formatSignedNumber, formatSignedPercent } from '../format';
import { linkTypeTitle } from '../link-types';
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

/** Rules by name (the roll-ups count rule ids); a rule deleted since keeps its id. */
const ruleNames: Namer = async () => {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await api<ResponseOf<'/v1/rules'>>('/v1/rules', { query: { limit: 200, cursor } });
    for (const rule of page.data) names.set(rule.id, rule.name);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return (id) => names.get(id) ?? `Deleted rule (${id})`;
};

const OUTCOMES: Record<string, string> = {
  redirect: 'Redirected',
  linkset: 'Linkset served',
  multiple: 'Choice of links (300)',
  not_found: 'Not found',
  blocked: 'Blocked code',
};

const TABLES: { by: string; title: string; column: string; name?: Namer; note?: string }[] = [
  { by: 'product', title: 'Products', column: 'Product', name: productNames },
  { by: 'lot', title: 'Lots', column: 'Lot' },
  {
    by: 'country',
    title: 'Countries',
    column: 'Country',
    name: () => (code) => (code.length === 2 ? `${countryName(code)} (${code})` : code),
  },
  {
    by: 'city',
    title: 'Cities',
    column: 'City',
    // Roll-ups count "FR/Paris": a city is only unique within its country.
    name: () => (v) =>
      v.includes('/') ? `${v.slice(v.indexOf('/') + 1)}, ${v.slice(0, v.indexOf('/'))}` : v,
  },
  { by: 'app', title: 'Scanner apps', column: 'App' },
  { by: 'device', title: 'Devices', column: 'Device class' },
  {
    by: 'rule',
    title: 'Rules',
    column: 'Rule',
    name: ruleNames,
    note: 'Scans a rule answered; the others went to the GS1 links.',
  },
  { by: 'outcome', title: 'Outcomes', column: 'Outcome', name: () => (o) => OUTCOMES[o] ?? o },
  { by: 'link_type', title: 'Link types', column: 'Link type', name: () => linkTypeTitle },
  { by: 'referrer', title: 'Referrers', column: 'Referrer' },
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
                query: { ...q, by: t.by, limit: LIMIT, compare: 'previous' },
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
                    ...(data.rows.some((r) => r.unique_scanners !== undefined)
                      ? [
                          {
                            label: 'Unique scanners',
                            numeric: true,
                            cell: (r: Breakdown['rows'][number]) =>
                              r.unique_scanners === undefined ? '—' : formatNumber(r.unique_scanners),
                          },
                        ]
                      : []),
                    {
                      label: 'vs previous period',
                      numeric: true,
                      cell: (r) => {
                        if (r.change === undefined) return '—';
                        const direction = r.change > 0 ? 'up' : r.change < 0 ? 'down' : 'flat';
                        return el(
                          'span',
                          { class: `change ${direction}`, title: `${formatNumber(r.previous ?? 0)} before` },
                          r.change_percent !== null && r.change_percent !== undefined
                            ? formatSignedPercent(r.change_percent)
                            : formatSignedNumber(r.change),
                        );
                      },
                    },
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
      el(
        'div',
        { class: 'breakdown-grid' },
        ...targets.map((t) => section(t.title, t.note ? el('p', { class: 'hint' }, t.note) : null, t.target)),
      ),
      section(
        'Export',
        el('p', {}, 'Every scan of the range, one row each, with these filters.'),
        exportButton('Export scans (CSV)', '/v1/exports/scans.csv', () => filterQuery(FIELDS)),
      ),
    );
    refresh();
  },
};
