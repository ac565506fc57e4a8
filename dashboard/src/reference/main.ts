// The API reference page (/dashboard/reference/): GET /v1/openapi.json rendered in the browser,
// grouped by tag, with the same type notation as docs/api-reference.md. Nothing from elsewhere.
import '../styles.css';
import './reference.css';
import {
  type JsonSchema,
  schemaConstraints,
  schemaDescription,
  schemaText,
} from '../../../src/http/openapi/schema-text';
import { type Child, el, replace } from '../dom';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Response {
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, Response>;
  'x-required-role'?: string;
}
interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function schemaBlock(schema: JsonSchema | undefined): HTMLElement {
  return el('pre', { class: 'schema' }, el('code', {}, schemaText(schema)));
}

function parameters(list: Parameter[]): Child {
  return el(
    'table',
    { class: 'parameters' },
    el(
      'thead',
      {},
      el('tr', {}, ...['parameter', 'in', 'type', 'required', 'description'].map((h) => el('th', {}, h))),
    ),
    el(
      'tbody',
      {},
      ...list.map((p) =>
        el(
          'tr',
          {},
          el('td', {}, el('code', {}, p.name)),
          el('td', {}, p.in),
          el('td', {}, el('code', {}, schemaText(p.schema))),
          el('td', {}, p.required ? 'yes' : 'no'),
          el(
            'td',
            {},
            [p.description ?? schemaDescription(p.schema), schemaConstraints(p.schema)]
              .filter(Boolean)
              .join('; '),
          ),
        ),
      ),
    ),
  );
}

function response(status: string, r: Response): Child {
  const [media, body] = Object.entries(r.content ?? {})[0] ?? [];
  const error = Number(status) >= 400;
  return el(
    'div',
    { class: error ? 'response error' : 'response' },
    // Descriptions are Markdown: code spans shown as plain text here.
    el('p', {}, el('strong', {}, status), ' ', r.description.replaceAll('`', ''), media ? ` (${media})` : ''),
    !error && media && body?.schema && /json$/.test(media) ? schemaBlock(body.schema) : null,
  );
}

function operation(method: string, path: string, op: Operation): Child {
  const request = Object.entries(op.requestBody?.content ?? {})[0];
  const role = op['x-required-role'];
  return el(
    'section',
    { class: 'operation', id: slug(`${method} ${path}`) },
    el('h3', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), ' ', el('code', {}, path)),
    el('p', {}, op.summary ?? ''),
    role ? el('p', { class: 'role' }, `Needs a key with role ${role} or above.`) : null,
    op.parameters?.length ? parameters(op.parameters) : null,
    request ? [el('p', {}, `Request body (${request[0]}):`), schemaBlock(request[1].schema)] : null,
    ...Object.entries(op.responses).map(([status, r]) => response(status, r)),
  );
}

function render(doc: OpenApiDocument): Child[] {
  const byTag = new Map<string, [string, string, Operation][]>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'other';
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push([method, path, op]);
    }
  const tags = [...byTag.keys()].sort();
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    el('h1', {}, `${doc.info.title} reference`),
    el('p', {}, (doc.info.description ?? '').replaceAll('`', '')),
    el('p', {}, 'The document itself: ', el('a', { href: '/v1/openapi.json' }, '/v1/openapi.json'), '.'),
    el(
      'nav',
      { 'aria-label': 'Sections' },
      el(
        'ul',
        {},
        ...tags.map((tag) => el('li', {}, el('a', { href: `#${slug(tag)}` }, tag))),
        el('li', {}, el('a', { href: '#schemas' }, 'schemas')),
      ),
    ),
    ...tags.map((tag) =>
      el(
        'section',
        { id: slug(tag) },
        el('h2', {}, tag),
        ...byTag.get(tag)!.map(([m, p, op]) => operation(m, p, op)),
      ),
    ),
    el(
      'section',
      { id: 'schemas' },
      el('h2', {}, 'schemas'),
      ...schemas.map(([name, schema]) =>
        el(
          'section',
          { class: 'schema-definition', id: `schema-${slug(name)}` },
          el('h3', {}, name),
          schemaBlock(schema),
        ),
      ),
    ),
  ];
}

async function main(): Promise<void> {
  const root = document.getElementById('reference')!;
  try {
    const res = await fetch('/v1/openapi.json');
    if (!res.ok) throw new Error(`GET /v1/openapi.json answered ${res.status}`);
    replace(root, ...render(await res.json()));
  } catch (err) {
    replace(
      root,
      el('p', { class: 'status error', role: 'alert' }, `The API reference could not load: ${String(err)}`),
    );
  }
}

void main();
