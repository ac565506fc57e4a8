// The cron-driven URL-health check and the dead-URL policies, through the Worker: its scheduled
// handler runs with outbound fetch mocked (the Worker shares the test isolate's globals), then
// scans show what the marks change.
import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { URL_DEAD_AFTER_FAILURES } from '../../src/rules/url-health';
import { call, ORIGIN } from '../support/http';
import { addProduct, orgWithBrand, postRule, type RuleBody, scanLocation, testGtin } from '../support/rules';

// This file's GTINs: testGtin(40_000 + n).
const gtin = (n: number) => testGtin(40_000 + n);
const DEFAULT = (g: string) => `https://gs1.example/${g}`;

let org: Awaited<ReturnType<typeof orgWithBrand>>;
/** Hosts that are down right now; every other host answers 200. */
const down = new Set<string>();
const requested: { method: string; url: string }[] = [];

beforeAll(async () => {
  org = await orgWithBrand('Health Foods');
});

function mockOutbound() {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requested.push({ method: init?.method ?? 'GET', url });
    if (down.has(new URL(url).host)) return new Response('unavailable', { status: 503 });
    return new Response(null, { status: 200 });
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  down.clear();
  requested.length = 0;
});

// The Worker's own entry, as the cron trigger calls it (the generated type of `exports.default`
// only declares fetch; the loopback binding also dispatches `scheduled`, and resolves when it is done).
const worker = exports.default as unknown as {
  scheduled(options: { cron: string; scheduledTime: Date }): Promise<unknown>;
};

async function cron(times = 1) {
  for (let i = 0; i < times; i++) {
    await worker.scheduled({ cron: '*/15 * * * *', scheduledTime: new Date() });
  }
}

async function health(url: string) {
  return env.DB.prepare('SELECT consecutive_failures, dead, last_status FROM url_health WHERE url = ?')
    .bind(url)
    .first<{ consecutive_failures: number; dead: number; last_status: number }>();
}

describe('URL health', () => {
  it('checks rule destinations (HEAD, then GET), counts failures and marks dead after the threshold', async () => {
    mockOutbound();
    const g = gtin(1);
    await addProduct(org.ownerKey, { gtin: g, defaultLink: DEFAULT(g) });
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      destination: { type: 'url', url: 'https://flaky.example/p/{gtin}?lot={lot}' },
    });
    const checked = `https://flaky.example/p/${g}?lot=`;
    down.add('flaky.example');

    await cron(URL_DEAD_AFTER_FAILURES - 1);
    expect(await health(checked)).toEqual({ consecutive_failures: 2, dead: 0, last_status: 503 });
    expect(requested.filter((r) => r.url === checked).map((r) => r.method)).toEqual([
      'HEAD',
      'GET',
      'HEAD',
      'GET',
    ]);
    await cron();
    expect(await health(checked)).toEqual({ consecutive_failures: 3, dead: 1, last_status: 503 });

    const [rule] = (
      await (await call('GET', `/v1/rules?gtin=${g}`, { key: org.ownerKey })).json<{ data: RuleBody[] }>()
    ).data;
    expect(rule!.destination.health).toMatchObject({
      dead: true,
      consecutive_failures: 3,
      checked_url: checked,
    });

    down.clear();
    await cron();
    expect(await health(checked)).toEqual({ consecutive_failures: 0, dead: 0, last_status: 200 });
  });

  it('skip_rule: a dead URL hands the scan to the next rule, and the rule answers again once it is back', async () => {
    mockOutbound();
    const g = gtin(2);
    await addProduct(org.ownerKey, { gtin: g, defaultLink: DEFAULT(g) });
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      order_index: 0,
      destination: { type: 'url', url: 'https://campaign.example/' },
      dead_url_policy: 'skip_rule',
    });
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      order_index: 1,
      conditions: { countries: ['SE'] },
      destination: { type: 'url', url: 'https://sweden.example/' },
    });
    expect(await scanLocation(`/01/${g}`)).toBe('https://campaign.example/');

    down.add('campaign.example');
    await cron(URL_DEAD_AFTER_FAILURES);
    expect(await scanLocation(`/01/${g}`, { cf: { country: 'SE' } })).toBe('https://sweden.example/');
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g)); // no other rule: the GS1 default link

    down.clear();
    await cron();
    expect(await scanLocation(`/01/${g}`)).toBe('https://campaign.example/');
  });

  it('hosted_page: a dead URL sends the scan to the hosted product page instead', async () => {
    mockOutbound();
    const g = gtin(3);
    await addProduct(org.ownerKey, { gtin: g, defaultLink: DEFAULT(g) });
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      destination: { type: 'url', url: 'https://gone.example/{gtin}' },
      dead_url_policy: 'hosted_page',
    });
    down.add('gone.example');
    await cron(URL_DEAD_AFTER_FAILURES);
    expect(await scanLocation(`/01/${g}/10/L5`)).toBe(`${ORIGIN}/p/01/${g}/10/L5`);
  });

  it('does not check hosted-page or disabled rules, and forgets marks no rule uses', async () => {
    mockOutbound();
    const g = gtin(4);
    await addProduct(org.ownerKey, { gtin: g });
    await postRule(org.ownerKey, { scope: 'PRODUCT', gtin: g, destination: { type: 'hosted_page' } });
    const disabled = await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      enabled: false,
      destination: { type: 'url', url: 'https://off.example/' },
    });
    await env.DB.prepare(
      "INSERT INTO url_health (url, consecutive_failures, dead, last_checked_at) VALUES ('https://orphan.example/', 5, 1, 0)",
    ).run();
    await cron();
    expect(requested.filter((r) => r.url.includes('off.example'))).toEqual([]);
    expect(await health('https://orphan.example/')).toBeNull();
    expect(disabled.destination.health).toMatchObject({ dead: false });
  });
});
