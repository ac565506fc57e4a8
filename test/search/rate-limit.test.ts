// Per-client rate limits on /search: RateLimit-* headers on every response, 429 with Retry-After
// and the error envelope once a client's bucket is empty; other clients are unaffected.
import { describe, expect, it } from 'vitest';
import { expectError } from '../support/http';
import { get, randomIp, searchPath } from '../support/search';

const path = searchPath({ q: 'gtin:09506000134352', lat: 45, lng: 7 });
const small = { SEARCH_RATE_LIMIT: '3', SEARCH_RATE_WINDOW_SECONDS: '60' };

describe('search rate limit', () => {
  it('sends RateLimit-Limit, -Remaining and -Reset, counting down per client', async () => {
    const ip = randomIp();
    const first = await get(path, { ip });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('60'); // wrangler.toml's default
    expect(first.headers.get('ratelimit-remaining')).toBe('59');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(first.headers.get('retry-after')).toBeNull();
    const second = await get(path, { ip });
    expect(second.headers.get('ratelimit-remaining')).toBe('58');
    // Bad requests count, and carry the headers too.
    const bad = await get(searchPath({ q: 'rice', lat: 91, lng: 0 }), { ip });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('ratelimit-remaining')).toBe('57');
  });

  it('answers 429 with Retry-After and the error envelope once the limit is reached', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) expect((await get(path, { ip, vars: small })).status).toBe(200);
    const limited = await get(path, { ip, vars: small });
    expect(limited.headers.get('ratelimit-limit')).toBe('3');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    // 3 per 60 s refill one every 20 s.
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(59);
    const error = await expectError(limited, 429, 'rate_limited');
    expect(error.details).toMatchObject({ limit: 3, window_seconds: 60, retry_after_seconds: retryAfter });
    // Clicks share the bucket.
    await expectError(await get('/search/click/x/1', { ip, vars: small }), 429, 'rate_limited');
    // Another client still passes.
    expect((await get(path, { ip: randomIp(), vars: small })).status).toBe(200);
  });

  it('treats an IPv6 /64 as one client', async () => {
    const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 0; i < 3; i++)
      expect((await get(path, { ip: `${net}::${i + 1}`, vars: small })).status).toBe(200);
    await expectError(
      await get(path, { ip: `${net}:ffff:ffff:ffff:ffff`, vars: small }),
      429,
      'rate_limited',
    );
    expect((await get(path, { ip: `${net.slice(0, -1)}2::1`, vars: small })).status).toBe(200);
  });

  it('lets CORS preflights through without spending the limit', async () => {
    const ip = randomIp();
    const preflight = await get(path, { ip, vars: small, method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    const res = await get(path, { ip, vars: small });
    expect(res.headers.get('ratelimit-remaining')).toBe('2');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
  });
});
