// POST /v1/resolver/preview through the Worker: what a scan would get, with the trace of the
// brand rules, and nothing recorded.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compressDigitalLinkUri } from '../../src/digital-link';
import { invalidateScanRules } from '../../src/rules/scan-rules';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError, ORIGIN } from '../support/http';
import { addDefaultLink, addProduct, orgWithBrand, postRule, testGtin } from '../support/rules';
import { count, counter, flush } from '../support/scans';

vi.setConfig({ testTimeout: 60_000 });

// This file's GTINs: testGtin(60_000 + n).
const gtin = (n: number) => testGtin(60_000 + n);
const DEFAULT = (g: string) => `https://gs1.example/${g}`;

interface TraceStep {
  rule_id: string;
  name: string;
  outcome: string;
  reason: string;
}
interface Preview {
  status: number;
  location: string | null;
  destination: string | null;
  message: string | null;
  digital_link: string;
  rule: { id: string; name: string } | null;
  link: Record<string, unknown> | null;
  linkset: Record<string, unknown>[] | null;
  trace: TraceStep[];
  scan: Record<string, unknown>;
}

let org: TestOrg & { brandId: string };

beforeAll(async () => {
  org = await orgWithBrand('Preview Foods');
});

afterEach(() => {
  vi.useRealTimers();
});

async function preview(body: Record<string, unknown>, key = org.ownerKey): Promise<Preview> {
  const res = await call('POST', '/v1/resolver/preview', { key, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`preview: ${res.status} ${text}`);
  return JSON.parse(text) as Preview;
}

async function productWithRules(
  n: number,
  rules: Record<string, unknown>[],
): Promise<{ g: string; ids: string[] }> {
  const g = gtin(n);
  await addProduct(org.ownerKey, { gtin: g, brandId: org.brandId, defaultLink: DEFAULT(g) });
  const ids: string[] = [];
  for (const [i, rule] of rules.entries())
    ids.push((await postRule(org.ownerKey, { name: `rule ${i}`, scope: 'PRODUCT', gtin: g, ...rule })).id);
  return { g, ids };
}

const to = (url: string) => ({ destination: { type: 'url', url } });

describe('POST /v1/resolver/preview', () => {
  it('countries: the rule answers a scan from Canada, not one from Japan, and says why', async () => {
    const { g, ids } = await productWithRules(1, [
      { conditions: { countries: ['CA'] }, ...to('https://brand.example/ca') },
    ]);
    const ca = await preview({ digital_link: `https://id.example.com/01/${g}`, country: 'CA' });
    expect(ca).toMatchObject({
      status: 307,
      location: 'https://brand.example/ca',
      destination: 'rule_url',
      rule: { id: ids[0], name: 'rule 0' },
      link: null,
      trace: [{ rule_id: ids[0], name: 'rule 0', outcome: 'matched', reason: 'matched' }],
    });
    const jp = await preview({ digital_link: `/01/${g}`, country: 'jp' });
    expect(jp).toMatchObject({
      status: 307,
      location: DEFAULT(g),
      destination: 'gs1_link',
      rule: null,
      link: { link_type: 'gs1:pip', href: DEFAULT(g), anchor: `/01/${g}`, default: true },
      trace: [{ rule_id: ids[0], outcome: 'skipped', reason: 'countries: CA, scan from JP' }],
    });
  });

  it('records nothing: no scan event, no roll-up, no ScanCounter total, no audit entry', async () => {
    const { g } = await productWithRules(2, []);
    await preview({ digital_link: `/01/${g}`, country: 'FR' });
    await flush('01', g);
    expect((await counter('01', g).totals()).scans).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', g)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_rollup_hourly WHERE key_value = ?', g)).toBe(0);
    expect(
      await count(
        "SELECT count(*) AS n FROM audit_log WHERE org_id = ? AND route LIKE '%preview%'",
        org.orgId,
      ),
    ).toBe(0);
  });

  it('a blocked serial previews as the warning page, whatever the rules say', async () => {
    const { g } = await productWithRules(90, [{ conditions: {}, ...to('https://brand.example/any') }]);
    const blocked = await call('POST', '/v1/blocked-codes', {
      key: org.ownerKey,
      body: { digital_link: `https://id.example.com/01/${g}/21/FAKE1`, reason: 'counterfeit batch' },
    });
    expect(blocked.status).toBe(201);
    const { id } = await blocked.json<{ id: string }>();
    const hit = await preview({ digital_link: `https://id.example.com/01/${g}/21/FAKE1` });
    expect(hit).toMatchObject({ status: 307, rule: null, link: null, trace: [] });
    expect(hit.location).toMatch(new RegExp(`/p/blocked/${id}$`));
    const other = await preview({ digital_link: `https://id.example.com/01/${g}/21/REAL1` });
    expect(other).toMatchObject({ status: 307, location: 'https://brand.example/any' });
  });

  it('an unknown GTIN is a 404 in the body, not of the preview', async () => {
    const body = await preview({ digital_link: `/01/${gtin(99)}` });
    expect(body).toMatchObject({ status: 404, location: null, rule: null, link: null, trace: [] });
  });

  it('a bad Digital Link is a 400', async () => {
    const res = await call('POST', '/v1/resolver/preview', {
      key: org.ownerKey,
      body: { digital_link: '/01/123' },
    });
    await expectError(res, 400, 'invalid_digital_link');
  });

  it('a bad Digital Link, and every other bad input, is a 400 naming the field', async () => {
    const g = gtin(3);
    const bad: [Record<string, unknown>, string][] = [
      [{ digital_link: 'not a uri' }, 'digital_link'],
      [{ digital_link: 'ftp://x.example/01/09506000134352' }, 'digital_link'],
      [{ digital_link: '//x.example/01/09506000134352' }, 'digital_link'],
      [{ digital_link: `/01/${g}?x=${'a'.repeat(2100)}` }, 'digital_link'],
      [{ digital_link: `/01/${g}`, country: 'XX' }, 'country'],
      [{ digital_link: `/01/${g}`, country: 'Japan' }, 'country'],
      [{ digital_link: `/01/${g}`, at: '2026-03-04' }, 'at'],
      [{ digital_link: `/01/${g}`, at: '2026-03-04T10:00:00' }, 'at'],
      [{ digital_link: `/01/${g}`, at: 'yesterday' }, 'at'],
      [{ digital_link: `/01/${g}`, languages: ['fr_CA'] }, 'languages.0'],
      [{ digital_link: `/01/${g}`, languages: ['*'] }, 'languages.0'],
      [{ digital_link: `/01/${g}`, languages: 'fr-CA' }, 'languages'],
      [{ digital_link: `/01/${g}`, languages: Array(11).fill('fr') }, 'languages'],
      [{ digital_link: `/01/${g}`, device_class: 'phone' }, 'device_class'],
      [{ digital_link: `/01/${g}`, region: 'r'.repeat(101) }, 'region'],
      [{ digital_link: `/01/${g}`, city: 'c'.repeat(101) }, 'city'],
      [{ digital_link: `/01/${g}`, city: '' }, 'city'],
      [{ digital_link: `/01/${g}`, link_type: 'gs1 pip' }, 'link_type'],
      [{ digital_link: `/01/${g}`, link_type: 'l'.repeat(201) }, 'link_type'],
      [{ digital_link: `/01/${g}`, unknown: 1 }, '(root)'],
      [{}, 'digital_link'],
    ];
    for (const [body, field] of bad) {
      const res = await call('POST', '/v1/resolver/preview', { key: org.ownerKey, body });
      const error = await expectError(res, 400, 'validation_failed');
      const paths = (error.details as { path: string }[]).map((d) => d.path);
      expect(
        paths.some((p) => p === field || (field === '' && p === '')),
        JSON.stringify(body).slice(0, 80),
      ).toBe(true);
    }
    await expectError(
      await call('POST', '/v1/resolver/preview', { key: org.ownerKey, body: { digital_link: '/01/123' } }),
      400,
      'invalid_digital_link',
    );
  });

  it('any key may ask (readonly too); without one it is a 401', async () => {
    const { g } = await productWithRules(4, []);
    const reader = await insertKey(org.orgId, 'readonly');
    expect((await preview({ digital_link: `/01/${g}` }, reader.key)).location).toBe(DEFAULT(g));
    await expectError(
      await call('POST', '/v1/resolver/preview', { body: { digital_link: `/01/${g}` } }),
      401,
      'unauthorized',
    );
  });

  it("another organisation's GTIN answers as an unknown one: none of its links or rules", async () => {
    const other = await orgWithBrand('Preview Rival');
    const g = gtin(5);
    await addProduct(other.ownerKey, { gtin: g, defaultLink: DEFAULT(g) });
    await postRule(other.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      name: 'secret rule',
      ...to('https://rival.example/'),
    });
    const mine = await preview({ digital_link: `/01/${g}` });
    expect(mine).toMatchObject({ status: 404, location: null, rule: null, link: null, trace: [] });
    expect(JSON.stringify(mine)).not.toContain('rival.example');
    expect((await preview({ digital_link: `/01/${g}` }, other.ownerKey)).location).toBe(
      'https://rival.example/',
    );
  });
});

describe('the linkset a scan would get', () => {
  it('is the body the resolver serves for ?linkType=linkset, walk-up levels included', async () => {
    const { g } = await productWithRules(6, [{ conditions: {}, ...to('https://brand.example/any') }]);
    await addDefaultLink(org.ownerKey, g, `https://gs1.example/${g}/lot`, '/10/L6');
    const previewed = await preview({ digital_link: `/01/${g}/10/L6`, link_type: 'linkset' });
    expect(previewed).toMatchObject({ status: 200, location: null, rule: null, link: null });
    const served = await call('GET', `/01/${g}/10/L6?linkType=linkset`);
    expect(served.status).toBe(200);
    const body = await served.json<{ linkset: Record<string, unknown>[] }>();
    expect(previewed.linkset).toEqual(body.linkset);
    expect(previewed.linkset!.map((level) => level.anchor)).toEqual([
      `${ORIGIN}/01/${g}/10/L6`,
      `${ORIGIN}/01/${g}`,
    ]);
    expect(previewed.linkset![1]!['https://gs1.org/voc/pip']).toEqual([
      expect.objectContaining({ href: DEFAULT(g) }),
    ]);
  });

  it('is null for a redirect, and for another organisation asking', async () => {
    const { g } = await productWithRules(7, []);
    expect((await preview({ digital_link: `/01/${g}` })).linkset).toBeNull();
    const rival = await orgWithBrand('Linkset Rival');
    const theirs = await preview({ digital_link: `/01/${g}`, link_type: 'linkset' }, rival.ownerKey);
    expect(theirs).toMatchObject({ status: 404, linkset: null });
    expect(JSON.stringify(theirs)).not.toContain('gs1.example');
  });
});

describe('every condition kind, with its reason', () => {
  it('time windows (start and end, annual) and days of week', async () => {
    const { g, ids } = await productWithRules(10, [
      {
        conditions: { starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-02-01T00:00:00Z' },
        ...to('https://brand.example/january'),
      },
      {
        conditions: { annual_window: { start: '12-20', end: '01-06' } },
        ...to('https://brand.example/holidays'),
      },
      {
        conditions: { days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri'] },
        ...to('https://brand.example/weekdays'),
      },
    ]);
    const sunday = await preview({ digital_link: `/01/${g}`, at: '2026-03-08T10:00:00Z' });
    expect(sunday.location).toBe(DEFAULT(g));
    expect(sunday.trace).toEqual([
      {
        rule_id: ids[0],
        name: 'rule 0',
        outcome: 'skipped',
        reason: 'time window: 2026-01-01..2026-02-01, scan at 2026-03-08T10:00Z',
      },
      {
        rule_id: ids[1],
        name: 'rule 1',
        outcome: 'skipped',
        reason: 'annual window: 12-20..01-06, scan on 03-08',
      },
      { rule_id: ids[2], name: 'rule 2', outcome: 'skipped', reason: 'days: Mon–Fri, scan on Sunday' },
    ]);
    const january = await preview({ digital_link: `/01/${g}`, at: '2026-01-15T12:00:00+01:00' });
    expect(january).toMatchObject({ location: 'https://brand.example/january', rule: { id: ids[0] } });
    expect(january.trace.map((t) => t.outcome)).toEqual(['matched', 'not_reached', 'not_reached']);
    expect(january.scan.at).toBe('2026-01-15T11:00:00.000Z');
    expect((await preview({ digital_link: `/01/${g}`, at: '2026-12-24T12:00:00Z' })).location).toBe(
      'https://brand.example/holidays',
    );
    expect((await preview({ digital_link: `/01/${g}`, at: '2026-03-09T10:00:00Z' })).location).toBe(
      'https://brand.example/weekdays',
    );
  });

  it('time of day in a time zone', async () => {
    const { g } = await productWithRules(11, [
      {
        conditions: { time_of_day: { start: '09:00', end: '12:00' }, timezone: 'America/New_York' },
        ...to('https://brand.example/brunch'),
      },
    ]);
    const early = await preview({ digital_link: `/01/${g}`, at: '2026-03-07T13:30:00Z' });
    expect(early.trace[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'time of day: 09:00–12:00 (America/New_York), scan at 08:30',
    });
    expect((await preview({ digital_link: `/01/${g}`, at: '2026-03-07T14:30:00Z' })).location).toBe(
      'https://brand.example/brunch',
    );
  });

  it('regions and cities', async () => {
    const { g } = await productWithRules(12, [
      { conditions: { cities: ['Montréal'] }, ...to('https://brand.example/montreal') },
      { conditions: { regions: ['QC'] }, ...to('https://brand.example/quebec') },
    ]);
    const toronto = await preview({ digital_link: `/01/${g}`, country: 'CA', region: 'ON', city: 'Toronto' });
    expect(toronto.trace.map((t) => t.reason)).toEqual([
      'cities: Montréal, scan from Toronto',
      'regions: QC, scan from ON',
    ]);
    expect((await preview({ digital_link: `/01/${g}`, city: 'MONTREAL' })).location).toBe(
      'https://brand.example/montreal',
    );
    expect((await preview({ digital_link: `/01/${g}`, region: 'qc', city: 'Laval' })).location).toBe(
      'https://brand.example/quebec',
    );
    expect((await preview({ digital_link: `/01/${g}` })).trace[1]!.reason).toBe(
      'regions: QC, scan from an unknown region',
    );
  });

  it('languages, most preferred first', async () => {
    const { g } = await productWithRules(13, [
      { conditions: { languages: ['fr'] }, ...to('https://brand.example/fr') },
    ]);
    expect((await preview({ digital_link: `/01/${g}`, languages: ['fr-CA', 'en'] })).location).toBe(
      'https://brand.example/fr',
    );
    const english = await preview({ digital_link: `/01/${g}`, languages: ['en-GB', 'fr'] });
    expect(english).toMatchObject({ location: DEFAULT(g), scan: { accept_language: 'en-GB, fr;q=0.9' } });
    expect(english.trace[0]!.reason).toBe('languages: fr, scan prefers en-GB');
    expect((await preview({ digital_link: `/01/${g}` })).trace[0]!.reason).toBe(
      'languages: fr, scan states no language',
    );
  });

  it('link types, given as link_type or on the link', async () => {
    const { g } = await productWithRules(14, [
      { conditions: { link_types: ['gs1:recipeInfo'] }, ...to('https://brand.example/recipes') },
    ]);
    const plain = await preview({ digital_link: `/01/${g}` });
    expect(plain.trace[0]!.reason).toBe(
      'link types: gs1:recipeInfo, scan asks for no link type (a plain scan)',
    );
    const asked = await preview({ digital_link: `/01/${g}?linkType=gs1:pip`, link_type: 'gs1:recipeInfo' });
    expect(asked).toMatchObject({ status: 307, location: 'https://brand.example/recipes' });
    expect(asked.digital_link).toBe(`/01/${g}?linkType=gs1:recipeInfo`);
    const pip = await preview({ digital_link: `/01/${g}`, link_type: 'gs1:pip' });
    expect(pip).toMatchObject({ location: DEFAULT(g), link: { link_type: 'gs1:pip' } });
    expect(pip.trace[0]!.reason).toBe('link types: gs1:recipeInfo, scan asks for gs1:pip');
    const none = await preview({ digital_link: `/01/${g}`, link_type: 'gs1:certificationInfo' });
    expect(none).toMatchObject({
      status: 404,
      location: null,
      message: expect.stringContaining('no link of type'),
    });
    expect((await preview({ digital_link: `/01/${g}`, link_type: 'linkset' })).status).toBe(200);
  });

  it('product statuses: a recalled lot', async () => {
    const g = gtin(15);
    await addProduct(org.ownerKey, {
      gtin: g,
      defaultLink: DEFAULT(g),
      recalledLots: [{ lot: 'BAD1', reason: 'glass' }],
    });
    const rule = await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin: g,
      name: 'recall notice',
      conditions: { product_statuses: ['recalled'] },
      ...to('https://brand.example/recall'),
    });
    expect((await preview({ digital_link: `/01/${g}/10/BAD1` })).rule).toEqual({
      id: rule.id,
      name: 'recall notice',
    });
    expect((await preview({ digital_link: `/01/${g}/10/OK1` })).trace[0]!.reason).toBe(
      'product statuses: recalled, product is active',
    );
  });

  it('device classes', async () => {
    const { g } = await productWithRules(16, [
      { conditions: { device_classes: ['mobile', 'tablet'] }, ...to('https://brand.example/app') },
    ]);
    expect((await preview({ digital_link: `/01/${g}`, device_class: 'tablet' })).location).toBe(
      'https://brand.example/app',
    );
    const desktop = await preview({ digital_link: `/01/${g}`, device_class: 'desktop' });
    expect(desktop.trace[0]!.reason).toBe('device classes: mobile, tablet, scan from desktop');
    // No device class: as a request without a User-Agent.
    const unstated = await preview({ digital_link: `/01/${g}` });
    expect(unstated.scan.device_class).toBe('other');
    expect(unstated.trace[0]!.reason).toBe('device classes: mobile, tablet, scan from other');
  });

  it('expired: a code whose expiry date (AI 17) has passed at the time of the scan', async () => {
    const { g } = await productWithRules(40, [
      { conditions: { expired: true }, ...to('https://brand.example/expired') },
    ]);
    const at = '2026-12-01T12:00:00Z';
    const past = await preview({ digital_link: `/01/${g}/10/L1?17=261031`, at });
    // The rule's target gets the scan's query string, as GS1 resolvers pass it on.
    expect(past).toMatchObject({ status: 307, location: 'https://brand.example/expired?17=261031' });
    expect(past.trace[0]).toMatchObject({ outcome: 'matched' });
    const within = await preview({ digital_link: `/01/${g}/10/L1?17=270131`, at });
    expect(within.location).toBe(`${DEFAULT(g)}?17=270131`);
    expect(within.trace[0]!.reason).toBe(
      'expired: only products past their date, and this scan carries no past date',
    );
    // The same code later on, once its date has gone by.
    expect(
      (await preview({ digital_link: `/01/${g}/10/L1?17=270131`, at: '2027-02-01T00:00:00Z' })).location,
    ).toBe('https://brand.example/expired?17=270131');
    const undated = await preview({ digital_link: `/01/${g}`, at });
    expect(undated.location).toBe(DEFAULT(g));
  });
});

describe('rules that cannot answer, walk-up, hosted page, compressed links', () => {
  async function markDead(url: string): Promise<void> {
    await env.DB.prepare(
      'INSERT INTO url_health (url, consecutive_failures, dead, last_checked_at) VALUES (?, 3, 1, 0)',
    )
      .bind(url)
      .run();
    invalidateScanRules();
  }

  it('a disabled rule is listed as disabled and never answers', async () => {
    const { g, ids } = await productWithRules(20, [{ enabled: false, ...to('https://brand.example/off') }]);
    const body = await preview({ digital_link: `/01/${g}` });
    expect(body).toMatchObject({
      location: DEFAULT(g),
      rule: null,
      trace: [{ rule_id: ids[0], name: 'rule 0', outcome: 'disabled', reason: 'disabled' }],
    });
  });

  it('a dead URL: skipped under skip_rule, the hosted page under hosted_page', async () => {
    const { g, ids } = await productWithRules(21, [
      { dead_url_policy: 'skip_rule', ...to('https://dead.example/skip') },
      { dead_url_policy: 'hosted_page', ...to('https://dead.example/page') },
    ]);
    await markDead('https://dead.example/skip');
    const first = await preview({ digital_link: `/01/${g}` });
    expect(first.trace[0]).toEqual({
      rule_id: ids[0],
      name: 'rule 0',
      outcome: 'dead_url',
      reason: 'destination dead (dead-URL policy: skip)',
    });
    expect(first.location).toBe('https://dead.example/page');
    await markDead('https://dead.example/page');
    const second = await preview({ digital_link: `/01/${g}` });
    expect(second).toMatchObject({
      location: `${ORIGIN}/p/01/${g}`,
      destination: 'hosted_page',
      rule: { id: ids[1] },
    });
    expect(second.trace[1]).toMatchObject({
      outcome: 'matched',
      reason: 'matched (destination dead; dead-URL policy: hosted page)',
    });
  });

  it('a serial with no link of its own walks up to the GTIN; a SERIAL rule answers first', async () => {
    const { g } = await productWithRules(22, []);
    const walk = await preview({ digital_link: `/01/${g}/21/SN42` });
    expect(walk).toMatchObject({ status: 307, location: DEFAULT(g), link: { anchor: `/01/${g}` } });
    const serial = await postRule(org.ownerKey, {
      scope: 'SERIAL',
      gtin: g,
      serial: 'SN42',
      name: 'this one',
      destination: { type: 'hosted_page' },
    });
    const ruled = await preview({ digital_link: `/01/${g}/21/SN42` });
    expect(ruled).toMatchObject({
      location: `${ORIGIN}/p/01/${g}`,
      destination: 'hosted_page',
      rule: { id: serial.id, name: 'this one' },
      trace: [{ outcome: 'matched', reason: 'matched (hosted page)' }],
    });
    // Another serial's rule is not about this scan: left out of the trace.
    expect((await preview({ digital_link: `/01/${g}/21/SN43` })).trace).toEqual([]);
  });

  it('a hosted-page rule for a product with links only (not in the catalog) cannot answer', async () => {
    const own = await createOrganization('Preview Links Only');
    const g = gtin(23);
    await addDefaultLink(own.ownerKey, g, DEFAULT(g));
    await postRule(own.ownerKey, { scope: 'PRODUCT', gtin: g, destination: { type: 'hosted_page' } });
    const body = await preview({ digital_link: `/01/${g}` }, own.ownerKey);
    expect(body).toMatchObject({ location: DEFAULT(g), trace: [{ outcome: 'no_hosted_page' }] });
  });

  it('a compressed Digital Link answers as its uncompressed form', async () => {
    const { g } = await productWithRules(24, [
      { conditions: { countries: ['DE'] }, ...to('https://brand.example/de') },
    ]);
    const out = compressDigitalLinkUri(
      `https://id.example.com/01/${g}/10/LOT7`,
      {},
      { permitZeroSuppressedGTIN: true },
    );
    if (!out.ok) throw new Error(out.error.message);
    const uri = out.uri;
    expect(uri).not.toContain('/01/');
    const body = await preview({ digital_link: uri, country: 'DE' });
    expect(body).toMatchObject({
      status: 307,
      location: 'https://brand.example/de',
      digital_link: `/01/${g}/10/LOT7`,
    });
  });
});

describe('preview and a real scan agree', () => {
  const UA: Record<string, string | undefined> = {
    mobile:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    desktop:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    bot: 'Googlebot/2.1 (+http://www.google.com/bot.html)',
    other: undefined,
  };

  it('on the same link with the same facts: the same status and Location', async () => {
    const { g } = await productWithRules(30, [
      { conditions: { countries: ['CA'], languages: ['fr'] }, ...to('https://brand.example/fr-ca') },
      {
        conditions: { device_classes: ['mobile'], days_of_week: ['sat', 'sun'] },
        ...to('https://brand.example/weekend'),
      },
      {
        conditions: { time_of_day: { start: '22:00', end: '06:00' }, timezone: 'Asia/Tokyo' },
        ...to('https://brand.example/night'),
      },
      { conditions: { cities: ['Paris'] }, destination: { type: 'hosted_page' } },
      { conditions: { link_types: ['gs1:recipeInfo'] }, ...to('https://brand.example/recipes') },
    ]);
    await addDefaultLink(org.ownerKey, g, `https://gs1.example/${g}/lot`, '/10/L1');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          path: fc.constantFrom(
            `/01/${g}`,
            `/01/${g}/10/L1`,
            `/01/${g}/21/S9`,
            `/01/${g}?linkType=gs1:recipeInfo`,
          ),
          country: fc.constantFrom(undefined, 'CA', 'FR', 'JP'),
          city: fc.constantFrom(undefined, 'Paris', 'Montréal'),
          languages: fc.constantFrom(undefined, ['fr-CA'], ['en', 'fr'], ['fr']),
          device: fc.constantFrom('mobile', 'desktop', 'bot', 'other'),
          at: fc
            .integer({ min: 0, max: 14 * 24 })
            .map((h) => Date.parse('2026-06-01T00:00:00Z') + h * 3_600_000),
        }),
        async (f) => {
          const facts = {
            ...(f.country && { country: f.country }),
            ...(f.city && { city: f.city }),
            ...(f.languages && { languages: f.languages }),
            device_class: f.device,
            at: new Date(f.at).toISOString(),
          };
          const previewed = await preview({ digital_link: f.path, ...facts });
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(f.at);
          const headers: Record<string, string> = {};
          if (UA[f.device]) headers['user-agent'] = UA[f.device]!;
          if (previewed.scan.accept_language)
            headers['accept-language'] = previewed.scan.accept_language as string;
          const real = await call('GET', f.path, {
            headers,
            cf: { ...(f.country && { country: f.country }), ...(f.city && { city: f.city }) },
          });
          vi.useRealTimers();
          await real.body?.cancel();
          expect(previewed.status, JSON.stringify(f)).toBe(real.status);
          expect(previewed.location, JSON.stringify(f)).toBe(real.headers.get('location'));
        },
      ),
      { numRuns: 40 },
    );
  });
});
