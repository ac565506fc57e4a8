// The rule editor's form ↔ the rules API's body, both ways, with no DOM: field names are the
// body's paths (`conditions.countries`), so the API's validation details land beside their field.
import { TEMPLATE_NAMES } from '../../src/digital-link/href-template';
import type { RequestOf, Schema } from './api';
import { type FieldValue, parseList } from './forms';

export type Rule = Schema<'Rule'>;
export type RuleBody = RequestOf<'/v1/rules', 'post'>;
export type RuleScope = Rule['scope'];
/** What the form holds: each field's value by its name. */
export type RuleFormValues = Record<string, FieldValue>;

export const SCOPES: { value: RuleScope; label: string }[] = [
  { value: 'ORGANIZATION', label: 'Whole organisation' },
  { value: 'BRAND', label: 'One brand' },
  { value: 'PRODUCT', label: 'One product (GTIN)' },
  { value: 'BATCH', label: 'One lot of a product' },
  { value: 'SERIAL', label: 'One serial of a product' },
];

/** The target fields each scope asks for. */
export const TARGET_FIELDS: Record<RuleScope, string[]> = {
  ORGANIZATION: [],
  BRAND: ['brand_id'],
  PRODUCT: ['gtin'],
  BATCH: ['gtin', 'lot'],
  SERIAL: ['gtin', 'serial'],
};

/** Every condition the form edits, by its key under `conditions` (a PATCH sets the absent ones to null). */
export const CONDITION_KEYS = [
  'starts_at',
  'ends_at',
  'annual_window',
  'days_of_week',
  'time_of_day',
  'timezone',
  'countries',
  'regions',
  'cities',
  'languages',
  'link_types',
  'product_statuses',
  'device_classes',
  'expired',
] as const;

/** The placeholders a destination URL may use, as the API checks them; a rule's own scan keys first. */
export const URL_PLACEHOLDERS = [...new Set(['gtin', 'lot', 'serial', ...TEMPLATE_NAMES])].map(
  (name) => `{${name}}`,
);

const text = (v: FieldValue | undefined) => (typeof v === 'string' ? v.trim() : '');
const chosen = (v: FieldValue | undefined) => (Array.isArray(v) ? v : []);
/** Place names may hold spaces ("New York"): only commas and new lines separate them. */
const places = (v: FieldValue | undefined) =>
  text(v)
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);

/** `2026-12-24T09:30` in the browser's zone → an ISO instant; anything unreadable is sent as typed. */
export function instantOf(local: string): string {
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
}

/** An ISO instant → the browser-local `YYYY-MM-DDTHH:MM` a datetime-local input shows. */
export function localInputOf(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A start/end pair: absent when both are empty, else as typed (the API names the missing half). */
function pair(start: string, end: string): { start: string; end: string } | undefined {
  if (!start && !end) return undefined;
  return { start, end } as { start: string; end: string };
}

function conditionsOf(v: RuleFormValues): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) c[key] = value;
  };
  set('starts_at', text(v['conditions.starts_at']) && instantOf(text(v['conditions.starts_at'])));
  set('ends_at', text(v['conditions.ends_at']) && instantOf(text(v['conditions.ends_at'])));
  set(
    'annual_window',
    pair(text(v['conditions.annual_window.start']), text(v['conditions.annual_window.end'])),
  );
  set('days_of_week', chosen(v['conditions.days_of_week']));
  set('time_of_day', pair(text(v['conditions.time_of_day.start']), text(v['conditions.time_of_day.end'])));
  set('timezone', text(v['conditions.timezone']));
  set(
    'countries',
    parseList(text(v['conditions.countries'])).map((s) => s.toUpperCase()),
  );
  set('regions', places(v['conditions.regions']));
  set('cities', places(v['conditions.cities']));
  set('languages', parseList(text(v['conditions.languages'])));
  set('link_types', chosen(v['conditions.link_types']));
  set('product_statuses', chosen(v['conditions.product_statuses']));
  set('device_classes', chosen(v['conditions.device_classes']));
  const expired = text(v['conditions.expired']);
  if (expired) c.expired = expired === 'true';
  return c;
}

/** The create body the form stands for (also the preview's draft_rule). */
export function ruleBody(v: RuleFormValues): RuleBody {
  const scope = (text(v.scope) || 'ORGANIZATION') as RuleScope;
  const body: Record<string, unknown> = { name: text(v.name), scope };
  for (const name of TARGET_FIELDS[scope]) body[name] = text(v[name]);
  body.enabled = v.enabled === true;
  body.conditions = conditionsOf(v);
  body.destination =
    text(v['destination.type']) === 'hosted_page'
      ? { type: 'hosted_page' }
      : {
          type: 'url',
          url: text(v['destination.url']),
          forward_query: v['destination.forward_query'] === true,
        };
  body.dead_url_policy = text(v.dead_url_policy) || 'skip_rule';
  return body as RuleBody;
}

/**
 * The PATCH body replacing a saved rule with the form: conditions merge on the server, so each one
 * the form left empty is sent as null (removed); order_index and client_key are left as they are.
 */
export function rulePatch(v: RuleFormValues): Record<string, unknown> {
  const body = ruleBody(v) as Record<string, unknown>;
  const conditions = { ...(body.conditions as Record<string, unknown>) };
  for (const key of CONDITION_KEYS) if (!(key in conditions)) conditions[key] = null;
  return { ...body, conditions };
}

/** The form's values for a saved rule, or for a new one (enabled, URL destination, forwarding the query). */
export function formValues(rule: Rule | null): RuleFormValues {
  if (!rule)
    return {
      scope: 'PRODUCT',
      enabled: true,
      'destination.type': 'url',
      'destination.forward_query': true,
      dead_url_policy: 'skip_rule',
    };
  const c = rule.conditions;
  const d = rule.destination;
  return {
    name: rule.name,
    scope: rule.scope,
    gtin: rule.gtin ?? '',
    lot: rule.lot ?? '',
    serial: rule.serial ?? '',
    brand_id: rule.brand_id ?? '',
    enabled: rule.enabled,
    'conditions.starts_at': localInputOf(c.starts_at),
    'conditions.ends_at': localInputOf(c.ends_at),
    'conditions.annual_window.start': c.annual_window?.start ?? '',
    'conditions.annual_window.end': c.annual_window?.end ?? '',
    'conditions.days_of_week': c.days_of_week ?? [],
    'conditions.time_of_day.start': c.time_of_day?.start ?? '',
    'conditions.time_of_day.end': c.time_of_day?.end ?? '',
    'conditions.timezone': c.timezone === undefined ? '' : String(c.timezone),
    'conditions.countries': (c.countries ?? []).join(', '),
    'conditions.regions': (c.regions ?? []).join(', '),
    'conditions.cities': (c.cities ?? []).join(', '),
    'conditions.languages': (c.languages ?? []).join(', '),
    'conditions.link_types': c.link_types ?? [],
    'conditions.product_statuses': c.product_statuses ?? [],
    'conditions.device_classes': c.device_classes ?? [],
    'conditions.expired': c.expired === undefined ? '' : String(c.expired),
    'destination.type': d.type,
    'destination.url': d.type === 'url' ? d.url : '',
    'destination.forward_query': d.type === 'url' ? d.forward_query : true,
    dead_url_policy: rule.dead_url_policy,
  };
}

/** The Digital Link a scan of the rule's target would be (`/01/<gtin>/10/<lot>`), or '' without a GTIN. */
export function targetLink(v: RuleFormValues): string {
  const scope = text(v.scope) as RuleScope;
  const gtin = TARGET_FIELDS[scope]?.includes('gtin') ? text(v.gtin) : '';
  if (!gtin) return '';
  const lot = scope === 'BATCH' && text(v.lot) ? `/10/${encodeURIComponent(text(v.lot))}` : '';
  const serial = scope === 'SERIAL' && text(v.serial) ? `/21/${encodeURIComponent(text(v.serial))}` : '';
  return `/01/${gtin}${lot}${serial}`;
}
