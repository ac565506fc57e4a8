// A JSON Schema as a short TypeScript-like type, for people reading the API reference
// (docs/api-reference.md and the dashboard's reference page). Import-free: the browser bundle and
// the docs script use it as it is. Components stay names (`Product`), defined once elsewhere.

export type JsonSchema = boolean | { [keyword: string]: unknown };

const REF_PREFIX = '#/components/schemas/';

const pad = (depth: number) => '  '.repeat(depth);

function quoteKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `{ … }` on several lines when it has properties; `depth` is the indentation of its first line. */
export function schemaText(schema: JsonSchema | undefined, depth = 0): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string')
    return s.$ref.startsWith(REF_PREFIX) ? s.$ref.slice(REF_PREFIX.length) : s.$ref;
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(literal).join(' | ');
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = s[key];
    if (Array.isArray(members)) return members.map((m) => member(m as JsonSchema, depth)).join(' | ');
  }
  if (Array.isArray(s.allOf)) return s.allOf.map((m) => member(m as JsonSchema, depth)).join(' & ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length > 1) return types.map((t) => schemaText({ ...s, type: t }, depth)).join(' | ');
  const type = types[0] ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
      return typeof s.format === 'string' ? `string (${s.format})` : 'string';
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return type;
    case 'array': {
      if (Array.isArray(s.prefixItems))
        return `[${s.prefixItems.map((i) => schemaText(i as JsonSchema, depth)).join(', ')}]`;
      return `${member(s.items as JsonSchema, depth)}[]`;
    }
    case 'object':
      return objectText(s, depth);
    default:
      return 'unknown';
  }
}

/** A union member or array item: parenthesised when it is itself a union. */
function member(schema: JsonSchema, depth: number): string {
  const text = schemaText(schema, depth);
  return / \| | & /.test(text) && !text.startsWith('{') ? `(${text})` : text;
}

function objectText(s: Record<string, unknown>, depth: number): string {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const names = Object.keys(properties);
  const extra = s.additionalProperties;
  const propertyNames = s.propertyNames as Record<string, unknown> | undefined;
  if (names.length === 0) {
    if (extra && extra !== true) {
      const key = propertyNames ? schemaText(propertyNames, depth) : 'string';
      return `Record<${key}, ${schemaText(extra as JsonSchema, depth)}>`;
    }
    return extra === false ? '{}' : 'object';
  }
  const lines = names.map((name) => {
    const optional = required.has(name) ? '' : '?';
    return `${pad(depth + 1)}${quoteKey(name)}${optional}: ${schemaText(properties[name], depth + 1)};`;
  });
  if (extra !== undefined && extra !== false) lines.push(`${pad(depth + 1)}[other: string]: unknown;`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

/** The description written on the schema itself, if any (zod's `.meta({ description })`). */
export function schemaDescription(schema: JsonSchema | undefined): string | undefined {
  return schema && typeof schema === 'object' && typeof schema.description === 'string'
    ? schema.description
    : undefined;
}

/** A parameter's bounds and default, from its schema: `1–200, default 50`. */
export function schemaConstraints(schema: JsonSchema | undefined): string {
  if (!schema || typeof schema !== 'object') return '';
  const s = schema as Record<string, unknown>;
  const safe = (n: unknown) => typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  const parts: string[] = [];
  if (safe(s.minimum) && safe(s.maximum)) parts.push(`${s.minimum}–${s.maximum}`);
  else if (safe(s.minimum)) parts.push(`≥ ${s.minimum}`);
  else if (safe(s.maximum)) parts.push(`≤ ${s.maximum}`);
  if (typeof s.maxLength === 'number') parts.push(`at most ${s.maxLength} characters`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}
