// Parts of a request that end up in our answers: the Host header (absolute URLs in Link headers,
// linkset anchors, the description file) and the query (copied into Location).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, expectError, fetchAndSettle } from '../support/http';

const GTIN_PATH = '/01/09506000134352';

beforeAll(async () => {
  await orgWithDemoLinks();
});

describe('the Host header', () => {
  it('with userinfo (a@evil) is refused, never turned into another host', async () => {
    for (const path of [GTIN_PATH, `${GTIN_PATH}?linkType=linkset`, '/.well-known/gs1resolver']) {
      const res = await fetchAndSettle(new Request(`http://a@evil.example${path}`, { redirect: 'manual' }));
      const error = await expectError(res, 400, 'bad_request');
      expect(error.message).toMatch(/Host/);
      expect(res.headers.get('link') ?? '').not.toContain('evil');
    }
  });

  it('is not used when PUBLIC_BASE_URL is set', async () => {
    const res = await fetchAndSettle(
      new Request(`https://other.example${GTIN_PATH}`, { redirect: 'manual' }),
      {
        PUBLIC_BASE_URL: 'https://id.brand.example',
      },
    );
    expect(res.status).toBe(307);
    expect(res.headers.get('link')).toContain('https://id.brand.example/01/09506000134352');
    expect(res.headers.get('link')).not.toContain('other.example');
  });
});

describe('the forwarded query', () => {
  it('over 2,048 characters is a 414, not copied into Location', async () => {
    const res = await call('GET', `${GTIN_PATH}?x=${'a'.repeat(60_000)}`);
    const error = await expectError(res, 414, 'uri_too_long');
    expect(error.message).toContain('2048');
    expect(res.headers.get('location')).toBeNull();
    const scans = await env.DB.prepare(
      'SELECT count(*) AS n FROM scan_events WHERE length(attributes) > 2048',
    ).first();
    expect(scans).toEqual({ n: 0 });
  });

  it('of ordinary length still resolves', async () => {
    const res = await call('GET', `${GTIN_PATH}?x=${'a'.repeat(1_000)}`);
    expect(res.status).toBe(307);
  });
});
