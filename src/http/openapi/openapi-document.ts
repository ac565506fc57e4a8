// The OpenAPI 3.1 document, built from the router: hono-openapi walks every route and reads what
// its middleware carry (validators' zod schemas, `documented`, `failsWith`); this module adds the
// shared Error component, each operation's error responses, security and tags.
import type { Hono } from 'hono';
import type { RouterRoute } from 'hono/types';
import { generateSpecs } from 'hono-openapi';
import * as z from 'zod';
import { BOOKMARK_HEADER } from '../../db/d1-sessions';
import { type ApiErrorCode, statusOfCode } from '../api-error';
import { errorEnvelopeSchema } from '../on-error';

export type OpenApiDocument = Awaited<ReturnType<typeof generateSpecs>>;
type Operation = Record<string, unknown> & {
  parameters?: unknown[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  tags?: string[];
  description?: string;
};

/** The resolver's catch-all route, documented as one parameter holding the whole path. */
export const RESOLVER_PATH_PARAMETER = 'digitalLinkPath';

const MEANING: Record<ApiErrorCode, string> = {
  bad_request: 'the request cannot be served as sent (the message says why)',
  invalid_json: 'the body is not well-formed JSON',
  invalid_csv:
    'the CSV body cannot be read (an unclosed quote …) or is empty; `details.line` says where; a bad row is `validation_failed` with details [{line, column, message}]',
  validation_failed: 'a parameter or body field is not valid; `details` lists each as {path, message}',
  invalid_digital_link: 'the path is not a valid GS1 Digital Link; the message names the AI at fault',
  unauthorized: 'no API key, or one that is unknown, revoked or expired',
  forbidden: "the key's role is too low, or a GS1 key lies outside the organisation's company prefixes",
  csrf: 'a write signed in through Cloudflare Access came without an Origin header from this site',
  not_found: "nothing of the caller's organisation has that id",
  method_not_allowed: 'the method is not served on this path',
  conflict: 'the request clashes with what is stored (the message says what)',
  payload_too_large: "the body is over the route's limit (`details.max_bytes`)",
  uri_too_long: 'the URL is too long',
  unsupported_media_type: 'the body is not sent as application/json',
  rate_limited: 'too many requests; retry after the Retry-After header',
  internal: 'a failure on our side; the request was not completed',
  unavailable: 'a store is unavailable for a moment; retry',
};

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function errorComponent(): Record<string, unknown> {
  const schema = z.toJSONSchema(errorEnvelopeSchema, { io: 'output' }) as {
    $defs: Record<string, Record<string, unknown>>;
  };
  return schema.$defs.Error!;
}

function tagOf(path: string): string {
  const [first, second] = path.split('/').filter(Boolean);
  if (first === 'v1') return second ?? 'v1';
  if (first === 'webhooks') return 'pos-webhooks';
  if (first === 'p') return 'hosted-pages';
  if (first === 'search') return 'search';
  if (first === 'dashboard' || first === 'healthz') return 'service';
  return 'resolver';
}

/** Every failure an operation can answer with, from its middleware's marks and its inputs. */
function errorCodesOf(path: string, method: string, op: Operation): Set<ApiErrorCode> {
  const codes = new Set<ApiErrorCode>((op['x-errors'] as ApiErrorCode[] | undefined) ?? []);
  // The body limit guards every method; only a client gone wrong sends a GET with a body.
  if (method === 'get' || method === 'options') codes.delete('payload_too_large');
  if (op['x-public']) {
    // Served ahead of /v1's authentication (src/app.ts), which the router lists for every /v1 path.
    for (const code of ['unauthorized', 'forbidden', 'rate_limited'] as const) codes.delete(code);
  }
  if ((op.parameters?.length ?? 0) > 0 || op.requestBody) codes.add('validation_failed');
  // A malformed X-D1-Bookmark (finishOperation adds the header to every authenticated operation).
  if (op['x-authenticated'] && !op['x-public']) codes.add('bad_request');
  if (op.requestBody?.content?.['application/json']) {
    codes.add('invalid_json');
    codes.add('unsupported_media_type');
  }
  if (op.requestBody?.content?.['text/csv']) codes.add('invalid_csv');
  if (path.includes('{')) codes.add('not_found');
  codes.add('internal');
  return codes;
}

/** `GET /v1/products/{id}` → getV1ProductsById (hono-openapi's own ids are lost under `.use()` middleware). */
function operationIdOf(method: string, path: string): string {
  const pascal = (word: string) =>
    word
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
  const words = path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `By${pascal(segment.slice(1, -1))}` : pascal(segment)));
  return method.toLowerCase() + (words.join('') || 'Root');
}

// Inline rather than $ref'd components: every renderer of the document (docs, dashboard) reads them.
const BOOKMARK_PARAMETER = {
  name: BOOKMARK_HEADER,
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: "An earlier answer's bookmark: read data at least that fresh (your own writes)",
};
const BOOKMARK_RESPONSE_HEADER = {
  schema: { type: 'string' },
  description: `The D1 session's bookmark after this request: send it back as ${BOOKMARK_HEADER}`,
};

function finishOperation(path: string, method: string, op: Operation): void {
  op.operationId = operationIdOf(method, path);
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of errorCodesOf(path, method, op)) {
    const status = statusOfCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  op.responses ??= {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    op.responses[String(status)] ??= {
      description: codes.map((code) => `\`${code}\`: ${MEANING[code]}`).join('; '),
      content: { 'application/json': { schema: ERROR_REF } },
    };
  }
  const role = op['x-required-role'] as string | undefined;
  if (op['x-authenticated'] && !op['x-public']) {
    // Authenticated /v1 requests run in one D1 session (src/http/d1-session.ts).
    op.parameters = [...(op.parameters ?? []), BOOKMARK_PARAMETER];
    for (const [status, response] of Object.entries(op.responses)) {
      if (status.startsWith('2') && typeof response === 'object' && response !== null) {
        const r = response as { headers?: Record<string, unknown> };
        r.headers = { ...r.headers, [BOOKMARK_HEADER]: BOOKMARK_RESPONSE_HEADER };
      }
    }
    // OpenAPI 3.1 lets a non-OAuth scheme list the roles an operation needs.
    op.security = [{ apiKey: role ? [role] : [] }];
    const needs = role ? `Needs a key with role \`${role}\` or above.` : 'Any key of the organisation.';
    op.description = op.description ? `${op.description}\n\n${needs}` : needs;
  } else {
    delete op['x-required-role'];
  }
  op.tags ??= [tagOf(path)];
  delete op['x-errors'];
  delete op['x-authenticated'];
  delete op['x-public'];
}

/** Hono's `:id` ↔ OpenAPI's `{id}`; the resolver's `*` becomes its one whole-path parameter. */
function documentedRoute(route: RouterRoute): RouterRoute {
  return route.path === '/*' ? { ...route, path: `/:${RESOLVER_PATH_PARAMETER}` } : route;
}

export async function buildOpenApiDocument(routes: readonly RouterRoute[]): Promise<OpenApiDocument> {
  // generateSpecs reads only `routes` from the app: the API's and the resolver's, in one list.
  const app = { routes: routes.map(documentedRoute) } as unknown as Hono;
  const document = await generateSpecs(app, {
    documentation: {
      info: {
        title: 'Digital Link Edge API',
        version: '1',
        description:
          'The brand API under /v1 (Bearer API keys with roles), POS webhooks, public product search, ' +
          'hosted product pages and the GS1 Digital Link resolver. Every failure answers with the ' +
          '`Error` envelope; its `code` decides the status.',
      },
      components: {
        schemas: { Error: errorComponent() },
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key of the organisation (`Authorization: Bearer dle_…`). Its role, one of ' +
              'readonly < editor < manager < owner, is what an operation lists as required. Where the ' +
              'operator turned on Cloudflare Access, a person signed in through it (the ' +
              '`Cf-Access-Jwt-Assertion` header or `CF_Authorization` cookie) has the role of their ' +
              'membership (/v1/access-members) instead; a person who is no member gets 403 `forbidden`, ' +
              "and their writes need an `Origin` header of this site, or without one the browser's " +
              '`Sec-Fetch-Site: same-origin` (else 403 `csrf`).',
          },
        },
      },
    },
    includeEmptyPaths: true,
    excludeStaticFile: false,
    excludeMethods: [],
    defaultValidationErrorResponse: false,
  });
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) finishOperation(path, method, op as Operation);
  }
  return document;
}
