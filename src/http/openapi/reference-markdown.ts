// docs/api-reference.md, written from the OpenAPI document (`npm run docs:api`; a test fails when
// the committed file is not what the document gives). Pure: the document in, Markdown out.
import { type JsonSchema, schemaConstraints, schemaDescription, schemaText } from './schema-text';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
interface Media {
  schema?: JsonSchema;
}
interface Response {
  description: string;
  headers?: Record<string, { description?: string }>;
  content?: Record<string, Media>;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, Response>;
}
export interface ReferenceDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const anchorOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ +/g, '-');

function code(text: string): string {
  return `\`\`\`ts\n${text}\n\`\`\``;
}

function parametersTable(parameters: Parameter[]): string[] {
  return [
    '| parameter | in | type | required | description |',
    '| --- | --- | --- | --- | --- |',
    ...parameters.map(
      (p) =>
        `| \`${p.name}\` | ${p.in} | \`${cell(schemaText(p.schema))}\` | ${p.required ? 'yes' : 'no'} | ${cell(
          [p.description ?? schemaDescription(p.schema), schemaConstraints(p.schema)]
            .filter(Boolean)
            .join('; '),
        )} |`,
    ),
  ];
}

function bodyOf(content: Record<string, Media> | undefined): string | undefined {
  const [media, value] = Object.entries(content ?? {})[0] ?? [];
  if (!media) return undefined;
  return value?.schema && /json$/.test(media) ? schemaText(value.schema) : media;
}

function operationSection(method: string, path: string, op: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, '', op.summary ?? '', ''];
  if (op.description) lines.push(op.description, '');
  if (op.parameters?.length) lines.push(...parametersTable(op.parameters), '');
  const request = op.requestBody?.content;
  for (const [media, value] of Object.entries(request ?? {})) {
    // A text body (the bulk routes' CSV) is described in words, not by a schema.
    const words = /json$/.test(media)
      ? undefined
      : (value.schema as { description?: string } | undefined)?.description;
    if (words) lines.push(`Request body (${media}): ${words}`, '');
    else lines.push(`Request body (${media}):`, '', code(schemaText(value.schema)), '');
  }
  const statuses = Object.keys(op.responses).sort();
  const successes = statuses.filter((s) => Number(s) < 400);
  for (const status of successes) {
    const r = op.responses[status]!;
    const headers = Object.keys(r.headers ?? {});
    const media = Object.keys(r.content ?? {})[0];
    const label = `**${status}** ${r.description}${headers.length ? ` (headers: ${headers.join(', ')})` : ''}`;
    const body = bodyOf(r.content);
    if (body === undefined) lines.push(`${label}: no body.`, '');
    else if (body === media) lines.push(`${label}: \`${media}\`.`, '');
    else lines.push(`${label}, \`${media}\`:`, '', code(body), '');
  }
  const failures = statuses.filter((s) => Number(s) >= 400);
  if (failures.length) {
    lines.push('| error | when |', '| --- | --- |');
    for (const status of failures) lines.push(`| ${status} | ${cell(op.responses[status]!.description)} |`);
    lines.push('');
  }
  return lines;
}

export function referenceMarkdown(doc: ReferenceDocument): string {
  const byTag = new Map<string, [string, string, Operation][]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'other';
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push([method, path, op]);
    }
  }
  const tags = [...byTag.keys()].sort();
  const schemas = Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    `# ${doc.info.title} reference`,
    '',
    '<!-- Generated from GET /v1/openapi.json by `npm run docs:api`: edit the routes, not this file. -->',
    '',
    doc.info.description ?? '',
    '',
    'The same document, rendered in the browser: `/dashboard/reference/`. How the API behaves beyond',
    'its shapes (pagination, rate limits, idempotency): [api.md](api.md).',
    '',
    '## Contents',
    '',
    ...tags.map((tag) => `- [${tag}](#${anchorOf(tag)}) (${byTag.get(tag)!.length})`),
    '- [Schemas](#schemas)',
    '',
  ];
  for (const tag of tags) {
    lines.push(`## ${tag}`, '');
    for (const [method, path, op] of byTag.get(tag)!) lines.push(...operationSection(method, path, op));
  }
  lines.push('## Schemas', '');
  for (const [name, schema] of schemas) {
    lines.push(`### ${name}`, '');
    const description = schemaDescription(schema);
    if (description) lines.push(description, '');
    lines.push(code(schemaText(schema)), '');
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
