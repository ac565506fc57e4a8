// Rules: the brand's resolution rules in evaluation order (GET /v1/rules), switched on and off
// (PATCH /v1/rules/:id) and reordered within their scope target (POST /v1/rules/reorder), with
// "Where would this scan go?" below. `#/rules?new` and `#/rules?edit=<id>` open the editor
// (rule-editor.ts) for editors and above, so the back button leaves it.
import { api, type ResponseOf, type Schema } from '../api';
import { append, el, replace, safeHttpUrl, uid } from '../dom';
import { addDays, products, timeZone, today } from '../filters';
import { formatDateTime, formatNumber } from '../format';
import { canWrite, type Page, type PageContext, readOnlyReason } from '../page';
import { scanPreviewPanel } from '../scan-preview';
import { empty, errorMessage, load } from '../widgets';
import { ruleEditor } from './rule-editor';

type Rule = Schema<'Rule'>;

/** The rules API pages by 200; an organisation with more sees them all, page after page. */
async function allRules(signal: AbortSignal): Promise<Rule[]> {
  const rules: Rule[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<ResponseOf<'/v1/rules'>>('/v1/rules', {
      query: { limit: 200, cursor },
      signal,
    });
    rules.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return rules;
}

const targetKey = (r: Rule) => [r.scope, r.gtin, r.lot, r.serial, r.brand_id].map((v) => v ?? '').join('|');

function targetTitle(r: Rule, names: Map<string, string | null>): string {
  const product = (gtin = '') => (names.get(gtin) ? `${names.get(gtin)} (${gtin})` : gtin);
  switch (r.scope) {
    case 'SERIAL':
      return `Serial ${r.serial} of ${product(r.gtin)}`;
    case 'BATCH':
      return `Lot ${r.lot} of ${product(r.gtin)}`;
    case 'PRODUCT':
      return `Product ${product(r.gtin)}`;
    case 'BRAND':
      return `Brand ${r.brand_id}`;
    case 'ORGANIZATION':
      return 'Whole organisation';
  }
}

const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

/** The conditions in a line a person reads ("countries CA · languages fr"). */
export function describeConditions(c: Record<string, unknown>): string {
  const parts: string[] = [];
  if (c.starts_at) parts.push(`from ${formatDateTime(String(c.starts_at))}`);
  if (c.ends_at) parts.push(`until ${formatDateTime(String(c.ends_at))}`);
  const window = c.annual_window as { start: string; end: string } | undefined;
  if (window) parts.push(`every year ${window.start} to ${window.end}`);
  if (c.days_of_week) parts.push(`on ${list(c.days_of_week)}`);
  const time = c.time_of_day as { start: string; end: string } | undefined;
  if (time) parts.push(`${time.start}–${time.end}`);
  if (c.timezone) parts.push(`(${String(c.timezone)})`);
  if (c.countries) parts.push(`countries ${list(c.countries)}`);
  if (c.regions) parts.push(`regions ${list(c.regions)}`);
  if (c.cities) parts.push(`cities ${list(c.cities)}`);
  if (c.languages) parts.push(`languages ${list(c.languages)}`);
  if (c.link_types) parts.push(`link types ${list(c.link_types)}`);
  if (c.product_statuses) parts.push(`product ${list(c.product_statuses)}`);
  if (c.device_classes) parts.push(`devices ${list(c.device_classes)}`);
  return parts.length ? parts.join(' · ') : 'Always';
}

function destination(r: Rule): HTMLElement {
  if (r.destination.type === 'hosted_page') return el('span', {}, 'Hosted product page');
  // A template ({gtin} …) is filled per scan: only a fixed URL is a link worth following.
  const href = r.destination.url.includes('{') ? null : safeHttpUrl(r.destination.url);
  const dead = r.destination.health?.dead;
  return el(
    'span',
    { class: 'destination' },
    href
      ? el('a', { href, rel: 'noopener noreferrer', target: '_blank' }, r.destination.url)
      : r.destination.url,
    dead
      ? el(
          'span',
          { class: 'badge danger' },
          `URL down (${r.destination.health?.last_status ?? 'no answer'})`,
        )
      : null,
  );
}

/** Human scans each rule answered over the last 30 days (the breakdown by rule), or null if unknown. */
async function ruleScans(signal: AbortSignal): Promise<Map<string, number>> {
  const to = today();
  const body = await api<Extract<ResponseOf<'/v1/analytics/scans/breakdown'>, { total: number }>>(
    '/v1/analytics/scans/breakdown',
    { query: { by: 'rule', limit: 100, from: addDays(to, -(COUNT_DAYS - 1)), to, tz: timeZone() }, signal },
  );
  return new Map(body.rows.map((r) => [r.value, r.scans]));
}

const COUNT_DAYS = 30;

function scansLine(counts: Map<string, number> | null, r: Rule): HTMLElement | null {
  if (!counts) return null;
  // Past the top 100 the breakdown folds rules into "other": say so rather than show 0.
  const n = counts.get(r.id) ?? (counts.has('other') ? null : 0);
  return el(
    'p',
    { class: 'rule-scans' },
    n === null
      ? `Fewer scans than the ${formatNumber(counts.size - 1)} busiest rules in the last ${COUNT_DAYS} days`
      : `${formatNumber(n)} ${n === 1 ? 'scan' : 'scans'} answered in the last ${COUNT_DAYS} days`,
  );
}

function ruleGroup(
  rules: Rule[],
  writable: boolean,
  names: Map<string, string | null>,
  counts: Map<string, number> | null,
): HTMLElement {
  const headingId = uid('group');
  const status = el('p', { class: 'group-status', role: 'status' });
  const body = el('ol', { class: 'rule-list' });
  const group = el(
    'section',
    { class: 'panel rule-group', 'aria-labelledby': headingId },
    el('h2', { id: headingId }, targetTitle(rules[0]!, names)),
    body,
    status,
  );

  const say = (message: string, error = false) => {
    status.textContent = message;
    status.className = error ? 'group-status error' : 'group-status';
    status.setAttribute('role', error ? 'alert' : 'status');
  };

  const move = async (index: number, delta: number, focusClass: string) => {
    const order = [...rules];
    const [moved] = order.splice(index, 1);
    order.splice(index + delta, 0, moved!);
    say('Saving the new order…');
    try {
      await api('/v1/rules/reorder', { method: 'POST', body: { rule_ids: order.map((r) => r.id) } });
      rules.splice(0, rules.length, ...order);
      draw();
      say(`Moved “${moved!.name}” to position ${index + delta + 1}.`);
      const again = body.querySelector<HTMLButtonElement>(`[data-rule-id="${moved!.id}"] .${focusClass}`);
      (again && !again.disabled
        ? again
        : body.querySelector<HTMLElement>(`[data-rule-id="${moved!.id}"] input`)
      )?.focus();
    } catch (error) {
      say(errorMessage(error), true);
    }
  };

  const toggle = async (rule: Rule, box: HTMLInputElement) => {
    box.disabled = true;
    say(box.checked ? `Enabling “${rule.name}”…` : `Disabling “${rule.name}”…`);
    try {
      const updated = await api<Rule>(`/v1/rules/${encodeURIComponent(rule.id)}`, {
        method: 'PATCH',
        body: { enabled: box.checked },
      });
      rule.enabled = updated.enabled;
      say(`“${rule.name}” is ${rule.enabled ? 'enabled' : 'disabled'}.`);
    } catch (error) {
      box.checked = rule.enabled;
      say(errorMessage(error), true);
    } finally {
      box.disabled = !writable;
      box.closest('li')?.classList.toggle('disabled', !rule.enabled);
    }
  };

  const draw = () =>
    replace(
      body,
      ...rules.map((r, i) => {
        const boxId = uid('enabled');
        const box = el('input', { type: 'checkbox', id: boxId, checked: r.enabled, disabled: !writable });
        box.addEventListener('change', () => void toggle(r, box));
        const up = el(
          'button',
          {
            type: 'button',
            class: 'secondary small move-up',
            disabled: !writable || i === 0,
            'aria-label': `Move “${r.name}” up`,
          },
          '↑ Up',
        );
        const down = el(
          'button',
          {
            type: 'button',
            class: 'secondary small move-down',
            disabled: !writable || i === rules.length - 1,
            'aria-label': `Move “${r.name}” down`,
          },
          '↓ Down',
        );
        up.addEventListener('click', () => void move(i, -1, 'move-up'));
        down.addEventListener('click', () => void move(i, 1, 'move-down'));
        return el(
          'li',
          { class: r.enabled ? 'rule' : 'rule disabled', 'data-rule-id': r.id },
          el(
            'div',
            { class: 'rule-main' },
            el('h3', {}, r.name),
            el('p', { class: 'conditions' }, describeConditions(r.conditions)),
            el('p', { class: 'to' }, '→ ', destination(r)),
            scansLine(counts, r),
          ),
          el(
            'div',
            { class: 'rule-actions' },
            el('span', { class: 'toggle' }, box, el('label', { for: boxId }, 'Enabled')),
            up,
            down,
            writable
              ? el(
                  'a',
                  {
                    href: `#/rules?edit=${encodeURIComponent(r.id)}`,
                    class: 'button-link small',
                    'aria-label': `Edit “${r.name}”`,
                  },
                  'Edit',
                )
              : null,
          ),
        );
      }),
    );
  draw();
  return group;
}

/** What the editor last did, said once on the list it returns to. */
let announcement: string | undefined;

const newRuleLink = () => el('a', { href: '#/rules?new', class: 'button-link primary' }, 'New rule');

/** Back to the list (a new history entry, so the back button returns to the editor's URL). */
function backToList(message: string): void {
  announcement = message;
  location.hash = '#/rules';
}

function renderEditor(target: HTMLElement, signal: AbortSignal, editId: string | null): void {
  void load(
    target,
    editId ? 'the rule' : 'the editor',
    async () => {
      const [rule, brands, list] = await Promise.all([
        editId ? api<Rule>(`/v1/rules/${encodeURIComponent(editId)}`, { signal }) : Promise.resolve(null),
        api<ResponseOf<'/v1/brands'>>('/v1/brands', { signal }).then((b) => b.data),
        products().catch(() => []),
      ]);
      return { rule, brands, products: list };
    },
    (data) => ruleEditor(data, signal, backToList),
  );
}

export const rulesPage: Page = {
  title: 'Rules',
  render(main: HTMLElement, { signal, org }: PageContext) {
    const target = el('div');
    const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
    const writable = canWrite(org);
    const editing = writable && (params.has('new') || params.has('edit'));
    const said = announcement;
    announcement = undefined;
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'Where scans go beyond the GS1 default link. Rules are tried most specific scope first (serial, lot, product, brand, organisation), in the order shown within each; the first whose conditions all hold wins.',
      ),
      writable ? null : el('p', { class: 'notice' }, readOnlyReason(org, 'editor', 'change rules')),
      said ? el('p', { class: 'saved-status', role: 'status' }, said) : null,
      writable && !editing ? el('p', { class: 'page-actions' }, newRuleLink()) : null,
      target,
    ]);
    if (editing) {
      renderEditor(target, signal, params.get('edit'));
      return;
    }
    const withNames = async () => {
      const [rules, list, counts] = await Promise.all([
        allRules(signal),
        products().catch(() => []),
        ruleScans(signal).catch(() => null),
      ]);
      return { rules, names: new Map(list.map((p) => [p.gtin, p.name])), counts };
    };
    void load(target, 'rules', withNames, ({ rules, names, counts }) => {
      if (rules.length === 0)
        return el(
          'div',
          { class: 'panel empty-rules' },
          empty('No rules yet: every scan goes to its GS1 default link.'),
          writable ? newRuleLink() : null,
        );
      const groups = new Map<string, Rule[]>();
      for (const r of rules)
        (groups.get(targetKey(r)) ?? groups.set(targetKey(r), []).get(targetKey(r))!).push(r);
      return [...groups.values()].map((g) => ruleGroup(g, writable, names, counts));
    });
    main.append(scanPreviewPanel({ signal }).root);
  },
};
