// The resolver's per-client first filter, through the Worker: people get the client limit, bots
// the bot allowance, each address apart; a 429 keeps the resolver's CORS and says when to retry.
import { beforeAll, describe, expect, it } from 'vitest';
import { orgWithDemoLinks } from '../support/demo-links';
import { expectError, fetchAndSettle, ORIGIN } from '../support/http';

const vars = { SCAN_RATE_LIMIT: '4', SCAN_BOT_RATE_LIMIT: '2' };
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const scan = (ip: string | null, ua: string) =>
  fetchAndSettle(
    new Request(`${ORIGIN}/01/09506000134352`, {
      redirect: 'manual',
      headers: { 'user-agent': ua, ...(ip ? { 'cf-connecting-ip': ip } : {}) },
    }),
    vars,
  );

beforeAll(async () => {
  await orgWithDemoLinks();
});

describe('scan throttle', () => {
  it('a person scans up to the client limit, then waits with Retry-After', async () => {
    for (let i = 0; i < 4; i++) expect((await scan('203.0.113.10', PHONE)).status).toBe(307);
    const refused = await scan('203.0.113.10', PHONE);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('ratelimit-policy')).toBe('"client";q=4;w=60, "bot";q=2;w=60');
    await expectError(refused, 429, 'rate_limited');
    expect((await scan('203.0.113.11', PHONE)).status).toBe(307);
  });

  it('a bot is held to the bot allowance', async () => {
    for (let i = 0; i < 2; i++) expect((await scan('198.51.100.10', CRAWLER)).status).toBe(307);
    await expectError(await scan('198.51.100.10', CRAWLER), 429, 'rate_limited');
  });

  it('a request naming no client (local tools) is not limited', async () => {
    for (let i = 0; i < 6; i++) expect((await scan(null, CRAWLER)).status).toBe(307);
  });
});
