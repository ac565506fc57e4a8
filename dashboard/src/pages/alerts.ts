// Alerts: anomalies the detectors found (GET /v1/alerts), newest first, acknowledged one by one
// (POST /v1/alerts/:id/acknowledge).
import { api, type ResponseOf, type Schema } from '../api';
import { append, el, replace, uid } from '../dom';
import { countryName, formatDateTime, formatNumber } from '../format';
import { canWrite, type Page, type PageContext } from '../page';
import { empty, errorMessage, load, section } from '../widgets';

type Alert = Schema<'Alert'>;
type EvidenceScan = Alert['evidence']['scans'][number];

type StatusFilter = 'open' | 'acknowledged' | 'all';

const TYPES: Record<string, string> = {
  serial_overscanned: 'One serial scanned too widely',
  impossible_travel: 'Impossible travel',
  unauthorised_market: 'Scan outside authorised markets',
  serial_not_issued: 'Serial never issued',
  volume_spike: 'Scan volume spike',
  recalled_lot: 'Scan of a recalled lot',
  expired_product: 'Scan past its date',
  blocked_code_scanned: 'Scan of a blocked code',
  unexpected_location: 'Scan far from every stocking store',
};

const PAGE_SIZE = 50;

const words = (key: string) => key.replace(/_/g, ' ');
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function place(s: EvidenceScan): string {
  const where = [s.city, s.region, s.country ? countryName(s.country) : null].filter(Boolean).join(', ');
  return where || 'unknown place';
}

/** Detector figures (distances, counts, thresholds) other than the scans themselves. */
function figures(evidence: Alert['evidence']): HTMLElement | null {
  const entries = Object.entries(evidence).filter(
    ([k, v]) => k !== 'scans' && v !== null && typeof v !== 'object',
  );
  if (entries.length === 0) return null;
  const show = (v: unknown) =>
    typeof v === 'number'
      ? formatNumber(v)
      : typeof v === 'string' && ISO_INSTANT.test(v)
        ? formatDateTime(v)
        : String(v);
  return el(
    'dl',
    { class: 'figures' },
    ...entries.flatMap(([k, v]) => [el('dt', {}, words(k)), el('dd', {}, show(v))]),
  );
}

function alertCard(a: Alert, writable: boolean): HTMLElement {
  const titleId = uid('alert');
  const state = el('p', { class: 'alert-state', role: 'status' });
  const showState = () => {
    state.textContent =
      a.status === 'acknowledged' ? `Acknowledged ${formatDateTime(a.acknowledged_at)}` : 'Open';
  };
  showState();
  const card = el(
    'article',
    {
      class: `alert-card severity-${a.severity} ${a.status}`,
      'aria-labelledby': titleId,
      'data-alert-id': a.id,
      'data-status': a.status,
    },
    el(
      'header',
      {},
      el('h3', { id: titleId }, TYPES[a.type] ?? words(a.type)),
      el('span', { class: `badge severity-${a.severity}` }, `${a.severity} severity`),
    ),
    el(
      'p',
      { class: 'subject' },
      `GTIN ${a.gtin}`,
      a.lot ? ` · lot ${a.lot}` : '',
      a.serial ? ` · serial ${a.serial}` : '',
      ` · seen ${formatNumber(a.occurrences)} ${a.occurrences === 1 ? 'time' : 'times'}, ${formatDateTime(a.first_seen_at)} – ${formatDateTime(a.last_seen_at)}`,
    ),
    figures(a.evidence),
    a.evidence.scans?.length
      ? el(
          'details',
          {},
          el(
            'summary',
            {},
            a.evidence.scans.length === 1
              ? 'The scan behind it'
              : `The ${a.evidence.scans.length} scans behind it`,
          ),
          el(
            'ul',
            { class: 'evidence' },
            ...a.evidence.scans.map((s) =>
              el('li', {}, `${formatDateTime(s.at)} — ${place(s)}`, s.serial ? ` (serial ${s.serial})` : ''),
            ),
          ),
        )
      : null,
    state,
  );
  if (a.status === 'open') {
    const button = el('button', { type: 'button', disabled: !writable }, 'Acknowledge');
    button.addEventListener('click', async () => {
      button.disabled = true;
      state.textContent = 'Acknowledging…';
      try {
        const updated = await api<Alert>(`/v1/alerts/${encodeURIComponent(a.id)}/acknowledge`, {
          method: 'POST',
        });
        Object.assign(a, updated);
        card.classList.replace('open', 'acknowledged');
        card.setAttribute('data-status', a.status);
        button.remove();
        showState();
        state.setAttribute('tabindex', '-1');
        state.focus();
      } catch (error) {
        button.disabled = false;
        state.textContent = errorMessage(error);
        state.setAttribute('role', 'alert');
      }
    });
    card.append(button);
  }
  return card;
}

export const alertsPage: Page = {
  title: 'Alerts',
  render(main: HTMLElement, { signal, org }: PageContext) {
    let status: StatusFilter = 'open';
    const target = el('div', { class: 'alerts' });
    const filter = el(
      'select',
      { id: 'alert-status', name: 'status' },
      el('option', { value: 'open', selected: true }, 'Open'),
      el('option', { value: 'acknowledged' }, 'Acknowledged'),
      el('option', { value: 'all' }, 'All'),
    );

    const fetchPage = (cursor?: string) =>
      api<ResponseOf<'/v1/alerts'>>('/v1/alerts', {
        query: { status: status === 'all' ? undefined : status, limit: PAGE_SIZE, cursor },
        signal,
      });

    const listView = (first: { data: Alert[]; next_cursor: string | null }) => {
      if (first.data.length === 0)
        return empty(status === 'open' ? 'No open alerts: nothing unusual in the scans.' : 'No alerts here.');
      const list = el('div', { class: 'alert-list' }, ...first.data.map((a) => alertCard(a, canWrite(org))));
      const more = el('div', { class: 'more' });
      const addMore = (cursor: string | null) => {
        if (!cursor) return replace(more);
        const button = el('button', { type: 'button', class: 'secondary' }, 'Show older alerts');
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            const next = await fetchPage(cursor);
            list.append(...next.data.map((a) => alertCard(a, canWrite(org))));
            addMore(next.next_cursor);
          } catch (error) {
            replace(more, el('p', { class: 'status error', role: 'alert' }, errorMessage(error)));
          }
        });
        replace(more, button);
      };
      addMore(first.next_cursor);
      return [list, more];
    };

    const refresh = () => void load(target, 'alerts', () => fetchPage(), listView);
    filter.addEventListener('change', () => {
      status = filter.value as StatusFilter;
      refresh();
    });
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'Scan patterns that suggest counterfeits or problems: one serial scanned in too many places, impossible travel, scans outside authorised markets, serials never issued, volume spikes, recalled lots.',
      ),
      canWrite(org)
        ? null
        : el('p', { class: 'notice' }, 'This key is read-only: ask for an editor key to acknowledge alerts.'),
      el(
        'form',
        { class: 'filters', 'aria-label': 'Alert filter', on: { submit: (e) => e.preventDefault() } },
        el('div', { class: 'field' }, el('label', { for: 'alert-status' }, 'Show'), filter),
      ),
      section('Alerts, newest first', target),
    ]);
    refresh();
  },
};
