import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error';
import { failsWith } from './openapi/route-doc';

/** Default cap on request bodies. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** Cap for bulk routes: by convention every bulk route's path ends in `/bulk`. */
export const BULK_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** Rejects bodies over `maxBytes` with 413 before the handler reads them (Content-Length or streamed). */
export const limitBody = (maxBytes: number = DEFAULT_BODY_LIMIT_BYTES) =>
  failsWith(
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError(
          'payload_too_large',
          `Request body is larger than the ${maxBytes} byte limit of this route`,
          {
            max_bytes: maxBytes,
          },
        );
      },
    }),
    ['payload_too_large'],
  );

const defaultLimit = limitBody(DEFAULT_BODY_LIMIT_BYTES);
const bulkLimit = limitBody(BULK_BODY_LIMIT_BYTES);

/** One limit per request, chosen by path: bulk routes get the larger one, everything else the default. */
export const limitBodyByRoute = failsWith(
  createMiddleware((c, next) => (c.req.path.endsWith('/bulk') ? bulkLimit(c, next) : defaultLimit(c, next))),
  ['payload_too_large'],
);
