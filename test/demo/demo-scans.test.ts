import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { demoScans } from '../../src/demo/demo-scans';
import { createOrganization } from '../support/accounts';
import { call, expectError, fetchAndSettle, ORIGIN } from '../support/http';

describe('demo scans', () => {
  it('are deterministic and spread over places, apps, lots, serials and bots', () => {
    const options = {
      orgId: 'o',
      gtins: ['09506000134352', '09506000134376'],
      count: 2000,
      days: 28,
      endMs: Date.UTC(2026, 10, 27),
    };
    const a = demoScans(options);
    expect(demoScans(options)).toEqual(a);
    expect(new Set(a.map((e) => e.country)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(a.map((e) => e.app)).size).toBeGreaterThanOrEqual(5);
    const bots = a.filter((e) => e.isBot).length;
    expect(bots).toBeGreaterThan(40);
    expect(bots).toBeLessThan(200);
    expect(
      a.every((e) => e.occurredAt >= options.endMs - 28 * 86_400_000 && e.occurredAt < options.endMs),
    ).toBe(true);
    expect(a.filter((e) => e.serial !== null).length).toBeGreaterThan(500);
  });

  it('are refused unless the demo routes are on (404, as if the route did not exist)', async () => {
    const org = await createOrganization();
    await expectError(
      await call('POST', '/v1/demo/scans', { key: org.ownerKey, body: {} }),
      404,
      'not_found',
    );
    expect(env.DEMO_ROUTES).toBe('0');
  });
});

describe('dev-only routes, switched on by their variables', () => {
  const fetchWith = (vars: Partial<Env>, path: string, init: RequestInit = {}) =>
    fetchAndSettle(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }), vars);

  it('POST /v1/demo/scans records generated scans through the ScanCounter objects (owner only)', async () => {
    const org = await createOrganization();
    await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: { gtin: '09506000134703', fields: { name: { value: 'Demo' } } },
    });
    const body = JSON.stringify({ count: 120, days: 7 });
    const headers = { authorization: `Bearer ${org.ownerKey}`, 'content-type': 'application/json' };
    const res = await fetchWith({ DEMO_ROUTES: '1' }, '/v1/demo/scans', { method: 'POST', body, headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ generated: 120, recorded: 120 });
    const live = await (await call('GET', '/v1/scans/live/01/09506000134703', { key: org.ownerKey })).json<{
      scans: number;
    }>();
    expect(live.scans).toBe(120);
    const { insertKey } = await import('../support/accounts');
    const editor = await insertKey(org.orgId, 'editor');
    const refused = await fetchWith({ DEMO_ROUTES: '1' }, '/v1/demo/scans', {
      method: 'POST',
      body,
      headers: { ...headers, authorization: `Bearer ${editor.key}` },
    });
    expect(refused.status).toBe(403);
  });
});
