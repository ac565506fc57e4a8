import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error';

/** Default cap on request bodies; bulk routes opt into a larger one. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Rejects bodies over `maxBytes` with 413 before the handler reads them (Content-Length or streamed). */
export const limitBody = (maxBytes: number = DEFAULT_BODY_LIMIT_BYTES) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', `Request body is larger than the ${maxBytes} byte limit of this route`, {
        max_bytes: maxBytes,
      });
    },
  });
