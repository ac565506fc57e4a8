import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod';
import { API_ERROR_CODES, ApiError, type ApiErrorCode } from './api-error';

/** The one error body every route answers with; the OpenAPI document's `Error` component. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).meta({ description: 'Stable and machine-readable; decides the status' }),
      message: z.string().meta({ description: 'For people: what is wrong and how to fix it' }),
      details: z.unknown().optional().meta({
        description: 'For validation failures, the fields at fault as [{path, message}]',
      }),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorEnvelope = z.output<typeof errorEnvelopeSchema>;

export function errorResponse(c: Context, err: ApiError): Response {
  const body: ErrorEnvelope = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  return c.json(body, err.status);
}

/** Zod issues as `{path, message}` pairs: enough to find and fix the field, nothing internal. */
export function zodDetails(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** The app's single onError: known errors keep their status, anything else is a bare 500. */
export function onError(err: Error, c: Context): Response {
  // A CSV body's errors name lines and columns, also those the handler finds (a brand not found).
  if (err instanceof ApiError) return errorResponse(c, c.get('relocateError')?.(err) ?? err);
  if (err instanceof z.ZodError) {
    return errorResponse(c, new ApiError('validation_failed', 'The request is not valid', zodDetails(err)));
  }
  if (err instanceof HTTPException) {
    // Hono's own middleware (validator, body limit) throws these; keep the status, use our envelope.
    const code = err.message.startsWith('Malformed JSON') ? 'invalid_json' : codeForStatus(err.status);
    return errorResponse(c, new ApiError(code, err.message || code.replace(/_/g, ' ')));
  }
  // Unknown failures: log for the operator, never leak a stack or message to the client.
  console.error('unhandled error', c.req.method, new URL(c.req.url).pathname, err);
  return errorResponse(
    c,
    new ApiError('internal', 'Something went wrong on our side; the request was not completed'),
  );
}

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}
