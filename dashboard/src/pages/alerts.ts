// Alerts: anomalies the detectors found, grouped by type (GET /v1/alerts/summary), each group's
// alerts newest first (GET /v1/alerts?type=), acknowledged one by one (POST …/acknowledge); the
// scans behind an alert are listed and drawn on a small map.
import { api, type ResponseOf, type Schema } from '../api';
import type { MapPoint } from '../charts/world-map';
import { append, el, replace, uid } from '../dom';
import { countryName, formatDateTime, formatNumber } from '../format';
import { canWrite, type Page, type PageContext, readOnlyReason } from '../page';
import { empty, errorMessage, failure, load, section } from '../widgets';

type Alert = Schema<'Alert'>;
type EvidenceScan = Alert['evidence']['scans'][number];

type StatusFilter = 'open' | 'acknowledged' | 'all';
type TypeSummary = ResponseOf<'/v1/alerts/summary'>['types'][number];

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

/** Alerts shown per group at first; "Show more" pages on. */
const PAGE_SIZE = 5;

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

/**
 * The places behind an alert on a small map, drawn when its details are first opened (the map's
 * chunk loads then); scans without coordinates are only in the list.
 */
function evidenceMap(scans: EvidenceScan[]): HTMLElement | null {
  const points = new Map<string, MapPoint>();
  for (const s of scans) {
    if (s.latitude === null || s.longitude === null) continue;
    const key = `${s.latitude},${s.longitude}`;
    const point = points.get(key) ?? {
      lat: s.latitude,
      lng: s.longitude,
      scans: 0,
      place: { name: s.city ?? s.region ?? s.country ?? 'Unknown place', country: s.country },
    };
    point.scans++;
    points.set(key, point);
  }
  if (points.size === 0) return null;
  const host = el('div', { class: 'evidence-map' });
  const draw = async () => {
    const { WorldMap } = await import('../charts/world-map');
    const map = new WorldMap(
      `Map of the ${points.size === 1 ? 'place' : `${points.size} places`} behind this alert`,
    );
    const list = [...points.values()];
    map.setPoints(list);
    replace(host, map.svg);
    map.fitTo({
      south: Math.min(...list.map((p) => p.lat)),
      north: Math.max(...list.map((p) => p.lat)),
      west: Math.min(...list.map((p) => p.lng)),
      east: Math.max(...list.map((p) => p.lng)),
    });
  };
  // Drawn once, when the details element around it first opens.
  queueMicrotask(() => {
    const details = host.closest('details');
    details?.addEventListener(
      'toggle',
      () => {
        if (details.open) void draw().catch((error: unknown) => replace(host, failure(error)));
      },
      { once: true },
    );
  });
  return host;
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
          evidenceMap(a.evidence.scans),
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

    const fetchPage = (type: string, cursor?: string) =>
      api<ResponseOf<'/v1/alerts'>>('/v1/alerts', {
        query: { status: status === 'all' ? undefined : status, type, limit: PAGE_SIZE, cursor },
        signal,
      });

    /** One type's alerts: the first page, then "Show more" as long as there are more. */
    const groupView = (t: TypeSummary) => {
      const list = el('div', { class: 'alert-list' });
      const more = el('div', { class: 'more' });
      const addMore = (cursor: string | null, shown: number) => {
        if (!cursor) return replace(more);
        const left = t.alerts - shown;
        const button = el(
          'button',
          { type: 'button', class: 'secondary' },
          left > 0
            ? `Show ${formatNumber(Math.min(left, PAGE_SIZE))} more of ${formatNumber(left)}`
            : 'Show more',
        );
        button.addEventListener('click', async () => {
          button.disabled = true;
          try {
            const next = await fetchPage(t.type, cursor);
            list.append(...next.data.map((a) => alertCard(a, canWrite(org))));
            addMore(next.next_cursor, shown + next.data.length);
          } catch (error) {
            replace(more, el('p', { class: 'status error', role: 'alert' }, errorMessage(error)));
          }
        });
        replace(more, button);
      };
      const body = el('div');
      void load(
        body,
        `${(TYPES[t.type] ?? words(t.type)).toLowerCase()} alerts`,
        () => fetchPage(t.type),
        (first) => {
          list.append(...first.data.map((a) => alertCard(a, canWrite(org))));
          addMore(first.next_cursor, first.data.length);
          return [list, more];
        },
      );
      const severities = (['high', 'medium', 'low'] as const)
        .filter((level) => t[level] > 0)
        .map((level) => `${formatNumber(t[level])} ${level}`)
        .join(', ');
      const headingId = uid('group');
      return el(
        'section',
        { class: 'panel alert-group', 'aria-labelledby': headingId, 'data-type': t.type },
        el(
          'h2',
          { id: headingId },
          TYPES[t.type] ?? words(t.type),
          el(
            'span',
            { class: 'count' },
            ` · ${formatNumber(t.alerts)} ${t.alerts === 1 ? 'alert' : 'alerts'}`,
          ),
        ),
        el(
          'p',
          { class: 'group-summary' },
          `${severities} severity · ${formatNumber(t.occurrences)} ${t.occurrences === 1 ? 'detection' : 'detections'} · latest ${formatDateTime(t.last_seen_at)}`,
        ),
        body,
      );
    };

    const groupsView = (summary: ResponseOf<'/v1/alerts/summary'>) => {
      if (summary.types.length === 0)
        return empty(status === 'open' ? 'No open alerts: nothing unusual in the scans.' : 'No alerts here.');
      return summary.types.map(groupView);
    };

    const refresh = () =>
      void load(
        target,
        'alerts',
        () =>
          api<ResponseOf<'/v1/alerts/summary'>>('/v1/alerts/summary', {
            query: { status: status === 'all' ? undefined : status },
            signal,
          }),
        groupsView,
      );
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
        : el('p', { class: 'notice' }, readOnlyReason(org, 'editor', 'acknowledge alerts')),
      el(
        'form',
        { class: 'filters', 'aria-label': 'Alert filter', on: { submit: (e) => e.preventDefault() } },
        el('div', { class: 'field' }, el('label', { for: 'alert-status' }, 'Show'), filter),
      ),
      target,
    ]);
    refresh();
  },
};
