// The served OpenAPI document, and validation of responses against it (@cfworker/json-schema:
// the document's schemas are JSON Schema 2020-12, OpenAPI 3.1's dialect).
import { Validator } from '@cfworker/json-schema';
import { createApp } from '../../src/app';
import { RESOLVER_PATH_PARAMETER } from '../../src/http/openapi/openapi-document';
import { call } from './http';

export interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  'x-required-role'?: string;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const DOCUMENT_URI = 'https://openapi.test/openapi.json';

export async function servedDocument(): Promise<OpenApiDocument> {
  const res = await call('GET', '/v1/openapi.json');
  if (res.status !== 200) throw new Error(`GET /v1/openapi.json: ${res.status}`);
  return res.json<OpenApiDocument>();
}

/** Hono's `/v1/links/:id` as OpenAPI writes it, `/v1/links/{id}`; the resolver's `*` as its one parameter. */
export const openApiPath = (honoPath: string) =>
  honoPath === '/*' ? `/{${RESOLVER_PATH_PARAMETER}}` : honoPath.replace(/:([A-Za-z_]+)/g, '{$1}');

/** Every method and path both apps route to a handler (middleware and catch-all 404s left out). */
export function routerOperations(): string[] {
  const app = createApp();
  const ops = [...app.api.routes, ...app.edge.routes]
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${openApiPath(r.path)}`);
  return [...new Set(ops)].sort();
}

export function documentOperations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

const pointerPart = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Checks a response body against the document's schema for that operation, status and media type. */
export class ResponseChecker {
  private readonly doc: OpenApiDocument;

  constructor(doc: OpenApiDocument) {
    this.doc = structuredClone(doc);
  }

  /** The schema's problems with `body`, or a reason the document has no schema for this answer. */
  problems(method: string, path: string, status: number, mediaType: string, body: unknown): string[] {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) return [`${method} ${path} is not in the document`];
    const response = op.responses[String(status)];
    if (!response) return [`${method} ${path} does not document status ${status}`];
    if (!response.content) return mediaType ? [`status ${status} is documented without a body`] : [];
    const media = response.content[mediaType];
    if (!media)
      return [`status ${status} documents ${Object.keys(response.content).join(', ')}, not ${mediaType}`];
    if (!media.schema || typeof body === 'string') return [];
    const pointer = [
      'paths',
      path,
      method.toLowerCase(),
      'responses',
      String(status),
      'content',
      mediaType,
      'schema',
    ]
      .map(pointerPart)
      .join('/');
    const validator = new Validator({ $ref: `${DOCUMENT_URI}#/${pointer}` }, '2020-12', false);
    validator.addSchema({ ...this.doc, $id: DOCUMENT_URI } as never);
    const result = validator.validate(body);
    return result.valid
      ? []
      : result.errors.filter((e) => e.keyword !== '$ref').map((e) => `${e.instanceLocation}: ${e.error}`);
  }
}
