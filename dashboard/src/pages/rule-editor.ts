// The rule editor (#/rules?new, #/rules?edit=<id>): every scope, condition and destination of a
// rule in one form (POST or PATCH /v1/rules), delete, and beside it the live "Where would this scan
// go?" preview with the form as its draft rule. Form ↔ body is rule-form.ts.
import { api, type Schema } from '../api';
import { el, uid } from '../dom';
import { formatDateTime } from '../format';
import { apiForm, confirmButton, type Field, type FieldSpec, field, say } from '../forms';
import { LINK_TYPE_OPTIONS } from '../link-types';
import {
  formValues,
  type Rule,
  type RuleFormValues,
  ruleBody,
  rulePatch,
  SCOPES,
  TARGET_FIELDS,
  targetLink,
  URL_PLACEHOLDERS,
} from '../rule-form';
import { type DraftRule, scanPreviewPanel } from '../scan-preview';
import { errorMessage } from '../widgets';

type Brand = Schema<'Brand'>;

export interface EditorData {
  /** null: a new rule. */
  rule: Rule | null;
  brands: Brand[];
  products: { gtin: string; name: string | null }[];
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const opts = (values: string[], labels = values) => values.map((value, i) => ({ value, label: labels[i]! }));

function health(rule: Rule | null): HTMLElement | null {
  if (!rule || rule.destination.type !== 'url') return null;
  const h = rule.destination.health;
  const checked = h.last_checked_at ? `last checked ${formatDateTime(h.last_checked_at)}` : 'not checked yet';
  const words = h.dead
    ? `URL health: down (${h.last_status ?? 'no answer'}, ${h.consecutive_failures} failed checks; ${checked}).`
    : h.last_checked_at
      ? `URL health: up (${checked}${h.last_status ? `, answered ${h.last_status}` : ''}).`
      : 'URL health: not checked yet.';
  return el('p', { class: h.dead ? 'url-health error' : 'url-health' }, words);
}

/** A titled group of fields. */
const group = (legend: string, ...fields: Field[]) =>
  el('fieldset', {}, el('legend', {}, legend), ...fields.map((f) => f.root));

export function ruleEditor(
  data: EditorData,
  signal: AbortSignal,
  /** Back to the list, with a sentence to announce there. */
  done: (message: string) => void,
): HTMLElement {
  const { rule } = data;
  const initial = formValues(rule);
  const productList = uid('products');
  // Link types the vocabulary lacks (a brand's own URIs) stay choosable on the rule that has them.
  const ownTypes = ((initial['conditions.link_types'] as string[]) ?? []).filter(
    (t) => !LINK_TYPE_OPTIONS.some((o) => o.curie === t),
  );
  const specs: FieldSpec[] = [
    { name: 'name', label: 'Name', hint: 'For people: the list and the preview show it.' },
    { name: 'enabled', label: 'Enabled', kind: 'checkbox' },
    { name: 'scope', label: 'Scope', kind: 'select', options: SCOPES },
    {
      name: 'gtin',
      label: 'GTIN',
      hint: '14 digits, or 8, 12 or 13.',
      attrs: { list: productList, inputmode: 'numeric', autocomplete: 'off' },
    },
    { name: 'lot', label: 'Lot', hint: 'AI (10), as printed.' },
    { name: 'serial', label: 'Serial', hint: 'AI (21), as printed.' },
    {
      name: 'brand_id',
      label: 'Brand',
      kind: 'select',
      options: [
        { value: '', label: 'Choose a brand' },
        ...data.brands.map((b) => ({ value: b.id, label: b.name })),
      ],
    },
    { name: 'conditions.starts_at', label: 'Starts at', kind: 'datetime-local', hint: 'Your local time.' },
    { name: 'conditions.ends_at', label: 'Ends at', kind: 'datetime-local' },
    {
      name: 'conditions.annual_window.start',
      label: 'Every year from',
      placeholder: '12-20',
      hint: 'MM-DD, inclusive.',
    },
    { name: 'conditions.annual_window.end', label: 'Every year until', placeholder: '01-06' },
    {
      name: 'conditions.days_of_week',
      label: 'Days of week',
      kind: 'checkboxes',
      options: opts(DAYS, DAY_NAMES),
    },
    { name: 'conditions.time_of_day.start', label: 'From time of day', kind: 'time' },
    {
      name: 'conditions.time_of_day.end',
      label: 'Until time of day',
      kind: 'time',
      hint: 'Exclusive; may wrap midnight.',
    },
    {
      name: 'conditions.timezone',
      label: 'Time zone',
      placeholder: 'Europe/Paris',
      hint: 'IANA name; the yearly window, days and times are read in it (UTC when empty).',
    },
    { name: 'conditions.countries', label: 'Countries', placeholder: 'CA, FR', hint: 'ISO 3166 codes.' },
    {
      name: 'conditions.regions',
      label: 'Regions',
      placeholder: 'Quebec, QC',
      hint: 'Names or codes, comma-separated.',
    },
    { name: 'conditions.cities', label: 'Cities', placeholder: 'Montréal', hint: 'Comma-separated.' },
    {
      name: 'conditions.languages',
      label: 'Languages',
      placeholder: 'fr, fr-CA',
      hint: 'The scanner’s first choice.',
    },
    {
      name: 'conditions.device_classes',
      label: 'Device classes',
      kind: 'checkboxes',
      options: opts(['mobile', 'tablet', 'desktop', 'bot', 'other']),
    },
    {
      name: 'conditions.link_types',
      label: 'Link types',
      kind: 'checkboxes',
      hint: 'None chosen: plain scans only (no ?linkType=).',
      options: [...LINK_TYPE_OPTIONS.map((o) => ({ value: o.curie, label: o.title })), ...opts(ownTypes)],
    },
    {
      name: 'conditions.product_statuses',
      label: 'Product statuses',
      kind: 'checkboxes',
      options: opts(
        ['active', 'recalled', 'discontinued'],
        ['Active', 'Recalled (or a recalled lot)', 'Discontinued'],
      ),
    },
    {
      name: 'conditions.expired',
      label: 'Past its date',
      kind: 'select',
      options: [
        { value: '', label: 'Either' },
        { value: 'true', label: 'Only when the code’s date (7003, 17, 15, 16) has passed' },
        { value: 'false', label: 'Only when it has not' },
      ],
    },
    {
      name: 'destination.type',
      label: 'Destination',
      kind: 'select',
      options: [
        { value: 'url', label: 'A URL' },
        { value: 'hosted_page', label: 'The hosted product page' },
      ],
    },
    {
      name: 'destination.url',
      label: 'URL',
      kind: 'url',
      placeholder: 'https://brand.example/p/{gtin}',
      hint: `Placeholders filled from the scan: ${URL_PLACEHOLDERS.join(' ')}, or any AI as {17}.`,
    },
    { name: 'destination.forward_query', label: 'Pass the scan’s query string on', kind: 'checkbox' },
    {
      name: 'dead_url_policy',
      label: 'When the URL is down',
      kind: 'select',
      options: [
        { value: 'skip_rule', label: 'Skip this rule' },
        { value: 'hosted_page', label: 'Send to the hosted product page' },
      ],
    },
  ];
  const fields = specs.map((spec) => field({ ...spec, value: initial[spec.name] ?? null }));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const get = (name: string) => byName.get(name)!;
  const values = (): RuleFormValues => Object.fromEntries(fields.map((f) => [f.name, f.value()]));

  // Only the target fields of the chosen scope, and the URL's fields for a URL destination.
  const showRelevant = () => {
    const v = values();
    const targets = TARGET_FIELDS[v.scope as Rule['scope']] ?? [];
    for (const name of ['gtin', 'lot', 'serial', 'brand_id']) get(name).root.hidden = !targets.includes(name);
    const url = v['destination.type'] === 'url';
    get('destination.url').root.hidden = !url;
    get('destination.forward_query').root.hidden = !url;
    get('dead_url_policy').root.hidden = !url;
  };
  showRelevant();

  const draft = (): DraftRule => ({ ...ruleBody(values()), ...(rule ? { id: rule.id } : {}) }) as DraftRule;
  const preview = scanPreviewPanel({ signal, draft, targetLink: () => targetLink(values()) });
  for (const f of fields)
    f.onChange(() => {
      showRelevant();
      preview.refresh();
    });

  const save = async (): Promise<Rule> =>
    rule
      ? api<Rule>(`/v1/rules/${encodeURIComponent(rule.id)}`, { method: 'PATCH', body: rulePatch(values()) })
      : api<Rule>('/v1/rules', { method: 'POST', body: ruleBody(values()) });

  const deleteStatus = el('p', { class: 'form-status', role: 'status' });
  const form = apiForm<Rule>({
    label: rule ? `Edit rule ${rule.name}` : 'New rule',
    fields,
    layout: [
      group('Rule', get('name'), get('enabled')),
      group('Applies to', get('scope'), get('gtin'), get('lot'), get('serial'), get('brand_id')),
      group(
        'When',
        get('conditions.starts_at'),
        get('conditions.ends_at'),
        get('conditions.annual_window.start'),
        get('conditions.annual_window.end'),
        get('conditions.days_of_week'),
        get('conditions.time_of_day.start'),
        get('conditions.time_of_day.end'),
        get('conditions.timezone'),
      ),
      group(
        'Where and who',
        get('conditions.countries'),
        get('conditions.regions'),
        get('conditions.cities'),
        get('conditions.languages'),
        get('conditions.device_classes'),
      ),
      group(
        'What the scan is of',
        get('conditions.link_types'),
        get('conditions.product_statuses'),
        get('conditions.expired'),
      ),
      el(
        'fieldset',
        {},
        el('legend', {}, 'Destination'),
        get('destination.type').root,
        get('destination.url').root,
        get('destination.forward_query').root,
        get('dead_url_policy').root,
        health(rule),
      ),
    ],
    submitLabel: rule ? 'Save rule' : 'Create rule',
    submit: save,
    saved: (saved) => {
      done(rule ? `Saved “${saved.name || saved.id}”.` : `Created “${saved.name || saved.id}”.`);
      return 'Saved.';
    },
    actions: [
      el('a', { href: '#/rules', class: 'button-link' }, 'Cancel'),
      rule
        ? confirmButton('Delete rule', 'Confirm delete', async () => {
            try {
              await api(`/v1/rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE' });
              done(`Deleted “${rule.name || rule.id}”.`);
            } catch (error) {
              say(deleteStatus, errorMessage(error), true);
            }
          })
        : null,
    ],
  });
  const list = el(
    'datalist',
    { id: productList },
    ...data.products.map((p) => el('option', { value: p.gtin }, p.name ?? p.gtin)),
  );
  const headingId = uid('editor');
  const heading = el(
    'h2',
    { id: headingId, tabindex: -1 },
    rule ? `Edit rule “${rule.name || rule.id}”` : 'New rule',
  );
  const editor = el(
    'div',
    { class: 'rule-editor' },
    el(
      'section',
      { class: 'panel rule-form', 'aria-labelledby': headingId },
      heading,
      form,
      deleteStatus,
      list,
    ),
    preview.root,
  );
  // After the route focused the page's h1: the editor is what the person came for.
  queueMicrotask(() => heading.focus());
  return editor;
}
