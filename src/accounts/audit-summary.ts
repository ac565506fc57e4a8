// What an audit entry says a write changed: the names of the fields it sent and the values that
// identify what it touched (anchors, GTINs, hrefs, names, roles), never anything else, so no
// secret a body carries (POS signature keys, webhook secrets) is ever copied into the log.

const IDENTIFYING = new Set([
  'anchor',
  'gtin',
  'lot',
  'serial',
  'name',
  'role',
  'scope',
  'status',
  'client_key',
  'href',
  'url',
  'link_type',
  'kind',
  'platform',
  'enabled',
  'event_types',
  'expires_at',
  'order_index',
  // Who an Access membership lets in (src/accounts/access-members.routes.ts).
  'email',
  'group',
]);
// Lists and objects whose members are summarised in turn.
const NESTED = new Set(['entries', 'items', 'rules', 'links', 'destination', 'rule_ids']);
const MAX_LIST = 20;
const MAX_TEXT = 300;
const MAX_DEPTH = 3;

const scalar = (v: unknown) =>
  typeof v === 'string' && v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;

function summarise(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) {
    return {
      count: value.length,
      first: value
        .slice(0, MAX_LIST)
        .map((v) => (typeof v === 'object' ? summarise(v, depth + 1) : scalar(v))),
    };
  }
  if (!value || typeof value !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (IDENTIFYING.has(k) && (v === null || typeof v !== 'object' || Array.isArray(v))) {
      out[k] = Array.isArray(v) ? v.slice(0, MAX_LIST).map(scalar) : scalar(v);
    } else if (NESTED.has(k) && depth < MAX_DEPTH) out[k] = summarise(v, depth + 1);
  }
  return out;
}

/** `{ fields: [the body's top-level names], …identifying values }`; `{}` for a write without a body. */
export function auditSummary(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  return { fields: Object.keys(body).slice(0, 50), ...(summarise(body, 0) as Record<string, unknown>) };
}
