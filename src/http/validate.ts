// zod validation for every input, wired through Hono's validator so handlers get typed values
// with `c.req.valid('json' | 'query' | 'param')`. Failures become ApiErrors (one envelope). Each
// wrapper also carries its schema for the OpenAPI document (src/http/openapi/), so every route's
// parameters and body are documented from the schema that validates them.

import { validator } from 'hono/validator';
import { resolver, uniqueSymbol } from 'hono-openapi';
import type { z } from 'zod';
import { ApiError } from './api-error';
import { type CsvImport, readCsvBody } from './csv-import';
import { zodDetails } from './on-error';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const CSV_MEDIA_TYPE = /^text\/csv\s*(;|$)/i;
const CHARSET_PARAMETER = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

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

function assertUtf8(contentType: string) {
  const charset = CHARSET_PARAMETER.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError('unsupported_media_type', `CSV bodies must be UTF-8, not ${charset}`);
  }
}

/**
 * A bulk body as JSON, or as a CSV file standing for it (`csv` maps rows to the JSON items, which
 * `schema` then validates): handlers get the same value either way. Anything else is a 415.
 */
export const bulkBody = <S extends z.ZodType, Item>(
  schema: S,
  csv: CsvImport<Item, z.output<S>> & { description: string },
) => {
  const middleware = validator('json', async (value, c): Promise<z.output<S>> => {
    const contentType = c.req.header('content-type') ?? '';
    if (JSON_MEDIA_TYPE.test(contentType)) return check(schema, value, 'request body');
    if (!CSV_MEDIA_TYPE.test(contentType)) {
      throw new ApiError(
        'unsupported_media_type',
        'Send the request body as JSON (Content-Type: application/json) or CSV (text/csv; charset=utf-8)',
      );
    }
    assertUtf8(contentType);
    const { value: parsed, relocate } = await readCsvBody(c.req.raw.body, schema, csv);
    c.set('relocateError', relocate);
    return parsed;
  });
  // Both media types in the document: the JSON schema, and the CSV columns described in words.
  return Object.assign(middleware, {
    [uniqueSymbol]: {
      spec: {
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: resolver(schema) },
            'text/csv': { schema: { type: 'string', format: 'text/csv', description: csv.description } },
          },
        },
      },
    },
  });
};
