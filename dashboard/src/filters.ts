// The filters every analytics page shares (README "Dashboard JSON and exports"): a time range of
// whole days in the browser's timezone, GTIN, lot, country and bots. Kept for the tab, so moving
// between pages keeps them.
import { api, type Query, type ResponseOf } from './api';
import { el, uid } from './dom';
import { formatDay } from './format';

export type Preset = '7' | '30' | '90' | 'custom';
export type Bots = 'exclude' | 'include' | 'only';
export type Interval = 'day' | 'hour';
export type FilterField = 'gtin' | 'lot' | 'country' | 'bots' | 'interval';

export interface FilterState {
  range: Preset;
  /** Custom range, both inclusive, `YYYY-MM-DD`. */
  from: string;
  to: string;
  gtin: string;
  lot: string;
  country: string;
  bots: Bots;
  interval: Interval;
}

const STORE = 'dle.dashboard.filters';
/** The API's limit for hourly series (README: at most 31 days). */
export const MAX_HOURLY_DAYS = 31;
const MAX_RANGE_DAYS = 400;

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Today's date in `tz` as `YYYY-MM-DD`. */
export function today(tz = timeZone(), now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

function initialState(): FilterState {
  const to = today();
  const defaults: FilterState = {
    range: '30',
    from: addDays(to, -29),
    to,
    gtin: '',
    lot: '',
    country: '',
    bots: 'exclude',
    interval: 'day',
  };
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Partial<FilterState> | null;
    return saved ? { ...defaults, ...saved } : defaults;
  } catch {
    return defaults;
  }
}

let state = initialState();

export const filters = (): Readonly<FilterState> => state;

export function setFilters(patch: Partial<FilterState>): void {
  state = { ...state, ...patch };
  if (rangeOf(state).days > MAX_HOURLY_DAYS) state.interval = 'day';
  sessionStorage.setItem(STORE, JSON.stringify(state));
}

/** The inclusive days the state covers: a preset ends today. */
export function rangeOf(s: FilterState): { from: string; to: string; days: number } {
  if (s.range === 'custom') return { from: s.from, to: s.to, days: daysBetween(s.from, s.to) };
  const to = today();
  const from = addDays(to, -(Number(s.range) - 1));
  return { from, to, days: Number(s.range) };
}

/** Query parameters for the API; only the filters a route takes (`fields`) are sent. */
export function filterQuery(fields: readonly FilterField[], s: FilterState = state): Query {
  const { from, to } = rangeOf(s);
  const q: Query = { from, to, tz: timeZone() };
  if (fields.includes('gtin') && s.gtin) q.gtin = s.gtin;
  if (fields.includes('lot') && s.lot) q.lot = s.lot;
  if (fields.includes('country') && s.country) q.country = s.country;
  if (fields.includes('bots')) q.bots = s.bots;
  return q;
}

export function describeRange(s: FilterState = state): string {
  const { from, to } = rangeOf(s);
  return `${formatDay(from)} – ${formatDay(to)} (${timeZone()})`;
}

interface ProductOption {
  gtin: string;
  name: string | null;
}

let productList: Promise<ProductOption[]> | undefined;

/** The organisation's products, for the GTIN filter and for naming GTINs in tables (loaded once per tab). */
export function products(): Promise<ProductOption[]> {
  productList ??= api<ResponseOf<'/v1/products'>>('/v1/products', {
    query: { limit: 200 },
  })
    .then((r) =>
      r.data.map((p) => ({
        gtin: p.gtin,
        name: typeof p.fields.name?.value === 'string' ? p.fields.name.value : null,
      })),
    )
    .catch((error: unknown) => {
      productList = undefined; // try again next time
      throw error;
    });
  return productList;
}

export function forgetProducts(): void {
  productList = undefined;
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('filter');
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return el(
    'div',
    { class: 'field' },
    el('label', { for: id }, label),
    control,
    hint ? el('small', { id: hintId, class: 'hint' }, hint) : null,
  );
}

function select<T extends string>(name: string, value: T, options: [T, string][]): HTMLSelectElement {
  return el(
    'select',
    { name },
    ...options.map(([v, label]) => el('option', { value: v, selected: v === value }, label)),
  );
}

/**
 * The filter form for a page. `fields` lists the filters the page's routes take besides the range;
 * any change applies at once and calls `onChange`.
 */
export function filterBar(fields: readonly FilterField[], onChange: () => void): HTMLElement {
  const s = state;
  const range = select<Preset>('range', s.range, [
    ['7', 'Last 7 days'],
    ['30', 'Last 30 days'],
    ['90', 'Last 90 days'],
    ['custom', 'Custom range'],
  ]);
  const from = el('input', {
    type: 'date',
    name: 'from',
    value: rangeOf(s).from,
    max: today(),
    required: true,
  });
  const to = el('input', { type: 'date', name: 'to', value: rangeOf(s).to, max: today(), required: true });
  const custom = el(
    'div',
    { class: 'custom-range', hidden: s.range !== 'custom' },
    field('From', from),
    field('To', to),
  );
  const summary = el('p', { class: 'range-summary', 'aria-live': 'polite' }, describeRange(s));
  const problem = el('p', { class: 'field-error', role: 'alert', hidden: true });

  const controls: HTMLElement[] = [field('Time range', range), custom];
  let interval: HTMLSelectElement | undefined;
  if (fields.includes('interval')) {
    interval = select<Interval>('interval', s.interval, [
      ['day', 'Per day'],
      ['hour', 'Per hour'],
    ]);
    controls.push(field('Interval', interval, `Hours for ranges up to ${MAX_HOURLY_DAYS} days`));
  }
  let gtin: HTMLSelectElement | undefined;
  if (fields.includes('gtin')) {
    gtin = el('select', { name: 'gtin' }, el('option', { value: '' }, 'All products'));
    if (s.gtin) gtin.append(el('option', { value: s.gtin, selected: true }, s.gtin));
    const gtinSelect = gtin;
    products()
      .then((list) => {
        gtinSelect.replaceChildren(el('option', { value: '' }, 'All products'));
        for (const p of list)
          gtinSelect.append(
            el(
              'option',
              { value: p.gtin, selected: p.gtin === state.gtin },
              p.name ? `${p.name} (${p.gtin})` : p.gtin,
            ),
          );
      })
      .catch(() => {
        // the select keeps "All products"; the page's own requests show any API error
      });
    controls.push(field('Product', gtin));
  }
  let lot: HTMLInputElement | undefined;
  if (fields.includes('lot')) {
    lot = el('input', {
      type: 'text',
      name: 'lot',
      value: s.lot,
      maxlength: 20,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Any lot',
    });
    controls.push(field('Lot', lot));
  }
  let country: HTMLInputElement | undefined;
  if (fields.includes('country')) {
    country = el('input', {
      type: 'text',
      name: 'country',
      value: s.country,
      maxlength: 2,
      pattern: '[A-Za-z]{2}',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Any',
      class: 'short',
    });
    controls.push(field('Country', country, 'ISO code, e.g. FR'));
  }
  let bots: HTMLSelectElement | undefined;
  if (fields.includes('bots')) {
    bots = select<Bots>('bots', s.bots, [
      ['exclude', 'Without bots'],
      ['include', 'With bots'],
      ['only', 'Bots only'],
    ]);
    controls.push(field('Bots', bots));
  }

  const syncInterval = () => {
    if (!interval) return;
    const tooLong = rangeOf(state).days > MAX_HOURLY_DAYS;
    const hourOption = interval.querySelector<HTMLOptionElement>('option[value="hour"]');
    if (hourOption) hourOption.disabled = tooLong;
    interval.value = state.interval;
  };
  syncInterval();

  const apply = () => {
    problem.hidden = true;
    const next: Partial<FilterState> = { range: range.value as Preset };
    if (next.range === 'custom') {
      if (!from.value || !to.value || from.value > to.value)
        return showProblem('Choose a start date on or before the end date.');
      if (daysBetween(from.value, to.value) > MAX_RANGE_DAYS)
        return showProblem(`A range may span at most ${MAX_RANGE_DAYS} days.`);
      next.from = from.value;
      next.to = to.value;
    }
    if (interval) next.interval = interval.value as Interval;
    if (gtin) next.gtin = gtin.value;
    if (lot) next.lot = lot.value.trim();
    if (country) {
      const code = country.value.trim().toUpperCase();
      if (code && !/^[A-Z]{2}$/.test(code))
        return showProblem('Country must be a two-letter ISO code such as FR.');
      country.value = code;
      next.country = code;
    }
    if (bots) next.bots = bots.value as Bots;
    setFilters(next);
    custom.hidden = state.range !== 'custom';
    if (state.range !== 'custom') {
      from.value = rangeOf(state).from;
      to.value = rangeOf(state).to;
    }
    summary.textContent = describeRange();
    syncInterval();
    onChange();
  };
  const showProblem = (message: string) => {
    problem.textContent = message;
    problem.hidden = false;
  };

  const form = el(
    'form',
    {
      class: 'filters',
      'aria-label': 'Filters',
      on: {
        submit: (e) => {
          e.preventDefault();
          apply();
        },
        change: () => apply(),
      },
    },
    el('div', { class: 'filter-fields' }, ...controls),
    summary,
    problem,
  );
  return form;
}
