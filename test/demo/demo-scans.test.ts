import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { demoScans } from '../../src/demo/demo-scans';
import { createOrganization } from '../support/accounts';
import { call, expectError, fetchAndSettle, ORIGIN } from '../support/http';
import { flush } from '../support/scans';

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

  it('follow a weekly rhythm with a campaign peak over four months, and scan the recalled lot', () => {
    const endMs = Date.UTC(2026, 10, 27);
    const CAPSULES = '09506000134376';
    const scans = demoScans({
      orgId: 'o',
      gtins: ['09506000134352', CAPSULES],
      count: 8000,
      days: 120,
      endMs,
      recalledLots: new Map([[CAPSULES, ['ABC123']]]),
    });
    const daysAgo = (e: { occurredAt: number }) => Math.floor((endMs - e.occurredAt) / 86_400_000);
    expect(scans.every((e) => daysAgo(e) >= 0 && daysAgo(e) < 120)).toBe(true);
    // Both halves of a 60-day overview have scans: its previous period is not empty.
    expect(scans.filter((e) => daysAgo(e) >= 60).length).toBeGreaterThan(1500);
    // Weekends (outside the campaign) outscan mid-week days.
    const outside = scans.filter((e) => daysAgo(e) >= 30);
    const perWeekday = (days: number[]) =>
      outside.filter((e) => days.includes(new Date(e.occurredAt).getUTCDay())).length / days.length;
    expect(perWeekday([0, 6])).toBeGreaterThan(1.4 * perWeekday([1, 2, 3]));
    // The campaign's eight days hold about twice the scans of the eight days before them.
    const campaign = scans.filter((e) => daysAgo(e) >= 12 && daysAgo(e) < 20).length;
    const before = scans.filter((e) => daysAgo(e) >= 20 && daysAgo(e) < 28).length;
    expect(campaign).toBeGreaterThan(2 * before);
    const recalled = scans.filter((e) => e.keyValue === CAPSULES && e.lot === 'ABC123');
    expect(recalled.length).toBeGreaterThan(100);
    expect(recalled.every((e) => !e.isBot)).toBe(true);
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
    const ruleRes = await call('POST', '/v1/rules', {
      key: org.ownerKey,
      body: {
        name: 'Everything to the shop',
        scope: 'ORGANIZATION',
        order_index: 0,
        destination: { type: 'url', url: 'https://shop.example/{gtin}' },
      },
    });
    expect(ruleRes.status).toBe(201);
    const rule = await ruleRes.json<{ id: string }>();
    const body = JSON.stringify({ count: 120, days: 7 });
    const headers = { authorization: `Bearer ${org.ownerKey}`, 'content-type': 'application/json' };
    const res = await fetchWith({ DEMO_ROUTES: '1' }, '/v1/demo/scans', { method: 'POST', body, headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ generated: 120, recorded: 120 });
    const live = await (await call('GET', '/v1/scans/live/01/09506000134703', { key: org.ownerKey })).json<{
      scans: number;
    }>();
    expect(live.scans).toBe(120);
    // Served by the organisation's rules as the resolver would: a rule without link types answers
    // every plain scan, and no request for recipes (gs1:recipeInfo).
    await flush('01', '09506000134703');
    const served = await env.DB.prepare(
      `SELECT link_type = 'gs1:recipeInfo' AS recipes, rule_id, count(*) AS n FROM scan_events
       WHERE org_id = ? GROUP BY 1, 2 ORDER BY 1`,
    )
      .bind(org.orgId)
      .all<{ recipes: number; rule_id: string | null; n: number }>();
    expect(served.results.map((r) => [r.recipes, r.rule_id])).toEqual([
      [0, rule.id],
      [1, null],
    ]);
    expect(served.results.reduce((a, r) => a + r.n, 0)).toBe(120);
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
