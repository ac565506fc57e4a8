import { describe, expect, it } from 'vitest';
import { takeToken } from './rate-limiter';

describe('takeToken', () => {
  it('allows `limit` requests at once, then refills steadily over the window', () => {
    const bucket = { tokens: 3, at: 0 };
    expect([1, 2, 3].map(() => takeToken(bucket, 3, 60_000, 0).remaining)).toEqual([2, 1, 0]);
    const denied = takeToken(bucket, 3, 60_000, 0);
    expect(denied).toEqual({
      allowed: false,
      limit: 3,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 20,
    });
    expect(takeToken(bucket, 3, 60_000, 19_000).allowed).toBe(false);
    expect(takeToken(bucket, 3, 60_000, 20_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(takeToken(bucket, 3, 60_000, 10 * 60_000)).toMatchObject({
      allowed: true,
      remaining: 2,
      resetSeconds: 20,
    });
  });

  it('never holds more than the limit, even when the limit is lowered', () => {
    const bucket = { tokens: 100, at: 0 };
    expect(takeToken(bucket, 5, 60_000, 1_000)).toMatchObject({ allowed: true, remaining: 4 });
  });
});
