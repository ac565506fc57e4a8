// The resolver when its stores fail: a warm isolate keeps redirecting without D1, scans that
// cannot reach their ScanCounter never delay or break the redirect, and a cold lookup with D1
// down is a clear 503, never a 500.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call } from '../support/http';

const WARM = '09506000134666';
const COLD = '09506000134673';

function failing<T extends object>(target: T, what: string): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop);
      if (typeof value !== 'function') return value;
      return () => {
        throw new Error(`${what} is down (injected)`);
      };
    },
  });
}

const resolveWith = (path: string, overrides: Partial<Env>) => call('GET', path, { env: overrides });

beforeAll(async () => {
  const org = await createOrganization('Resilient Foods');
  for (const gtin of [WARM, COLD]) {
    await call('PUT', '/v1/links', {
      key: org.ownerKey,
      body: {
        anchor: `/01/${gtin}`,
        item_description: 'x',
        links: [{ link_type: 'gs1:pip', href: `https://resilient.example/${gtin}`, title: 'PIP' }],
      },
    });
  }
  // Warm this isolate's caches for WARM (links and rules).
  expect((await call('GET', `/01/${WARM}`)).status).toBe(307);
});

describe('degraded resolver', () => {
  it('keeps redirecting a warm key while D1 is down', async () => {
    const res = await resolveWith(`/01/${WARM}/10/ANY`, { DB: failing(env.DB, 'D1') });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`https://resilient.example/${WARM}`);
  });

  it('keeps its cache when RESOLVER_CACHE_TTL_SECONDS is unset (60 s), so a warm key needs no D1', async () => {
    const unset = { RESOLVER_CACHE_TTL_SECONDS: undefined as unknown as string };
    expect((await resolveWith(`/01/${WARM}`, unset)).status).toBe(307);
    const res = await resolveWith(`/01/${WARM}/10/UNSET`, { ...unset, DB: failing(env.DB, 'D1') });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`https://resilient.example/${WARM}`);
  });

  it('redirects although the scan counters are down (the scan is lost, and logged as lost)', async () => {
    const res = await resolveWith(`/01/${WARM}`, { SCAN_COUNTER: failing(env.SCAN_COUNTER, 'ScanCounter') });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`https://resilient.example/${WARM}`);
  });

  it('answers 503 with the envelope, not a 500, for a cold key while D1 is down', async () => {
    const res = await resolveWith(`/01/${COLD}`, { DB: failing(env.DB, 'D1') });
    expect(res.status).toBe(503);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('unavailable');
    expect(res.headers.get('retry-after')).toBeTruthy();
    // And once D1 is back, the same key resolves.
    expect((await resolveWith(`/01/${COLD}`, {})).status).toBe(307);
  });
});
