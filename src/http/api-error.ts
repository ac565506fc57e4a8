// One way to fail: every handled error is an ApiError; src/http/on-error.ts turns it into the
// envelope {"error":{"code","message","details"}}. The code decides the HTTP status, so the same
// kind of failure always answers the same way.
const STATUS_BY_CODE = {
  bad_request: 400,
  invalid_json: 400,
  invalid_csv: 400,
  validation_failed: 400,
  invalid_digital_link: 400,
  unauthorized: 401,
  forbidden: 403,
  /** A cookie-signed-in write from another origin (src/accounts/access-sign-in.ts). */
  csrf: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof STATUS_BY_CODE;
export type ApiErrorStatus = (typeof STATUS_BY_CODE)[ApiErrorCode];

export const API_ERROR_CODES = Object.keys(STATUS_BY_CODE) as [ApiErrorCode, ...ApiErrorCode[]];

export const statusOfCode = (code: ApiErrorCode): ApiErrorStatus => STATUS_BY_CODE[code];

export class ApiError extends Error {
  readonly status: ApiErrorStatus;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS_BY_CODE[code];
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} not found`);
}
