// POST /v1/resolver/preview with a draft_rule through the Worker: the rule editor's live preview.
// The draft is evaluated where a save would put it, checked as a create is, and never stored.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { invalidateScanRules } from '../../src/rules/scan-rules';
import { insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { addProduct, orgWithBrand, postRule, testGtin } from '../support/rules';

vi.setConfig({ testTimeout: 60_000 });

// This file's GTINs: testGtin(66_000 + n).
const gtin = (n: number) => testGtin(66_000 + n);
const DEFAULT = (g: string) => `https://gs1.example/${g}`;

interface Preview {
  status: number;
  location: string | null;
  rule: { id: string; name: string } | null;
  trace: { rule_id: string; name: string; outcome: string; reason: string }[];
}

let org: TestOrg & { brandId: string };

beforeAll(async () => {
  org = await orgWithBrand('Draft Foods');
});

async function preview(body: Record<string, unknown>, key = org.ownerKey): Promise<Preview> {
  const res = await call('POST', '/v1/resolver/preview', { key, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`preview: ${res.status} ${text}`);
  return JSON.parse(text) as Preview;
}

const to = (url: string) => ({ destination: { type: 'url', url } });

async function product(n: number): Promise<string> {
  const g = gtin(n);
  await addProduct(org.ownerKey, { gtin: g, brandId: org.brandId, defaultLink: DEFAULT(g) });
  return g;
}

async function storedRules(orgId: string): Promise<{ id: string; name: string; conditions: string }[]> {
  const { results } = await env.DB.prepare(
    'SELECT id, name, conditions FROM resolution_rules WHERE org_id = ? ORDER BY id',
  )
    .bind(orgId)
    .all<{ id: string; name: string; conditions: string }>();
  return results;
}

describe('POST /v1/resolver/preview with draft_rule', () => {
  it('a new draft that wins: a CA scan goes to its URL, a JP scan does not (and says why)', async () => {
    const g = await product(1);
    const before = await storedRules(org.orgId);
    const draft_rule = {
      name: 'Canada page',
      scope: 'PRODUCT',
      gtin: g,
      conditions: { countries: ['CA'] },
      ...to('https://brand.example/ca/{gtin}'),
    };
    const ca = await preview({ digital_link: `/01/${g}`, country: 'CA', draft_rule });
    expect(ca).toMatchObject({
      status: 307,
      location: `https://brand.example/ca/${g}`,
      rule: { id: 'draft', name: 'Canada page' },
      trace: [{ rule_id: 'draft', name: 'Canada page', outcome: 'matched', reason: 'matched' }],
    });
    const jp = await preview({ digital_link: `/01/${g}`, country: 'JP', draft_rule });
    expect(jp).toMatchObject({
      status: 307,
      location: DEFAULT(g),
      rule: null,
      trace: [{ rule_id: 'draft', outcome: 'skipped', reason: 'countries: CA, scan from JP' }],
    });
    // Without the draft the scan is as stored, and nothing was written.
    expect((await preview({ digital_link: `/01/${g}`, country: 'CA' })).trace).toEqual([]);
    expect(await storedRules(org.orgId)).toEqual(before);
  });

  it('a new draft takes the place a save gives it: after the saved rules of its scope', async () => {
    const g = await product(2);
    const saved = await postRule(org.ownerKey, {
      name: 'everyone',
      scope: 'PRODUCT',
      gtin: g,
      ...to('https://brand.example/all'),
    });
    const body = await preview({
      digital_link: `/01/${g}`,
      draft_rule: { name: 'late', scope: 'PRODUCT', gtin: g, ...to('https://brand.example/late') },
    });
    expect(body.location).toBe('https://brand.example/all');
    expect(body.trace.map((s) => [s.rule_id, s.outcome])).toEqual([
      [saved.id, 'matched'],
      ['draft', 'not_reached'],
    ]);
    // A lot's draft answers a scan of that lot before the product's rules (more specific scope), no other.
    const first = await preview({
      digital_link: `/01/${g}`,
      draft_rule: {
        name: 'lot first',
        scope: 'BATCH',
        gtin: g,
        lot: 'L1',
        ...to('https://brand.example/lot'),
      },
    });
    expect(first.location).toBe('https://brand.example/all');
    const lot = await preview({
      digital_link: `/01/${g}/10/L1`,
      draft_rule: {
        name: 'lot first',
        scope: 'BATCH',
        gtin: g,
        lot: 'L1',
        ...to('https://brand.example/lot'),
      },
    });
    expect(lot).toMatchObject({ location: 'https://brand.example/lot', rule: { id: 'draft' } });
  });

  it('a draft with an id replaces that rule in its place, and the stored rule is unchanged', async () => {
    const g = await product(3);
    const first = await postRule(org.ownerKey, {
      name: 'France',
      scope: 'PRODUCT',
      gtin: g,
      conditions: { countries: ['FR'] },
      ...to('https://brand.example/fr'),
    });
    const second = await postRule(org.ownerKey, {
      name: 'everyone',
      scope: 'PRODUCT',
      gtin: g,
      ...to('https://brand.example/all'),
    });
    const stored = await storedRules(org.orgId);
    const edited = {
      id: first.id,
      name: 'France and Belgium',
      scope: 'PRODUCT',
      gtin: g,
      conditions: { countries: ['FR', 'BE'] },
      ...to('https://brand.example/fr-be'),
    };
    const be = await preview({ digital_link: `/01/${g}`, country: 'BE', draft_rule: edited });
    expect(be).toMatchObject({
      location: 'https://brand.example/fr-be',
      rule: { id: first.id, name: 'France and Belgium' },
    });
    expect(be.trace.map((s) => [s.rule_id, s.name, s.outcome])).toEqual([
      [first.id, 'France and Belgium', 'matched'],
      [second.id, 'everyone', 'not_reached'],
    ]);
    // Switched off in the draft: the trace shows the draft disabled, the next rule answers.
    const off = await preview({
      digital_link: `/01/${g}`,
      country: 'FR',
      draft_rule: { ...edited, enabled: false },
    });
    expect(off.location).toBe('https://brand.example/all');
    expect(off.trace.map((s) => [s.rule_id, s.outcome])).toEqual([
      [first.id, 'disabled'],
      [second.id, 'matched'],
    ]);
    // The saved rule still says FR only.
    expect(await storedRules(org.orgId)).toEqual(stored);
    expect((await preview({ digital_link: `/01/${g}`, country: 'BE' })).location).toBe(
      'https://brand.example/all',
    );
  });

  it('a draft keeping a dead URL previews it as dead', async () => {
    const g = await product(4);
    const saved = await postRule(org.ownerKey, {
      name: 'down',
      scope: 'PRODUCT',
      gtin: g,
      ...to('https://dead.example/draft'),
    });
    await env.DB.prepare(
      'INSERT INTO url_health (url, consecutive_failures, dead, last_checked_at) VALUES (?, 3, 1, 0)',
    )
      .bind('https://dead.example/draft')
      .run();
    invalidateScanRules();
    const body = await preview({
      digital_link: `/01/${g}`,
      draft_rule: {
        id: saved.id,
        name: 'down, renamed',
        scope: 'PRODUCT',
        gtin: g,
        ...to('https://dead.example/draft'),
      },
    });
    expect(body.location).toBe(DEFAULT(g));
    expect(body.trace[0]).toMatchObject({ rule_id: saved.id, outcome: 'dead_url' });
  });

  it('a bad draft is a 400 naming the field under draft_rule, and nothing is stored', async () => {
    const g = await product(5);
    const before = await storedRules(org.orgId);
    const base = { name: 'bad', scope: 'PRODUCT', gtin: g, ...to('https://brand.example/ok') };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...base, destination: { type: 'url', url: 'not a url' } }, 'draft_rule.destination.url'],
      [
        { ...base, destination: { type: 'url', url: 'https://x.example/{nope}' } },
        'draft_rule.destination.url',
      ],
      [{ ...base, conditions: { countries: ['XX'] } }, 'draft_rule.conditions.countries.0'],
      [{ ...base, conditions: { timezone: 'Mars/Olympus' } }, 'draft_rule.conditions.timezone'],
      [{ ...base, conditions: { link_types: ['gs1:nope'] } }, 'draft_rule.conditions.link_types.0'],
      [
        { ...base, conditions: { time_of_day: { start: '25:00', end: '10:00' } } },
        'draft_rule.conditions.time_of_day.start',
      ],
      [
        { ...base, conditions: { starts_at: '2026-12-24T00:00:00Z', ends_at: '2026-12-01T00:00:00Z' } },
        'draft_rule.conditions.ends_at',
      ],
      [{ ...base, gtin: '123' }, 'draft_rule.gtin'],
      [{ ...base, scope: 'BATCH' }, 'draft_rule.lot'],
      [{ ...base, scope: 'PLANET' }, 'draft_rule.scope'],
      [{ ...base, dead_url_policy: 'panic' }, 'draft_rule.dead_url_policy'],
      [{ ...base, id: '' }, 'draft_rule.id'],
      [{ ...base, surprise: true }, 'draft_rule'],
      [{ name: 'no destination', scope: 'ORGANIZATION' }, 'draft_rule.destination'],
    ];
    for (const [draft_rule, field] of bad) {
      const res = await call('POST', '/v1/resolver/preview', {
        key: org.ownerKey,
        body: { digital_link: `/01/${g}`, draft_rule },
      });
      const error = await expectError(res, 400, 'validation_failed');
      const paths = (error.details as { path: string }[]).map((d) => d.path);
      expect(paths, JSON.stringify(draft_rule).slice(0, 100)).toContain(field);
    }
    expect(await storedRules(org.orgId)).toEqual(before);
  });

  it('a draft is checked as a save is: an unknown brand or rule id is a 404', async () => {
    const g = await product(6);
    const base = { name: 'x', ...to('https://brand.example/x') };
    await expectError(
      await call('POST', '/v1/resolver/preview', {
        key: org.ownerKey,
        body: { digital_link: `/01/${g}`, draft_rule: { ...base, scope: 'BRAND', brand_id: 'brd_nope' } },
      }),
      404,
      'not_found',
    );
    await expectError(
      await call('POST', '/v1/resolver/preview', {
        key: org.ownerKey,
        body: { digital_link: `/01/${g}`, draft_rule: { ...base, id: 'rul_nope', scope: 'ORGANIZATION' } },
      }),
      404,
      'not_found',
    );
  });

  it("a draft cannot reach another organisation's rules, brands or products", async () => {
    const rival = await orgWithBrand('Draft Rival');
    const g = gtin(7);
    await addProduct(rival.ownerKey, { gtin: g, brandId: rival.brandId, defaultLink: DEFAULT(g) });
    const secret = await postRule(rival.ownerKey, {
      name: 'rival secret',
      scope: 'PRODUCT',
      gtin: g,
      ...to('https://rival.example/secret'),
    });
    const base = { name: 'probe', ...to('https://probe.example/') };
    const ask = (draft_rule: Record<string, unknown>) =>
      call('POST', '/v1/resolver/preview', {
        key: org.ownerKey,
        body: { digital_link: `/01/${g}`, draft_rule },
      });
    // Their rule id is not ours to replace; their brand is not ours to target.
    await expectError(await ask({ ...base, id: secret.id, scope: 'ORGANIZATION' }), 404, 'not_found');
    await expectError(await ask({ ...base, scope: 'BRAND', brand_id: rival.brandId }), 404, 'not_found');
    // Their GTIN is theirs to steer (as a create says: 409), and an organisation-wide draft of ours
    // does not make their scan ours: the answer is an unknown one, with nothing of theirs in it.
    await expectError(await ask({ ...base, scope: 'PRODUCT', gtin: g }), 409, 'conflict');
    const res = await ask({ ...base, scope: 'ORGANIZATION' });
    expect(res.status).toBe(200);
    const body = await res.json<Preview>();
    expect(body).toMatchObject({ status: 404, location: null, rule: null, trace: [] });
    expect(JSON.stringify(body)).not.toContain('rival');
    // Their own scan is untouched by our draft.
    expect((await preview({ digital_link: `/01/${g}` }, rival.ownerKey)).location).toBe(
      'https://rival.example/secret',
    );
  });

  it('a readonly key may preview a draft (it reads), and nothing is stored', async () => {
    const g = await product(8);
    const reader = await insertKey(org.orgId, 'readonly');
    const before = await storedRules(org.orgId);
    const body = await preview(
      {
        digital_link: `/01/${g}`,
        device_class: 'mobile',
        draft_rule: {
          name: 'phones',
          scope: 'ORGANIZATION',
          conditions: { device_classes: ['mobile'] },
          ...to('https://brand.example/m'),
        },
      },
      reader.key,
    );
    expect(body).toMatchObject({
      location: 'https://brand.example/m',
      rule: { id: 'draft', name: 'phones' },
    });
    expect(await storedRules(org.orgId)).toEqual(before);
    // Writing is still the editors' business.
    await expectError(
      await call('POST', '/v1/rules', {
        key: reader.key,
        body: { name: 'phones', scope: 'ORGANIZATION', ...to('https://brand.example/m') },
      }),
      403,
      'forbidden',
    );
  });

  it('what a draft previews is what the saved rule then does to real scans', async () => {
    const g = await product(9);
    await postRule(org.ownerKey, {
      name: 'France',
      scope: 'PRODUCT',
      gtin: g,
      conditions: { countries: ['FR'] },
      ...to('https://brand.example/fr'),
    });
    const draft_rule = {
      name: 'North America',
      scope: 'PRODUCT',
      gtin: g,
      conditions: { countries: ['CA', 'US', 'FR'] },
      ...to('https://brand.example/na/{gtin}'),
    };
    const countries = ['CA', 'FR', 'JP'];
    const previewed = new Map<string, string | null>();
    for (const country of countries)
      previewed.set(country, (await preview({ digital_link: `/01/${g}`, country, draft_rule })).location);
    expect([...previewed.values()]).toEqual([
      `https://brand.example/na/${g}`,
      'https://brand.example/fr', // the saved FR rule comes first in the scope
      DEFAULT(g),
    ]);
    await postRule(org.ownerKey, draft_rule);
    for (const country of countries) {
      const real = await call('GET', `/01/${g}`, { cf: { country } });
      await real.body?.cancel();
      expect(real.headers.get('location'), country).toBe(previewed.get(country));
    }
  });
});
