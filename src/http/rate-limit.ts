// Exact rate limits on the RateLimiter objects (src/search/rate-limiter.ts: one token bucket per
// name), answered with the IETF headers (draft-ietf-httpapi-ratelimit-headers-09):
// `RateLimit-Policy: "key";q=600;w=60` and `RateLimit: "key";r=599;t=1` per policy, and
// `Retry-After` on a 429. Buckets live in memory, so a window is at most 60 s.
import type { Context } from 'hono';
import type { RateLimitDecision } from '../search/rate-limiter';
import { ApiError } from './api-error';
import type { AppEnv } from './app-env';

export interface RateLimitPolicy {
  /** The policy's name in the headers (`key`, `organization`, `location` …). */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** A whole number ≥ 1 from a var, else `fallback`: a typo never switches a limit off. */
export function limitFrom(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** Takes one request from each policy's bucket (`bucket` names it) at once. */
export async function takeAll(
  env: Pick<Env, 'RATE_LIMITER'>,
  checks: readonly { policy: RateLimitPolicy; bucket: string }[],
): Promise<RateLimitDecision[]> {
  return Promise.all(
    checks.map(({ policy, bucket }) =>
      env.RATE_LIMITER.getByName(`${policy.name}:${bucket}`).take(policy.limit, policy.windowSeconds * 1000),
    ),
  );
}

/** Sets the headers for these decisions; throws 429 when any refused. */
export function enforce(
  c: Context<AppEnv>,
  policies: readonly RateLimitPolicy[],
  decisions: readonly RateLimitDecision[],
): void {
  c.header(
    'RateLimit-Policy',
    policies.map((p) => `"${p.name}";q=${p.limit};w=${p.windowSeconds}`).join(', '),
  );
  c.header(
    'RateLimit',
    decisions.map((d, i) => `"${policies[i]!.name}";r=${d.remaining};t=${d.resetSeconds}`).join(', '),
  );
  const refused = decisions.findIndex((d) => !d.allowed);
  if (refused < 0) return;
  const retryAfter = Math.max(...decisions.map((d) => d.retryAfterSeconds));
  c.header('Retry-After', String(retryAfter));
  const policy = policies[refused]!;
  throw new ApiError(
    'rate_limited',
    `Too many requests for this ${policy.name}: at most ${policy.limit} per ${policy.windowSeconds} s; try again in ${retryAfter} s`,
    {
      policy: policy.name,
      limit: policy.limit,
      window_seconds: policy.windowSeconds,
      retry_after_seconds: retryAfter,
    },
  );
}
