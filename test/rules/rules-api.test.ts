import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';
import { addDefaultLink, orgWithBrand, postRule, type RuleBody, testGtin, urlRule } from '../support/rules';

// This file's GTINs: testGtin(10_000 + n).
const gtin = (n: number) => testGtin(10_000 + n);

async function rulesOf(key: string, query = ''): Promise<{ data: RuleBody[]; next_cursor: string | null }> {
  const res = await call('GET', `/v1/rules${query}`, { key });
  expect(res.status).toBe(200);
  return res.json();
}

describe('rules API: create, read, update, delete', () => {
  it('creates a rule (201) with defaults, reads it back, and lists it', async () => {
    const org = await createOrganization();
    const rule = await postRule(
      org.ownerKey,
      urlRule(gtin(1), 'https://brand.example/p/{gtin}', {
        conditions: { countries: ['ca'], timezone: 'europe/paris' },
      }),
    );
    expect(rule).toMatchObject({
      scope: 'PRODUCT',
      gtin: gtin(1),
      order_index: 0,
      enabled: true,
      name: '',
      client_key: null,
      conditions: { countries: ['CA'], timezone: 'Europe/Paris' },
      destination: {
        type: 'url',
        url: 'https://brand.example/p/{gtin}',
        forward_query: true,
        health: { dead: false, consecutive_failures: 0, checked_url: `https://brand.example/p/${gtin(1)}` },
      },
      dead_url_policy: 'skip_rule',
    });
    expect(rule.id).toMatch(/^rul_/);
    const got = await call('GET', `/v1/rules/${rule.id}`, { key: org.ownerKey });
    expect(await got.json()).toEqual(rule);
    expect((await rulesOf(org.ownerKey)).data.map((r) => r.id)).toEqual([rule.id]);
  });

  it('appends a rule without order_index to the end of its scope; a taken order_index is a 409', async () => {
    const org = await createOrganization();
    const a = await postRule(org.ownerKey, urlRule(gtin(2), 'https://a.example/'));
    const b = await postRule(org.ownerKey, urlRule(gtin(2), 'https://b.example/'));
    const other = await postRule(org.ownerKey, {
      scope: 'ORGANIZATION',
      destination: { type: 'hosted_page' },
    });
    expect([a.order_index, b.order_index, other.order_index]).toEqual([0, 1, 0]);
    await expectError(
      await call('POST', '/v1/rules', {
        key: org.ownerKey,
        body: urlRule(gtin(2), 'https://c.example/', { order_index: 1 }),
      }),
      409,
      'conflict',
    );
  });

  it('a client_key is unique in the organisation (409), and so is an order_index moved onto a taken one', async () => {
    const org = await createOrganization();
    await postRule(org.ownerKey, urlRule(gtin(17), 'https://a.example/', { client_key: 'summer' }));
    const dup = await expectError(
      await call('POST', '/v1/rules', {
        key: org.ownerKey,
        body: urlRule(gtin(17), 'https://b.example/', { client_key: 'summer' }),
      }),
      409,
      'conflict',
    );
    expect(dup.message).toMatch(/client_key/);
    const other = await postRule(org.ownerKey, urlRule(gtin(17), 'https://c.example/'));
    const moved = await expectError(
      await call('PATCH', `/v1/rules/${other.id}`, { key: org.ownerKey, body: { order_index: 0 } }),
      409,
      'conflict',
    );
    expect(moved.message).toMatch(/order_index/);
    // Another organisation may use the same client_key.
    const elsewhere = await createOrganization('Elsewhere');
    await postRule(elsewhere.ownerKey, urlRule(gtin(18), 'https://d.example/', { client_key: 'summer' }));
  });

  it('PATCH merges conditions (null removes one), can move a rule to another scope, and checks the result whole', async () => {
    const org = await orgWithBrand();
    const rule = await postRule(
      org.ownerKey,
      urlRule(gtin(3), 'https://brand.example/', { conditions: { countries: ['FR'], languages: ['fr'] } }),
    );
    const patched = await call('PATCH', `/v1/rules/${rule.id}`, {
      key: org.ownerKey,
      body: { name: 'French', conditions: { languages: null, cities: ['Paris'] } },
    });
    expect(patched.status).toBe(200);
    const body = await patched.json<RuleBody>();
    expect(body).toMatchObject({
      name: 'French',
      conditions: { countries: ['FR'], cities: ['Paris'] },
      order_index: 0,
    });
    expect(body.conditions).not.toHaveProperty('languages');

    const moved = await (
      await call('PATCH', `/v1/rules/${rule.id}`, {
        key: org.ownerKey,
        body: { scope: 'BRAND', brand_id: org.brandId },
      })
    ).json<RuleBody>();
    expect(moved).toMatchObject({ scope: 'BRAND', brand_id: org.brandId, order_index: 0 });
    expect(moved).not.toHaveProperty('gtin');

    const bad = await call('PATCH', `/v1/rules/${rule.id}`, {
      key: org.ownerKey,
      body: { conditions: { timezone: 'Mars/Olympus' } },
    });
    const error = await expectError(bad, 400, 'validation_failed');
    expect(error.details).toEqual([expect.objectContaining({ path: 'conditions.timezone' })]);
  });

  it('deletes (204), after which the rule is a 404', async () => {
    const org = await createOrganization();
    const rule = await postRule(org.ownerKey, urlRule(gtin(4), 'https://brand.example/'));
    expect((await call('DELETE', `/v1/rules/${rule.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(await call('GET', `/v1/rules/${rule.id}`, { key: org.ownerKey }), 404, 'not_found');
  });

  it('lets readonly keys read but not write', async () => {
    const org = await createOrganization();
    const rule = await postRule(org.ownerKey, urlRule(gtin(5), 'https://brand.example/'));
    const reader = await insertKey(org.orgId, 'readonly');
    const editor = await insertKey(org.orgId, 'editor');
    expect((await call('GET', `/v1/rules/${rule.id}`, { key: reader.key })).status).toBe(200);
    await expectError(
      await call('POST', '/v1/rules', { key: reader.key, body: urlRule(gtin(5), 'https://x.example/') }),
      403,
      'forbidden',
    );
    await expectError(
      await call('PATCH', `/v1/rules/${rule.id}`, { key: reader.key, body: { enabled: false } }),
      403,
      'forbidden',
    );
    await expectError(await call('DELETE', `/v1/rules/${rule.id}`, { key: reader.key }), 403, 'forbidden');
    expect(
      (await call('PATCH', `/v1/rules/${rule.id}`, { key: editor.key, body: { enabled: false } })).status,
    ).toBe(200);
  });
});

describe('rules API: organisations apart', () => {
  it("another organisation's rule is a 404 for every verb, and is left as it was", async () => {
    const owner = await createOrganization('Owner');
    const intruder = await createOrganization('Intruder');
    const rule = await postRule(owner.ownerKey, urlRule(gtin(6), 'https://brand.example/'));
    await expectError(
      await call('GET', `/v1/rules/${rule.id}`, { key: intruder.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('PATCH', `/v1/rules/${rule.id}`, { key: intruder.ownerKey, body: { enabled: false } }),
      404,
      'not_found',
    );
    await expectError(
      await call('DELETE', `/v1/rules/${rule.id}`, { key: intruder.ownerKey }),
      404,
      'not_found',
    );
    expect((await rulesOf(intruder.ownerKey)).data).toEqual([]);
    expect(await (await call('GET', `/v1/rules/${rule.id}`, { key: owner.ownerKey })).json()).toEqual(rule);
  });

  it('refuses a brand of another organisation (404) and a GTIN whose links another organisation manages (409)', async () => {
    const a = await orgWithBrand('A');
    const b = await createOrganization('B');
    await expectError(
      await call('POST', '/v1/rules', {
        key: b.ownerKey,
        body: { scope: 'BRAND', brand_id: a.brandId, destination: { type: 'hosted_page' } },
      }),
      404,
      'not_found',
    );
    await addDefaultLink(a.ownerKey, gtin(7), 'https://a.example/');
    await expectError(
      await call('POST', '/v1/rules', { key: b.ownerKey, body: urlRule(gtin(7), 'https://b.example/') }),
      409,
      'conflict',
    );
  });
});

describe('rules API: list', () => {
  it('lists in evaluation order, filters by scope and enabled, and pages with a cursor', async () => {
    const org = await orgWithBrand();
    const orgRule = await postRule(org.ownerKey, {
      scope: 'ORGANIZATION',
      destination: { type: 'hosted_page' },
    });
    const brandRule = await postRule(org.ownerKey, {
      scope: 'BRAND',
      brand_id: org.brandId,
      destination: { type: 'hosted_page' },
      enabled: false,
    });
    const p1 = await postRule(org.ownerKey, urlRule(gtin(8), 'https://p.example/1'));
    const p5 = await postRule(org.ownerKey, urlRule(gtin(8), 'https://p.example/5', { order_index: 5 }));
    const serial = await postRule(org.ownerKey, {
      scope: 'SERIAL',
      gtin: gtin(8),
      serial: 'S/1',
      destination: { type: 'hosted_page' },
    });
    const batch = await postRule(org.ownerKey, {
      scope: 'BATCH',
      gtin: gtin(8),
      lot: 'L1',
      destination: { type: 'hosted_page' },
    });

    const all = await rulesOf(org.ownerKey);
    expect(all.data.map((r) => r.id)).toEqual([serial.id, batch.id, p1.id, p5.id, brandRule.id, orgRule.id]);
    expect(all.data[0]).toMatchObject({ scope: 'SERIAL', gtin: gtin(8), serial: 'S/1' });

    expect((await rulesOf(org.ownerKey, '?scope=PRODUCT')).data.map((r) => r.id)).toEqual([p1.id, p5.id]);
    expect((await rulesOf(org.ownerKey, '?enabled=false')).data.map((r) => r.id)).toEqual([brandRule.id]);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res: { data: RuleBody[]; next_cursor: string | null } = await rulesOf(
        org.ownerKey,
        `?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.data.map((r) => r.id));
      cursor = res.next_cursor;
    }
    expect(seen).toEqual(all.data.map((r) => r.id));
    await expectError(
      await call('GET', '/v1/rules?cursor=nonsense', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', '/v1/rules?scope=GALAXY', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
  });
});

describe('rules API: reorder', () => {
  async function threeRules(key: string, g: string) {
    const rules: RuleBody[] = [];
    for (const i of [0, 1, 2])
      rules.push(await postRule(key, urlRule(g, `https://brand.example/${i}`, { order_index: i * 10 })));
    return rules;
  }
  const orderOf = async (key: string, g: string) =>
    (await rulesOf(key, `?gtin=${g}`)).data.map((r) => [r.destination.url, r.order_index]);

  it('puts a block of rules in the given order, in the slots they held', async () => {
    const org = await createOrganization();
    const [a, b, c] = await threeRules(org.ownerKey, gtin(9));
    const res = await call('POST', '/v1/rules/reorder', {
      key: org.ownerKey,
      body: { rule_ids: [c!.id, a!.id, b!.id] },
    });
    expect(res.status).toBe(200);
    expect(await orderOf(org.ownerKey, gtin(9))).toEqual([
      ['https://brand.example/2', 0],
      ['https://brand.example/0', 10],
      ['https://brand.example/1', 20],
    ]);
    // A partial block swaps just those two.
    await call('POST', '/v1/rules/reorder', { key: org.ownerKey, body: { rule_ids: [b!.id, a!.id] } });
    expect((await orderOf(org.ownerKey, gtin(9))).map(([url]) => url)).toEqual([
      'https://brand.example/2',
      'https://brand.example/1',
      'https://brand.example/0',
    ]);
  });

  it('a rule of another organisation (or an unknown id) in the block: 404 and nothing moves', async () => {
    const org = await createOrganization();
    const other = await createOrganization('Other');
    const [a, b] = await threeRules(org.ownerKey, gtin(10));
    const foreign = await postRule(other.ownerKey, urlRule(gtin(11), 'https://other.example/'));
    const before = await orderOf(org.ownerKey, gtin(10));
    for (const intruder of [foreign.id, 'rul_doesnotexist']) {
      const res = await call('POST', '/v1/rules/reorder', {
        key: org.ownerKey,
        body: { rule_ids: [b!.id, intruder, a!.id] },
      });
      const error = await expectError(res, 404, 'not_found');
      expect(error.details).toEqual({ rule_ids: [intruder] });
    }
    expect(await orderOf(org.ownerKey, gtin(10))).toEqual(before);
    const stored = await env.DB.prepare('SELECT order_index FROM resolution_rules WHERE id = ?')
      .bind(foreign.id)
      .first('order_index');
    expect(stored).toBe(0);
  });

  it('refuses a block spanning scope targets, or a rule listed twice (400)', async () => {
    const org = await createOrganization();
    const a = await postRule(org.ownerKey, urlRule(gtin(12), 'https://a.example/'));
    const b = await postRule(org.ownerKey, urlRule(gtin(13), 'https://b.example/'));
    const mixed = await expectError(
      await call('POST', '/v1/rules/reorder', { key: org.ownerKey, body: { rule_ids: [a.id, b.id] } }),
      400,
      'validation_failed',
    );
    expect(mixed.details).toEqual([expect.objectContaining({ path: 'rule_ids' })]);
    await expectError(
      await call('POST', '/v1/rules/reorder', { key: org.ownerKey, body: { rule_ids: [a.id, a.id] } }),
      400,
      'validation_failed',
    );
  });
});

describe('rules API: bulk upsert by client_key', () => {
  const bulk = (key: string, rules: unknown[]) => call('POST', '/v1/rules/bulk', { key, body: { rules } });

  it('creates, then replaces by client_key; an identical second call writes nothing', async () => {
    const org = await createOrganization();
    const rules = [
      { client_key: 'first', ...urlRule(gtin(14), 'https://a.example/'), order_index: 0 },
      { client_key: 'second', ...urlRule(gtin(14), 'https://b.example/'), order_index: 1 },
    ];
    const created = await bulk(org.ownerKey, rules);
    expect(await created.json()).toMatchObject({ created: 2, replaced: 0 });
    const before = await rulesOf(org.ownerKey);
    const again = await bulk(org.ownerKey, rules);
    expect(await again.json()).toMatchObject({ created: 0, replaced: 2 });
    expect(await rulesOf(org.ownerKey)).toEqual(before);

    // Swapping places in one call works: both step aside first.
    const swapped = await bulk(org.ownerKey, [
      { ...rules[0], order_index: 1 },
      { ...rules[1], order_index: 0 },
    ]);
    expect(swapped.status).toBe(200);
    expect((await rulesOf(org.ownerKey)).data.map((r) => r.client_key)).toEqual(['second', 'first']);
    expect((await rulesOf(org.ownerKey)).data.map((r) => r.id).sort()).toEqual(
      before.data.map((r) => r.id).sort(),
    );
  });

  it('is all or nothing, and needs a client_key on every rule', async () => {
    const org = await createOrganization();
    const res = await bulk(org.ownerKey, [
      { client_key: 'ok', ...urlRule(gtin(15), 'https://a.example/') },
      urlRule(gtin(15), 'https://b.example/'),
    ]);
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.details).toEqual([expect.objectContaining({ path: 'rules.1.client_key' })]);
    const clash = await bulk(org.ownerKey, [
      { client_key: 'x', ...urlRule(gtin(15), 'https://a.example/'), order_index: 3 },
      { client_key: 'y', ...urlRule(gtin(15), 'https://b.example/'), order_index: 3 },
    ]);
    await expectError(clash, 409, 'conflict');
    expect((await rulesOf(org.ownerKey)).data).toEqual([]);
  });
});

describe('rules API: bad input is a 400 that names the field', () => {
  const valid = () => urlRule(gtin(16), 'https://brand.example/');
  it.each([
    ['an unknown scope', { scope: 'GALAXY' }, 'scope', /./],
    ['a GTIN with a bad check digit', { gtin: '09506000134353' }, 'gtin', /check digit/],
    ['a BATCH rule without its lot', { scope: 'BATCH' }, 'lot', /./],
    ['a lot outside GS1 character set 82', { scope: 'BATCH', lot: 'lot#1' }, 'lot', /character set 82/],
    ['a BRAND rule with a GTIN', { scope: 'BRAND', brand_id: 'brd_x' }, '(root)', /gtin/],
    ['a relative URL', { destination: { type: 'url', url: '/page' } }, 'destination.url', /absolute http/],
    [
      'a javascript: URL',
      { destination: { type: 'url', url: 'javascript:alert(1)' } },
      'destination.url',
      /absolute http/,
    ],
    [
      'an unknown placeholder',
      { destination: { type: 'url', url: 'https://x.example/{colour}' } },
      'destination.url',
      /\{colour\}/,
    ],
    ['an unknown destination type', { destination: { type: 'ftp' } }, 'destination.type', /./],
    ['an unknown dead-URL policy', { dead_url_policy: 'retry' }, 'dead_url_policy', /./],
    ['a negative order_index', { order_index: -1 }, 'order_index', /./],
    ['an unknown time zone', { conditions: { timezone: 'Europe/Atlantis' } }, 'conditions.timezone', /IANA/],
    [
      'a 31st of April',
      { conditions: { annual_window: { start: '04-31', end: '05-02' } } },
      'conditions.annual_window.start',
      /MM-DD/,
    ],
    [
      'a time of 24:00',
      { conditions: { time_of_day: { start: '09:00', end: '24:00' } } },
      'conditions.time_of_day.end',
      /HH:MM/,
    ],
    [
      'an empty time window',
      { conditions: { time_of_day: { start: '09:00', end: '09:00' } } },
      'conditions.time_of_day',
      /differ/,
    ],
    ['a made-up day', { conditions: { days_of_week: ['funday'] } }, 'conditions.days_of_week.0', /./],
    [
      'an end before the start',
      { conditions: { starts_at: '2027-01-02T00:00:00Z', ends_at: '2027-01-01T00:00:00Z' } },
      'conditions.ends_at',
      /after/,
    ],
    [
      'a date-time without zone',
      { conditions: { starts_at: '2027-01-02T00:00:00' } },
      'conditions.starts_at',
      /zone/,
    ],
    [
      'a country that is not ISO 3166',
      { conditions: { countries: ['EU'] } },
      'conditions.countries.0',
      /alpha-2/,
    ],
    [
      'a bad language tag',
      { conditions: { languages: ['français'] } },
      'conditions.languages.0',
      /language tag/,
    ],
    [
      'an unknown GS1 link type',
      { conditions: { link_types: ['gs1:nosuchthing'] } },
      'conditions.link_types.0',
      /not a link type/,
    ],
    [
      'an unknown product status',
      { conditions: { product_statuses: ['expired'] } },
      'conditions.product_statuses.0',
      /./,
    ],
    [
      'an unknown device class',
      { conditions: { device_classes: ['fridge'] } },
      'conditions.device_classes.0',
      /./,
    ],
    ['an empty list', { conditions: { countries: [] } }, 'conditions.countries', /./],
    ['expired as a word', { conditions: { expired: 'yes' } }, 'conditions.expired', /true or false/],
    ['an unknown condition', { conditions: { moon_phase: 'full' } }, 'conditions', /./],
  ])('rejects %s', async (_name, overrides, path, message) => {
    const org = await createOrganization();
    const res = await call('POST', '/v1/rules', { key: org.ownerKey, body: { ...valid(), ...overrides } });
    const error = await expectError(res, 400, 'validation_failed');
    const details = error.details as { path: string; message: string }[];
    const hit = details.find((d) => d.path === path);
    expect(hit, JSON.stringify(details)).toBeDefined();
    expect(hit!.message).toMatch(message);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM resolution_rules WHERE org_id = ?')
        .bind(org.orgId)
        .first('n'),
    ).toBe(0);
  });

  it('rejects a body that is not JSON (415) or not an object (400)', async () => {
    const org = await createOrganization();
    await expectError(
      await call('POST', '/v1/rules', {
        key: org.ownerKey,
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    );
    await expectError(
      await call('POST', '/v1/rules', { key: org.ownerKey, body: '[1]' }),
      400,
      'validation_failed',
    );
  });
});
