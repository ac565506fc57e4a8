// Overview: the headline figures with their change against the previous period
// (GET /v1/analytics/overview), and scans over time against the previous period, unfinished
// buckets marked (GET /v1/analytics/scans/timeseries?compare=previous).
import { api, type ResponseOf, type Schema } from '../api';
import { el } from '../dom';
import { type FilterField, filterBar, filterQuery, filters } from '../filters';
import {
  formatDateTime,
  formatDay,
  formatDecimal,
  formatNumber,
  formatSignedNumber,
  formatSignedPercent,
} from '../format';
import type { Page, PageContext } from '../page';
import { exportButton, load, section, table } from '../widgets';

type Change = Schema<'Change'>;
type Overview = ResponseOf<'/v1/analytics/overview'>;

type Series = ResponseOf<'/v1/analytics/scans/timeseries'>;

const FIELDS: FilterField[] = ['gtin', 'lot', 'country', 'bots', 'interval'];

const CARDS: {
  key: keyof Omit<Overview, 'range' | 'previous_range'>;
  label: string;
  format: (n: number) => string;
  unit?: string;
}[] = [
  { key: 'total_scans', label: 'Total scans', format: formatNumber },
  { key: 'search_impressions', label: 'Search impressions', format: formatNumber },
  { key: 'average_completeness', label: 'Average completeness', format: formatDecimal, unit: ' / 100' },
  { key: 'active_locations', label: 'Active locations', format: formatNumber },
  { key: 'unique_scanners', label: 'Unique scanners (per day, summed)', format: formatNumber },
];

function changeLine(c: Change): HTMLElement {
  if (c.value === null || c.previous === null || c.change === null) {
    return el('p', { class: 'change none' }, 'No figure for the previous period yet');
  }
  const direction = c.change > 0 ? 'up' : c.change < 0 ? 'down' : 'flat';
  const amount =
    c.change_percent !== null ? formatSignedPercent(c.change_percent) : formatSignedNumber(c.change);
  return el(
    'p',
    { class: `change ${direction}` },
    el(
      'span',
      { 'aria-hidden': 'true', class: 'arrow' },
      direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : '● ',
    ),
    `${amount} vs previous period (${formatNumber(c.previous)})`,
  );
}

function cards(o: Overview): HTMLElement {
  return el(
    'div',
    { class: 'cards' },
    ...CARDS.map(({ key, label, format, unit }) => {
      const c = o[key];
      return el(
        'article',
        { class: 'card', 'data-metric': key },
        el('h3', {}, label),
        el(
          'p',
          { class: 'value', 'data-value': c.value === null ? '' : String(c.value) },
          c.value === null ? '—' : format(c.value),
          unit && c.value !== null ? el('span', { class: 'unit' }, unit) : null,
        ),
        changeLine(c),
      );
    }),
    el(
      'p',
      { class: 'compared' },
      `Compared with ${formatDateTime(o.previous_range.from)} – ${formatDateTime(o.previous_range.to)}`,
    ),
  );
}

async function seriesView(s: Series, signal: AbortSignal): Promise<HTMLElement> {
  const chart = await import('../charts/time-series');
  const label = (p: { bucket: string }) =>
    s.interval === 'day' ? formatDay(p.bucket) : formatDateTime(p.bucket);
  const host = chart.chartHost();
  const previous = s.previous?.points.map((p) => p.scans);
  const partial = s.points.filter((p) => p.partial).length;
  const figure = el(
    'figure',
    {
      class: 'chart',
      'data-points': s.points.length,
      'data-total': s.total,
      'data-interval': s.interval,
      'data-previous-total': s.previous?.total ?? null,
      'data-partial': partial,
    },
    el(
      'div',
      {
        role: 'img',
        'aria-label': s.interval === 'hour' ? 'Chart of scans per hour' : 'Chart of scans per day',
      },
      host,
    ),
    el(
      'figcaption',
      {},
      chart.seriesSummary(s.points, s.interval, label),
      s.previous
        ? ` Dashed grey: the previous period (${formatDateTime(s.previous.range.from)} – ${formatDateTime(s.previous.range.to)}), ${formatNumber(s.previous.total)} scans.`
        : null,
      partial > 0
        ? ` Dotted: ${partial === 1 ? 'the last point is' : `the last ${partial} points are`} not over yet.`
        : null,
    ),
  );
  const details = el(
    'details',
    { class: 'series-table' },
    el('summary', {}, 'Show the figures as a table'),
    table(
      'Scans per bucket',
      [
        {
          label: s.interval === 'day' ? 'Day' : 'Hour',
          cell: (p) => (p.partial ? `${label(p)} (so far)` : label(p)),
        },
        { label: 'Scans', cell: (p) => formatNumber(p.scans), numeric: true },
        {
          label: 'Previous period',
          cell: (p) => {
            const n = previous?.[s.points.indexOf(p)];
            return n === null || n === undefined ? '—' : formatNumber(n);
          },
          numeric: true,
        },
      ],
      s.points,
    ),
  );
  // Drawn once the figure is in the document (uPlot measures its host).
  requestAnimationFrame(() => {
    if (signal.aborted || !host.isConnected) return;
    const stop = chart.drawTimeSeries(host, s.points, s.interval, { previous });
    signal.addEventListener('abort', stop, { once: true });
  });
  return el('div', {}, figure, details);
}

export const overviewPage: Page = {
  title: 'Overview',
  render(main: HTMLElement, { signal }: PageContext) {
    const cardsTarget = el('div', { class: 'cards-target' });
    const seriesTarget = el('div', { class: 'series-target' });
    let seriesRun: AbortController | undefined;
    const refresh = () => {
      const q = filterQuery(FIELDS);
      void load(
        cardsTarget,
        'the overview',
        () => api<Overview>('/v1/analytics/overview', { query: q, signal }),
        cards,
      );
      // Each redraw of the chart stops the previous one (its resize observer and canvas).
      seriesRun?.abort();
      const run = new AbortController();
      seriesRun = run;
      signal.addEventListener('abort', () => run.abort(), { once: true });
      void load(
        seriesTarget,
        'scans over time',
        async () =>
          seriesView(
            await api<Series>('/v1/analytics/scans/timeseries', {
              query: { ...q, interval: filters().interval, compare: 'previous' },
              signal: run.signal,
            }),
            run.signal,
          ),
        (view) => view,
      );
    };
    main.append(
      filterBar(FIELDS, refresh),
      section('Headline figures', cardsTarget),
      section(
        'Scans over time',
        seriesTarget,
        exportButton('Export scans (CSV)', '/v1/exports/scans.csv', () =>
          filterQuery(['gtin', 'lot', 'country', 'bots']),
        ),
      ),
    );
    refresh();
  },
};
