// What a route adds to the OpenAPI document beyond what its validators already say
// (src/http/validate.ts): a summary, its success responses with their zod schemas, and failures
// particular to it. Middleware guarding many routes (authentication, roles, rate and body limits)
// declare their own failures with `failsWith`, so no route repeats them.
import type { MiddlewareHandler } from 'hono';
import { type DescribeRouteOptions, describeRoute, resolver, uniqueSymbol } from 'hono-openapi';
import type * as z from 'zod';
import type { ApiErrorCode } from '../api-error';

/** A success response: a zod schema is a JSON body, null no body; or a description, media type, headers. */
export type SuccessResponse =
  | null
  | z.ZodType
  | {
      description?: string;
      /** Defaults to application/json when there is a body schema, else no body at all; several: one of them. */
      mediaType?: string | string[];
      body?: z.ZodType;
      headers?: Record<string, string>;
    };

export interface RouteDoc {
  summary: string;
  description?: string;
  /** Defaults to the path's resource (`/v1/products/…` → products). */
  tags?: string[];
  responses: Partial<Record<200 | 201 | 202 | 204 | 300 | 301 | 307, SuccessResponse>>;
  /** Failures of this route's own making (a conflict, a GS1 key outside the company prefixes …). */
  errors?: ApiErrorCode[];
  /** Path parameters the router cannot describe (the resolver's whole-path parameter). */
  parameters?: DescribeRouteOptions['parameters'];
  /** Served without an API key even under /v1 (the document itself). */
  public?: true;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: queued',
  204: 'Done; no body',
  300: 'Multiple choices',
  301: 'Moved permanently',
  307: 'Temporary redirect',
};

function isZodSchema(value: SuccessResponse): value is z.ZodType {
  return value !== null && '~standard' in value;
}

function responseObject(status: number, response: SuccessResponse) {
  const r = response === null ? {} : isZodSchema(response) ? { body: response } : response;
  const media = r.mediaType ?? (r.body ? 'application/json' : undefined);
  const schema = r.body ? resolver(r.body, { options: { io: 'output' } }) : { type: 'string' };
  return {
    description: r.description ?? DEFAULT_DESCRIPTIONS[status] ?? 'OK',
    ...(r.headers && {
      headers: Object.fromEntries(
        Object.entries(r.headers).map(([name, description]) => [
          name,
          { description, schema: { type: 'string' } },
        ]),
      ),
    }),
    ...(media && {
      // Responses are what handlers produce: zod's output side (defaults applied, transforms run).
      content: Object.fromEntries([media].flat().map((type) => [type, { schema }])),
    }),
  };
}

function routeSpec(doc: RouteDoc) {
  return {
    summary: doc.summary,
    ...(doc.description && { description: doc.description }),
    ...(doc.tags && { tags: doc.tags }),
    ...(doc.parameters && { parameters: doc.parameters }),
    responses: Object.fromEntries(
      Object.entries(doc.responses).map(([status, r]) => [status, responseObject(Number(status), r)]),
    ),
    ...(doc.errors && { 'x-errors': doc.errors }),
    ...(doc.public && { 'x-public': true }),
  };
}

/** Middleware that does nothing at run time and carries the route's part of the document. */
export function documented(doc: RouteDoc): MiddlewareHandler {
  return describeRoute(routeSpec(doc) as DescribeRouteOptions);
}

/**
 * The same, carried by the handler itself: for the resolver, whose scans must not pay for a
 * middleware (a handler alone is called without Hono's compose, and may answer without a promise).
 */
export function documentedHandler<H extends object>(doc: RouteDoc, handler: H): H {
  return Object.assign(handler, { [uniqueSymbol]: { spec: routeSpec(doc) } });
}

/**
 * Marks a middleware with the failures it causes (and, for authentication and roles, what it
 * requires), for every route it guards. The middleware itself is unchanged.
 */
export function failsWith<M extends MiddlewareHandler>(
  middleware: M,
  errors: ApiErrorCode[],
  extra: { authenticated?: true; requiredRole?: string } = {},
): M {
  return Object.assign(middleware, {
    [uniqueSymbol]: {
      spec: {
        'x-errors': errors,
        ...(extra.authenticated && { 'x-authenticated': true }),
        ...(extra.requiredRole && { 'x-required-role': extra.requiredRole }),
      },
    },
  });
}
