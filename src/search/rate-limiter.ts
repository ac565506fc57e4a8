// One Durable Object per client (named by its hashed address, src/search/client-key.ts) holding a
// token bucket. Why an object and not the alternatives:
// - Cloudflare's Rate Limiting binding enforces well but tells the caller only "allowed or not",
//   so RateLimit-Remaining / -Reset would have to be invented.
// - A per-isolate counter is cheap but counts only what its isolate sees: a client spread over
//   isolates and colos gets several times the limit, and the headers disagree between requests.
// - One object per client is exact and its headers are true, for one RPC per request (about a
//   millisecond next to the object, which Cloudflare places near the client that first used it).
//   One object per client, not shards of many: a client flooding search slows only its own.
// The bucket lives in memory only: nothing about a client is ever written to storage. An idle
// object is evicted after a minute or more, by which time a bucket of a window ≤ 60 s has refilled
// anyway, so forgetting it loses nothing (wrangler.toml caps the window at 60 s for this reason).
import { DurableObject } from 'cloudflare:workers';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left now (whole tokens). */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until the next request may pass; 0 when this one passed (Retry-After on a 429). */
  retryAfterSeconds: number;
}

export interface TokenBucket {
  tokens: number;
  at: number;
}

/**
 * Takes one token from `bucket` (refilled at `limit` per `windowMs`, capped at `limit`) if there is
 * one. Pure, so the arithmetic is tested without an object; the bucket is updated in place.
 */
export function takeToken(
  bucket: TokenBucket,
  limit: number,
  windowMs: number,
  now: number,
): RateLimitDecision {
  const perMs = limit / windowMs;
  bucket.tokens = Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  bucket.at = now;
  const allowed = bucket.tokens >= 1;
  if (allowed) bucket.tokens -= 1;
  return {
    allowed,
    limit,
    remaining: Math.floor(bucket.tokens),
    resetSeconds: Math.ceil((limit - bucket.tokens) / perMs / 1000),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
  };
}

export class RateLimiter extends DurableObject<Env> {
  private bucket: TokenBucket | null = null;

  /** Limit and window come from the caller (the Worker's vars), so changing them needs no object state. */
  take(limit: number, windowMs: number): RateLimitDecision {
    const now = Date.now();
    this.bucket ??= { tokens: limit, at: now };
    return takeToken(this.bucket, limit, windowMs, now);
  }

  /** What `take` would answer, without taking (a gate that only counts failures asks first). */
  peek(limit: number, windowMs: number): RateLimitDecision {
    const now = Date.now();
    return takeToken({ ...(this.bucket ?? { tokens: limit, at: now }) }, limit, windowMs, now);
  }
}
