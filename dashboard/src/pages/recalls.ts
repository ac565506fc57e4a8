// Recalls: per recalled lot, who still scans it since the recall — human scans and unique
// scanners, a daily chart, the countries — and its alert (GET /v1/analytics/scans/recalls).
import { api, type ResponseOf } from '../api';
import { chartHost, drawTimeSeries, seriesSummary } from '../charts/time-series';
import { el } from '../dom';
import { countryName, formatDateTime, formatDay, formatNumber } from '../format';
import type { Page, PageContext } from '../page';
import { empty, load, section, table } from '../widgets';

type Recalls = ResponseOf<'/v1/analytics/scans/recalls'>;
type Recall = Recalls['rows'][number];

function alertState(alert: Recall['alert']): HTMLElement {
  if (!alert) return el('span', {}, 'No alert: no scan of the lot reached the detectors');
  const scans = `${formatNumber(alert.occurrences)} ${alert.occurrences === 1 ? 'scan' : 'scans'}`;
  return el(
    'span',
    { class: 'alert-state' },
    `${alert.status === 'open' ? 'Open' : 'Acknowledged'} (${alert.severity} severity, ${scans}, latest ${formatDateTime(alert.last_seen_at)}) `,
    el('a', { href: '#/alerts' }, 'See alerts'),
  );
}

function card(label: string, value: number, metric: string): HTMLElement {
  return el(
    'div',
    { class: 'card', 'data-metric': metric },
    el('h3', {}, label),
    el('p', { class: 'value' }, formatNumber(value)),
  );
}

function dailyChart(r: Recall, signal: AbortSignal): HTMLElement {
  const points = r.series.map((p) => ({ bucket: p.day, scans: p.scans }));
  const host = chartHost();
  requestAnimationFrame(() => {
    if (signal.aborted || !host.isConnected) return;
    const stop = drawTimeSeries(host, points, 'day');
    signal.addEventListener('abort', stop, { once: true });
  });
  return el(
    'div',
    {},
    el(
      'figure',
      { class: 'chart', 'data-points': points.length },
      el('div', { role: 'img', 'aria-label': `Chart of human scans per day of lot ${r.lot}` }, host),
      el(
        'figcaption',
        {},
        seriesSummary(points, 'day', (p) => formatDay(p.bucket)),
      ),
    ),
    el(
      'details',
      { class: 'series-table' },
      el('summary', {}, 'Show the figures as a table'),
      table(
        `Human scans per day of lot ${r.lot}`,
        [
          { label: 'Day (UTC)', cell: (p) => formatDay(p.day) },
          { label: 'Scans', cell: (p) => formatNumber(p.scans), numeric: true },
        ],
        r.series.filter((p) => p.scans > 0),
      ),
    ),
  );
}

function recallSection(r: Recall, signal: AbortSignal): HTMLElement {
  const product = r.name ? `${r.name} (${r.gtin})` : r.gtin;
  return section(
    `Lot ${r.lot} of ${product}`,
    el(
      'dl',
      { class: 'figures' },
      el('dt', {}, 'Recalled'),
      el('dd', {}, r.recalled_at ? formatDateTime(r.recalled_at) : 'No date given'),
      el('dt', {}, 'Reason'),
      el('dd', {}, r.reason ?? '—'),
      el('dt', {}, 'Last scan'),
      el(
        'dd',
        {},
        r.last_scan_hour ? `hour of ${formatDateTime(r.last_scan_hour)}` : 'none since the recall',
      ),
      el('dt', {}, 'Alert'),
      el('dd', {}, alertState(r.alert)),
    ),
    el(
      'div',
      { class: 'cards' },
      card('Human scans since the recall', r.scans_since_recall, 'scans_since_recall'),
      card(
        'Unique scanners since the recall',
        r.unique_scanners_since_recall,
        'unique_scanners_since_recall',
      ),
    ),
    dailyChart(r, signal),
    r.countries.length === 0
      ? empty('No scans of this lot since the recall.')
      : table(
          `Countries scanning lot ${r.lot} since the recall`,
          [
            { label: 'Country', cell: (c) => (c.country === 'unknown' ? 'Unknown' : countryName(c.country)) },
            { label: 'Scans', cell: (c) => formatNumber(c.scans), numeric: true },
          ],
          r.countries,
        ),
  );
}

export const recallsPage: Page = {
  title: 'Recalls',
  render(main: HTMLElement, { signal }: PageContext) {
    const target = el('div');
    main.append(
      el(
        'p',
        { class: 'lede' },
        'Recalled lots that people still scan: human scans since each recall (bots left out), unique scanners per day summed (approximate for large counts), where, and the alert.',
      ),
      target,
    );
    void load(
      target,
      'recalls',
      () => api<Recalls>('/v1/analytics/scans/recalls', { signal }),
      (data) =>
        data.rows.length === 0
          ? empty('No lot is recalled. Recall one on its product (recalled lots) to follow its scans here.')
          : el('div', {}, ...data.rows.map((r) => recallSection(r, signal))),
    );
  },
};
