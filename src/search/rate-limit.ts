// Per-client rate limit of public search, with the IETF draft headers
// (draft-ietf-httpapi-ratelimit-headers-07): RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset
// (seconds until the quota is whole again) on every response, Retry-After on a 429. The decision
// is the client's own RateLimiter object (see rate-limiter.ts for why one object per client).
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { failsWith } from '../http/openapi/route-doc';
import { clientKey } from './client-key';

const DEFAULT_LIMIT = 60;
const DEFAULT_WINDOW_SECONDS = 60;
/** The limiter's buckets are memory-only; they are exact only while a window ≤ an object's idle lifetime. */
const MAX_WINDOW_SECONDS = 60;

export const RATE_LIMIT_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
];

let warned = false;

/** The limit from [vars]; a bad value falls back to the default (logged once) rather than failing every search. */
export function searchRateLimit(env: Pick<Env, 'SEARCH_RATE_LIMIT' | 'SEARCH_RATE_WINDOW_SECONDS'>): {
  limit: number;
  windowSeconds: number;
} {
  const limit = Number(env.SEARCH_RATE_LIMIT);
  const windowSeconds = Number(env.SEARCH_RATE_WINDOW_SECONDS);
  const limitOk = Number.isInteger(limit) && limit >= 1;
  const windowOk =
    Number.isInteger(windowSeconds) && windowSeconds >= 1 && windowSeconds <= MAX_WINDOW_SECONDS;
  if ((!limitOk || !windowOk) && !warned) {
    warned = true;
    console.error(
      `SEARCH_RATE_LIMIT must be a whole number ≥ 1 and SEARCH_RATE_WINDOW_SECONDS 1–${MAX_WINDOW_SECONDS}; using the defaults`,
    );
  }
  return {
    limit: limitOk ? limit : DEFAULT_LIMIT,
    windowSeconds: windowOk ? windowSeconds : DEFAULT_WINDOW_SECONDS,
  };
}

export const rateLimitSearch = createMiddleware<AppEnv>(async (c, next) => {
  const { limit, windowSeconds } = searchRateLimit(c.env);
  // Without CF-Connecting-IP (local tools, tests) every caller shares one bucket.
  const address = c.req.header('cf-connecting-ip') ?? 'unknown';
  const key = await clientKey(c.env.SCANNER_HASH_SECRET ?? '', Date.now(), address);
  const decision = await c.env.RATE_LIMITER.getByName(`search:${key}`).take(limit, windowSeconds * 1000);
  c.header('RateLimit-Limit', String(decision.limit));
  c.header('RateLimit-Remaining', String(decision.remaining));
  c.header('RateLimit-Reset', String(decision.resetSeconds));
  if (!decision.allowed) {
    c.header('Retry-After', String(decision.retryAfterSeconds));
    throw new ApiError(
      'rate_limited',
      `Too many requests from this client; try again in ${decision.retryAfterSeconds} s`,
      {
        limit,
        window_seconds: windowSeconds,
        retry_after_seconds: decision.retryAfterSeconds,
      },
    );
  }
  await next();
});
failsWith(rateLimitSearch, ['rate_limited']);
