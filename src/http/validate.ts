// zod validation for every input, wired through Hono's validator so handlers get typed values
// with `c.req.valid('json' | 'query' | 'param')`. Failures become ApiErrors (one envelope). Each
// wrapper also carries its schema for the OpenAPI document (src/http/openapi/), so every route's
// parameters and body are documented from the schema that validates them.

import { validator } from 'hono/validator';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { z } from 'zod';
import { ApiError } from './api-error';
import { zodDetails } from './on-error';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError('validation_failed', `The ${what} is not valid`, zodDetails(parsed.error));
  }
  return parsed.data;
}

/** hono-openapi reads a validator's target and schema from this property when it walks the router. */
function describedBy<M extends object>(
  middleware: M,
  target: 'json' | 'query' | 'param',
  schema: z.ZodType,
): M {
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

/** A JSON request body. Hono parses it only for JSON media types, so anything else is a 415. */
export const jsonBody = <S extends z.ZodType>(schema: S) => {
  const middleware = validator('json', (value, c): z.output<S> => {
    if (!JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(
        'unsupported_media_type',
        'Send the request body as JSON with Content-Type: application/json',
      );
    }
    return check(schema, value, 'request body');
  });
  return describedBy(middleware, 'json', schema);
};

export const queryParams = <S extends z.ZodType>(schema: S) => {
  const middleware = validator('query', (value): z.output<S> => check(schema, value, 'query string'));
  return describedBy(middleware, 'query', schema);
};

export const pathParams = <S extends z.ZodType>(schema: S) => {
  const middleware = validator('param', (value): z.output<S> => check(schema, value, 'path'));
  return describedBy(middleware, 'param', schema);
};
