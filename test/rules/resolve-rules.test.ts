// Brand rules as a consumer meets them: real scans through the Worker, with `request.cf` as the
// edge sets it, and the clock moved with vitest's fake Date (the Worker runs in the test isolate).
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, expectError, ORIGIN } from '../support/http';
import { addDefaultLink, addProduct, orgWithBrand, postRule, scanLocation, testGtin } from '../support/rules';

// This file's GTINs: testGtin(20_000 + n).
const gtin = (n: number) => testGtin(20_000 + n);
const DEFAULT = (g: string) => `https://gs1.example/${g}`;
const UA = {
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

let org: Awaited<ReturnType<typeof orgWithBrand>>;

beforeAll(async () => {
  org = await orgWithBrand('Scan Rules Foods');
});

afterEach(() => {
  vi.useRealTimers();
});

/** A product of the shared organisation with a GS1 default link, and its rules. */
async function productWithRules(
  n: number,
  rules: Record<string, unknown>[],
  spec: Partial<Parameters<typeof addProduct>[1]> = {},
): Promise<string> {
  const g = gtin(n);
  await addProduct(org.ownerKey, { gtin: g, brandId: org.brandId, defaultLink: DEFAULT(g), ...spec });
  for (const rule of rules) await postRule(org.ownerKey, { scope: 'PRODUCT', gtin: g, ...rule });
  return g;
}

const to = (url: string) => ({ destination: { type: 'url', url } });
const at = (iso: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
};

describe('conditions, through the Worker', () => {
  it('countries and languages: a French page for Canada', async () => {
    const g = await productWithRules(1, [
      { conditions: { countries: ['CA'], languages: ['fr'] }, ...to('https://brand.example/fr-ca/{gtin}') },
    ]);
    const quebecois = { cf: { country: 'CA' }, headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' } };
    expect(await scanLocation(`/01/${g}`, quebecois)).toBe(`https://brand.example/fr-ca/${g}`);
    expect(
      await scanLocation(`/01/${g}`, {
        cf: { country: 'CA' },
        headers: { 'accept-language': 'en-CA,fr;q=0.5' },
      }),
    ).toBe(DEFAULT(g));
    expect(
      await scanLocation(`/01/${g}`, { cf: { country: 'FR' }, headers: { 'accept-language': 'fr' } }),
    ).toBe(DEFAULT(g));
    expect(await scanLocation(`/01/${g}`, { headers: { 'accept-language': 'fr' } })).toBe(DEFAULT(g)); // no cf: no country
  });

  it('regions (name or code) and cities (accents ignored)', async () => {
    const g = await productWithRules(2, [
      { conditions: { cities: ['Montréal'] }, ...to('https://brand.example/montreal') },
      { conditions: { regions: ['QC'] }, ...to('https://brand.example/quebec') },
    ]);
    expect(
      await scanLocation(`/01/${g}`, {
        cf: { country: 'CA', region: 'Quebec', regionCode: 'QC', city: 'Montreal' },
      }),
    ).toBe('https://brand.example/montreal');
    expect(
      await scanLocation(`/01/${g}`, {
        cf: { country: 'CA', region: 'Quebec', regionCode: 'QC', city: 'Laval' },
      }),
    ).toBe('https://brand.example/quebec');
    expect(
      await scanLocation(`/01/${g}`, {
        cf: { country: 'CA', region: 'Ontario', regionCode: 'ON', city: 'Toronto' },
      }),
    ).toBe(DEFAULT(g));
  });

  it('absolute start and end', async () => {
    const g = await productWithRules(3, [
      {
        conditions: { starts_at: '2027-03-01T00:00:00+01:00', ends_at: '2027-04-01T00:00:00+02:00' },
        ...to('https://brand.example/launch'),
      },
    ]);
    at('2027-02-28T22:59:59Z');
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
    at('2027-02-28T23:00:00Z');
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/launch');
    at('2027-03-31T21:59:59Z');
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/launch');
    at('2027-03-31T22:00:00Z');
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
  });

  it("an annual window that wraps the new year, in the rule's time zone", async () => {
    const g = await productWithRules(4, [
      {
        conditions: { annual_window: { start: '12-20', end: '01-06' }, timezone: 'Asia/Tokyo' },
        ...to('https://brand.example/holidays'),
      },
    ]);
    const expectations: [string, string][] = [
      ['2027-12-19T14:59:00Z', DEFAULT(g)], // 23:59 on the 19th in Tokyo
      ['2027-12-19T15:00:00Z', 'https://brand.example/holidays'], // midnight, the 20th in Tokyo
      ['2027-12-31T12:00:00Z', 'https://brand.example/holidays'],
      ['2028-01-03T12:00:00Z', 'https://brand.example/holidays'],
      ['2028-01-06T14:59:00Z', 'https://brand.example/holidays'],
      ['2028-01-06T15:00:00Z', DEFAULT(g)], // the 7th in Tokyo
      ['2028-07-01T12:00:00Z', DEFAULT(g)],
    ];
    for (const [when, expected] of expectations) {
      at(when);
      expect(await scanLocation(`/01/${g}`), when).toBe(expected);
    }
  });

  it('days of week and time of day in a time zone, across the DST change', async () => {
    const g = await productWithRules(5, [
      {
        conditions: {
          days_of_week: ['sat', 'sun'],
          time_of_day: { start: '09:00', end: '12:00' },
          timezone: 'America/New_York',
        },
        ...to('https://brand.example/weekend-brunch'),
      },
    ]);
    // New York moves to EDT on Sunday 2026-03-08 at 02:00. 13:30 UTC is 08:30 EST on Saturday the
    // 7th (before the window) and 09:30 EDT on Sunday the 8th (inside it).
    at('2026-03-07T13:30:00Z');
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
    at('2026-03-08T13:30:00Z');
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/weekend-brunch');
    at('2026-03-07T14:30:00Z'); // 09:30 EST Saturday
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/weekend-brunch');
    at('2026-03-09T14:30:00Z'); // 10:30 EDT Monday
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
  });

  it('link types: an explicit ?linkType= is answered by the GS1 links unless a rule names it', async () => {
    const g = await productWithRules(6, [
      {
        order_index: 0,
        conditions: { link_types: ['gs1:recipeInfo'] },
        ...to('https://brand.example/recipes'),
      },
      { order_index: 1, ...to('https://brand.example/plain-scans') },
    ]);
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/plain-scans');
    expect(await scanLocation(`/01/${g}?linkType=gs1:pip`)).toBe(DEFAULT(g));
    expect(await scanLocation(`/01/${g}?linkType=https://gs1.org/voc/recipeInfo`)).toBe(
      'https://brand.example/recipes',
    );
    // Linksets always describe the GS1 links.
    const linkset = await call('GET', `/01/${g}?linkType=linkset`);
    expect(linkset.status).toBe(200);
    expect(await linkset.text()).not.toContain('brand.example');
  });

  it('expired: a scan past the date its own attributes carry reaches the "past its date" page', async () => {
    const g = await productWithRules(60, [
      { conditions: { expired: true }, ...to('https://brand.example/past-its-date') },
      { conditions: { expired: false, countries: ['DE'] }, ...to('https://brand.example/de') },
    ]);
    at('2026-12-02T12:00:00Z');
    const past = 'https://brand.example/past-its-date';
    // Where the scan lands, without the query the rule passes on.
    const landing = async (...args: Parameters<typeof scanLocation>) =>
      (await scanLocation(...args))?.split('?')[0];
    expect(await landing(`/01/${g}/10/L1?17=261130`)).toBe(past);
    expect(await landing(`/01/${g}?15=260100`)).toBe(past); // best before 31 January
    expect(await landing(`/01/${g}?7003=2612021159`)).toBe(past);
    expect(await landing(`/01/${g}?17=261202`)).toBe(DEFAULT(g)); // its last day
    expect(await landing(`/01/${g}?7003=2612021201`)).toBe(DEFAULT(g));
    expect(await landing(`/01/${g}`)).toBe(DEFAULT(g));
    // expired: false holds for a fresh pack and for one that carries no date.
    expect(await landing(`/01/${g}?17=271231`, { cf: { country: 'DE' } })).toBe('https://brand.example/de');
    expect(await landing(`/01/${g}`, { cf: { country: 'DE' } })).toBe('https://brand.example/de');
    expect(await landing(`/01/${g}?17=261130`, { cf: { country: 'DE' } })).toBe(past);
    // The rule reads back as it was written.
    const { results } = await env.DB.prepare('SELECT conditions FROM resolution_rules WHERE gtin = ?')
      .bind(g)
      .all<{ conditions: string }>();
    expect(results.map((r) => JSON.parse(r.conditions).expired).sort()).toEqual([false, true]);
  });

  it('device class from the User-Agent', async () => {
    const g = await productWithRules(7, [
      { conditions: { device_classes: ['tablet', 'mobile'] }, ...to('https://brand.example/app') },
    ]);
    expect(await scanLocation(`/01/${g}`, { headers: { 'user-agent': UA.ipad } })).toBe(
      'https://brand.example/app',
    );
    expect(await scanLocation(`/01/${g}`, { headers: { 'user-agent': UA.iphone } })).toBe(
      'https://brand.example/app',
    );
    expect(await scanLocation(`/01/${g}`, { headers: { 'user-agent': UA.desktop } })).toBe(DEFAULT(g));
    expect(
      await scanLocation(`/01/${g}`, {
        headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
      }),
    ).toBe(DEFAULT(g));
  });

  it('product status: a recalled lot reaches the recall notice though the product is active', async () => {
    const g = await productWithRules(
      8,
      [{ conditions: { product_statuses: ['recalled'] }, destination: { type: 'hosted_page' } }],
      {
        recalledLots: [{ lot: 'BAD1', reason: 'Seal defect' }],
      },
    );
    expect(await scanLocation(`/01/${g}/10/BAD1`)).toBe(`${ORIGIN}/p/01/${g}/10/BAD1`);
    expect(await scanLocation(`/01/${g}/10/BAD1/21/SER9`)).toBe(`${ORIGIN}/p/01/${g}/10/BAD1`);
    expect(await scanLocation(`/01/${g}/10/GOOD1`)).toBe(DEFAULT(g));
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
    const page = await call('GET', `/p/01/${g}/10/BAD1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Recall notice: lot BAD1');
  });

  it('product status of the product itself: recalled and discontinued', async () => {
    const recalled = await productWithRules(
      9,
      [{ conditions: { product_statuses: ['recalled'] }, destination: { type: 'hosted_page' } }],
      { status: 'recalled' },
    );
    expect(await scanLocation(`/01/${recalled}/10/ANY`)).toBe(`${ORIGIN}/p/01/${recalled}/10/ANY`);
    const discontinued = await productWithRules(
      10,
      [{ conditions: { product_statuses: ['discontinued'] }, ...to('https://brand.example/successor') }],
      { status: 'discontinued' },
    );
    expect(await scanLocation(`/01/${discontinued}`)).toBe('https://brand.example/successor');
  });
});

describe('rule order and destinations', () => {
  it('the most specific scope wins: SERIAL > BATCH > PRODUCT > BRAND > ORGANIZATION', async () => {
    const own = await orgWithBrand('Scope Order Foods');
    const g = gtin(11);
    await addProduct(own.ownerKey, { gtin: g, brandId: own.brandId, defaultLink: DEFAULT(g) });
    const other = gtin(12); // same organisation, another brand-less product
    await addProduct(own.ownerKey, { gtin: other, defaultLink: DEFAULT(other) });
    const page = (name: string) => ({ destination: { type: 'url', url: `https://brand.example/${name}` } });
    await postRule(own.ownerKey, { scope: 'ORGANIZATION', ...page('organization') });
    await postRule(own.ownerKey, { scope: 'BRAND', brand_id: own.brandId, ...page('brand') });
    await postRule(own.ownerKey, { scope: 'PRODUCT', gtin: g, ...page('product') });
    await postRule(own.ownerKey, { scope: 'BATCH', gtin: g, lot: 'L1', ...page('batch') });
    await postRule(own.ownerKey, { scope: 'SERIAL', gtin: g, serial: 'S1', ...page('serial') });
    expect(await scanLocation(`/01/${g}/10/L1/21/S1`)).toBe('https://brand.example/serial');
    expect(await scanLocation(`/01/${g}/21/S1`)).toBe('https://brand.example/serial');
    expect(await scanLocation(`/01/${g}/10/L1/21/S2`)).toBe('https://brand.example/batch');
    expect(await scanLocation(`/01/${g}/10/L2`)).toBe('https://brand.example/product');
    expect(await scanLocation(`/01/${other}`)).toBe('https://brand.example/organization');

    const product = (
      await (
        await call('GET', `/v1/rules?scope=PRODUCT&gtin=${g}`, { key: own.ownerKey })
      ).json<{ data: { id: string }[] }>()
    ).data[0]!;
    await call('PATCH', `/v1/rules/${product.id}`, { key: own.ownerKey, body: { enabled: false } });
    expect(await scanLocation(`/01/${g}/10/L2`)).toBe('https://brand.example/brand');
  });

  it('order_index decides within a scope, and a reorder takes effect at once', async () => {
    const g = await productWithRules(13, [
      { order_index: 0, conditions: { countries: ['DE'] }, ...to('https://brand.example/de') },
      { order_index: 1, ...to('https://brand.example/everyone') },
    ]);
    expect(await scanLocation(`/01/${g}`, { cf: { country: 'DE' } })).toBe('https://brand.example/de');
    const ids = (
      await (
        await call('GET', `/v1/rules?gtin=${g}`, { key: org.ownerKey })
      ).json<{ data: { id: string }[] }>()
    ).data.map((r) => r.id);
    await call('POST', '/v1/rules/reorder', { key: org.ownerKey, body: { rule_ids: [ids[1], ids[0]] } });
    expect(await scanLocation(`/01/${g}`, { cf: { country: 'DE' } })).toBe('https://brand.example/everyone');
  });

  it('fills template values and passes the query string on (unless forward_query is false)', async () => {
    const g = await productWithRules(14, [
      {
        order_index: 0,
        conditions: { countries: ['NL'] },
        destination: {
          type: 'url',
          url: 'https://brand.example/{gtin}/{lot}?s={serial}&exp={17}',
          forward_query: false,
        },
      },
      { order_index: 1, destination: { type: 'url', url: 'https://brand.example/p#top' } },
    ]);
    expect(await scanLocation(`/01/${g}/10/A%26B/21/S1?17=271231&utm=pack`, { cf: { country: 'NL' } })).toBe(
      `https://brand.example/${g}/A%26B?s=S1&exp=271231`,
    );
    expect(await scanLocation(`/01/${g}?utm=pack&linkType=gs1:defaultLink`)).toBe(
      'https://brand.example/p?utm=pack#top',
    );
  });
});

describe('the global fallback', () => {
  it('a catalog product without any GS1 link reaches its hosted page; an unknown GTIN is still a 404', async () => {
    const g = gtin(15);
    await addProduct(org.ownerKey, { gtin: g, brandId: org.brandId });
    const res = await call('GET', `/01/${g}/10/LOT7?utm=x`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`${ORIGIN}/p/01/${g}/10/LOT7`);
    expect(res.headers.get('link')).toContain('rel="linkset"');
    expect((await call('GET', `/p/01/${g}/10/LOT7`)).status).toBe(200);
    // GS1's own answers stay: an asked-for link type that does not exist, or a linkset of nothing, are 404s.
    await expectError(await call('GET', `/01/${g}?linkType=gs1:pip`), 404, 'not_found');
    await expectError(await call('GET', `/01/${g}?linkType=linkset`), 404, 'not_found');
    await expectError(await call('GET', `/01/${gtin(16)}`), 404, 'not_found');
  });

  it('a rule that sends to the hosted page is skipped for a GTIN not in the catalog', async () => {
    const g = gtin(17);
    await addDefaultLink(org.ownerKey, g, DEFAULT(g));
    await postRule(org.ownerKey, { scope: 'PRODUCT', gtin: g, destination: { type: 'hosted_page' } });
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
  });
});

describe('freshness', () => {
  it('a rule change reaches the resolver of this isolate at once, and a change from elsewhere within the TTL', async () => {
    const g = await productWithRules(18, [{ ...to('https://brand.example/v1') }]);
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/v1');
    const [rule] = (
      await (
        await call('GET', `/v1/rules?gtin=${g}`, { key: org.ownerKey })
      ).json<{ data: { id: string }[] }>()
    ).data;
    await call('PATCH', `/v1/rules/${rule!.id}`, {
      key: org.ownerKey,
      body: { destination: { type: 'url', url: 'https://brand.example/v2' } },
    });
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/v2'); // the writing isolate: at once

    // Another isolate's write (straight to D1, no invalidation here) shows once the entry expires.
    at(new Date().toISOString());
    await env.DB.prepare('UPDATE resolution_rules SET destination_url = ? WHERE id = ?')
      .bind('https://brand.example/v3', rule!.id)
      .run();
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/v2');
    vi.setSystemTime(Date.now() + 60_000); // RESOLVER_CACHE_TTL_SECONDS = 60
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/v3');
  });

  it('deleting or disabling a rule reaches the resolver at once', async () => {
    const g = await productWithRules(19, [{ ...to('https://brand.example/gone-soon') }]);
    expect(await scanLocation(`/01/${g}`)).toBe('https://brand.example/gone-soon');
    const [rule] = (
      await (
        await call('GET', `/v1/rules?gtin=${g}`, { key: org.ownerKey })
      ).json<{ data: { id: string }[] }>()
    ).data;
    await call('DELETE', `/v1/rules/${rule!.id}`, { key: org.ownerKey });
    expect(await scanLocation(`/01/${g}`)).toBe(DEFAULT(g));
  });
});
