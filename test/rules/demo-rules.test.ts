// The demo rules `npm start` seeds, through the same API calls, and the benchmark's rule builder.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/accounts/api-key-secret';
import { DEMO_LINK_ENTITIES } from '../../src/demo/demo-links';
import { benchmarkRules, DEMO_RULES } from '../../src/demo/demo-rules';
import { demoSeedSql } from '../../src/demo/demo-seed';
import { call, ORIGIN } from '../support/http';
import { scanLocation } from '../support/rules';

let key: string;

beforeAll(async () => {
  const demo = await generateApiKey();
  key = demo.key;
  await env.DB.batch(demoSeedSql(demo).map((s) => env.DB.prepare(s)));
  const links = await call('POST', '/v1/links/bulk', { key, body: { entries: DEMO_LINK_ENTITIES } });
  expect(links.status).toBe(200);
});

const seedRules = () => call('POST', '/v1/rules/bulk', { key, body: { rules: DEMO_RULES } });
const dumpRules = async () =>
  JSON.stringify(
    (await env.DB.prepare("SELECT * FROM resolution_rules WHERE org_id = 'org_demo' ORDER BY id").all())
      .results,
  );

describe('demo rules', () => {
  it('are accepted by the API, and a second seed changes nothing', async () => {
    const first = await seedRules();
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ created: DEMO_RULES.length, replaced: 0 });
    const once = await dumpRules();
    const second = await seedRules();
    expect(await second.json()).toMatchObject({ created: 0, replaced: DEMO_RULES.length });
    expect(await dumpRules()).toBe(once);
  });

  it('show the recall notice for the recalled lot, a French page for Canada, and the hosted page as fallback', async () => {
    await seedRules();
    expect(await scanLocation('/01/09506000134376/10/ABC123')).toBe(
      `${ORIGIN}/p/01/09506000134376/10/ABC123`,
    );
    expect(
      await scanLocation('/01/09506000134352', {
        cf: { country: 'CA' },
        headers: { 'accept-language': 'fr-CA' },
      }),
    ).toBe('https://dalgiardino.com/risotto-rice-with-mushrooms/index.html.fr?gtin=09506000134352');
    expect(
      await scanLocation('/01/09506000134352', {
        cf: { country: 'CA', region: 'Quebec', regionCode: 'QC' },
        headers: { 'accept-language': 'en' },
      }),
    ).toBe('https://dalgiardino.com/where-to-buy/quebec/');
    expect(await scanLocation('/01/09506000134383')).toBe(`${ORIGIN}/p/01/09506000134383`);
  });
});

describe('benchmarkRules', () => {
  it('builds N rules the API accepts; none matches a plain request unless the last is asked to', async () => {
    const gtin = '09506000134352';
    const rules = benchmarkRules(gtin, 50);
    expect(rules).toHaveLength(50);
    const res = await call('POST', '/v1/rules/bulk', { key, body: { rules } });
    expect(res.status, await res.clone().text()).toBe(200);
    const plain = await scanLocation(`/01/${gtin}`);
    expect(plain).toContain('dalgiardino.com'); // the GS1 default link, after all 50 were evaluated

    await call('POST', '/v1/rules/bulk', {
      key,
      body: { rules: benchmarkRules(gtin, 50, { matchLast: true }) },
    });
    expect(await scanLocation(`/01/${gtin}`)).toBe(`https://bench.example/rule/49?gtin=${gtin}`);
  });
});
