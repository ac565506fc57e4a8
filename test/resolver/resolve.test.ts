import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDigitalLinkPath } from '../../src/digital-link';
import { invalidateResolverKey } from '../../src/resolver/entity-store';
import { type ResolveRequest, resolveDigitalLink } from '../../src/resolver/resolve';
import { scanClientOf } from '../../src/rules/brand-resolution';
import { invalidateScanRules } from '../../src/rules/scan-rules';
import { createOrganization } from '../support/accounts';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, expectError } from '../support/http';

const GTIN = '/01/09506000134352';
const SERIALISED = '/01/09506000134376';
const OWN = '09506000134499'; // a GTIN of this test file's own organisation

beforeAll(async () => {
  await orgWithDemoLinks();
  const org = await createOrganization('Templates Inc');
  const res = await call('POST', '/v1/links/bulk', {
    key: org.ownerKey,
    body: {
      entries: [
        {
          anchor: `/01/${OWN}`,
          item_description: 'Own product',
          links: [
            { link_type: 'gs1:pip', href: 'https://own.example/p?exp={17}#top', title: 'PIP', default: true },
            {
              link_type: 'gs1:instructions',
              href: 'https://own.example/manual',
              title: 'Manual',
              forward_query: false,
            },
            { link_type: 'gs1:recipeInfo', href: 'https://own.example/r/en', title: 'R', hreflang: ['en'] },
            { link_type: 'gs1:recipeInfo', href: 'https://own.example/r/en2', title: 'R', hreflang: ['en'] },
          ],
        },
        {
          anchor: `/01/${OWN}/10/{batch}`,
          item_description: 'Own product, any lot',
          links: [
            {
              link_type: 'gs1:pip',
              href: 'https://own.example/lot/{batch}?gtin={gtin}&lot={lot}',
              title: 'Lot page',
            },
          ],
        },
      ],
    },
  });
  expect(res.status).toBe(200);
});

describe('resolving', () => {
  it('answers HEAD like GET, without a body', async () => {
    const res = await call('HEAD', GTIN);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe((await call('GET', GTIN)).headers.get('location'));
    expect(await res.text()).toBe('');
  });

  it('404s a valid but unknown GTIN with the envelope, and no linkset Link: there is no linkset', async () => {
    const res = await call('GET', '/01/09506000134505');
    expect(res.headers.get('link')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const error = await expectError(res, 404, 'not_found');
    expect(error.message).toMatch(/No links/);
    // A known key without the asked link type does have a linkset, and says so.
    const noSuchType = await call('GET', '/01/09506000134352?linkType=gs1:nosuchlt');
    expect(noSuchType.status).toBe(404);
    expect(noSuchType.headers.get('link')).toContain('rel="linkset"');
  });

  it.each([
    ['/01/09506000134353', /check digit of \(01\) should be 2, got 3/],
    ['/01/12345', /./],
    ['/99/123', /./],
    ['/01/09506000134352/21/S/10/L', /before/],
    ['/01/09506000134352?17=261331', /not a real date/],
  ])('400s %s with a message that says what is wrong', async (path, message) => {
    const error = await expectError(await call('GET', path), 400, 'invalid_digital_link');
    expect(error.message).toMatch(message);
  });

  it('normalises a GTIN-13 and tolerates a trailing slash', async () => {
    const a = await call('GET', '/01/9506000134352/');
    expect(a.status).toBe(307);
    expect(a.headers.get('location')).toBe((await call('GET', GTIN)).headers.get('location'));
  });

  it('walks up from an unknown serial and lot to the GTIN without an extra redirect', async () => {
    const res = await call('GET', `${GTIN}/10/NOPE/21/ALSO-NOPE`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('dalgiardino.com/about/');
  });

  it('fills wildcard levels from the scan (GS1 sample: {serialnumber}, {lotnumber})', async () => {
    const serial = await call('GET', `${SERIALISED}/21/ABC-123`);
    expect(serial.headers.get('location')).toBe(
      'https://dalgiardino.com/medicinal-compound/pil.html?serial=ABC-123',
    );
    const lot = await call('GET', `${SERIALISED}/10/L%2F7`);
    expect(lot.headers.get('location')).toBe('https://dalgiardino.com/medicinal-compound/pil.html?lot=L%2F7');
  });

  it('fills {gtin}, {lot}, brand-named wildcards and data attributes, percent-encoded', async () => {
    const res = await call('GET', `/01/${OWN}/10/A%26B`);
    expect(res.headers.get('location')).toBe(`https://own.example/lot/A%26B?gtin=${OWN}&lot=A%26B`);
    const attr = await call('GET', `/01/${OWN}?17=261231`);
    expect(attr.headers.get('location')).toBe('https://own.example/p?exp=261231&17=261231#top');
  });

  it('passes the query string on (minus linkType), before any fragment, unless the link opts out', async () => {
    const res = await call('GET', `/01/${OWN}?utm_source=pack&linkType=gs1:pip`);
    expect(res.headers.get('location')).toBe('https://own.example/p?exp=&utm_source=pack#top');
    const optOut = await call('GET', `/01/${OWN}?utm_source=pack&linkType=gs1:instructions`);
    expect(optOut.headers.get('location')).toBe('https://own.example/manual');
  });

  it('accepts link types as CURIE or full URI', async () => {
    for (const lt of [
      'gs1:instructions',
      'https://gs1.org/voc/instructions',
      'https%3A%2F%2Fref.gs1.org%2Fvoc%2Finstructions',
    ]) {
      const res = await call('GET', `/01/${OWN}?linkType=${lt}`);
      expect(res.headers.get('location'), lt).toBe('https://own.example/manual');
    }
  });

  it('chooses by Accept-Language among links of one type', async () => {
    const pick = async (lang: string) =>
      (await call('GET', `${GTIN}?linkType=gs1:pip`, { headers: { 'accept-language': lang } })).headers.get(
        'location',
      );
    expect(await pick('es-ES,es;q=0.9')).toContain('index.html.es');
    expect(await pick('ja')).toContain('index.html.ja');
    expect(await pick('en-US')).toContain('test_lang=en-US');
    expect(await pick('fr;q=1, vi;q=0.5')).toContain('index.html.vi');
  });

  it('uses the default link when the language cannot decide, for a plain scan', async () => {
    const res = await call('GET', GTIN, { headers: { 'accept-language': 'de-DE' } });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(
      'https://dalgiardino.com/about/?test_lt=gs1:sustainabilityInfo&test_lang=en',
    );
  });

  it('answers 300 Multiple Choices when an asked-for type has equally good links', async () => {
    const res = await call('GET', `/01/${OWN}?linkType=gs1:recipeInfo`, {
      headers: { 'accept-language': 'en' },
    });
    expect(res.status).toBe(300);
    const body = await res.json<{ linkset: Record<string, { href: string }[]>[] }>();
    expect(body.linkset[0]!['https://gs1.org/voc/recipeInfo']!.map((l) => l.href)).toEqual([
      'https://own.example/r/en',
      'https://own.example/r/en2',
    ]);
  });

  it('falls back to a language-neutral ("und") link for an unmatched language', async () => {
    const res = await call('GET', `${SERIALISED}?linkType=gs1:registerProduct`, {
      headers: { 'accept-language': 'fr' },
    });
    expect(res.headers.get('location')).toContain('register=non-English');
  });

  it('resolves a GIAI registered as a prefix ({1} = the rest) and a fixed GIAI exactly', async () => {
    const variable = await call('GET', '/8004/0950600013439876');
    expect(variable.status).toBe(307);
    expect(variable.headers.get('location')).toBe(
      'https://dalgiardino.com/medicinal-compound/assets?giai=0950600013439876',
    );
    const fixed = await call('GET', '/8004/0950600013430000001');
    expect(fixed.headers.get('location')).toBe(
      'https://dalgiardino.com/medicinal-compound/assets/8004/0950600013430000001.html',
    );
    expect((await call('GET', '/8004/0950700000001')).status).toBe(404);
  });

  it('serves the linkset with every level up to the key, anchored at the uncompressed URIs', async () => {
    const res = await call('GET', `${SERIALISED}/10/LOT9?linkType=linkset`);
    const body = await res.json<{ linkset: { anchor: string }[] }>();
    expect(body.linkset.map((e) => e.anchor)).toEqual([
      'https://dl.example.test/01/09506000134376/10/LOT9',
      'https://dl.example.test/01/09506000134376',
    ]);
  });

  it('describes itself at the root path without treating it as a Digital Link', async () => {
    const res = await call('GET', '/');
    expect(res.status).toBe(200);
  });
});

describe('the warm path', () => {
  const scan = (path: string): ResolveRequest => {
    const parsed = parseDigitalLinkPath(path, '', { permitZeroSuppressedGTIN: true });
    if (!parsed.ok) throw new Error(parsed.error.message);
    return {
      link: parsed.link,
      origin: 'https://resolver.example',
      rawQuery: '',
      wantsLinkset: false,
      client: scanClientOf(new Request('https://resolver.example/')),
    };
  };

  it('answers a scan whose links and rules are in the isolate without a promise, and a cold one with', async () => {
    invalidateResolverKey('01', OWN);
    invalidateScanRules(OWN);
    const cold = resolveDigitalLink(env.DB, scan(`/01/${OWN}/10/L1`));
    expect(cold).toBeInstanceOf(Promise);
    const loaded = await cold;
    // Another lot of the same GTIN: its levels are known from the cached stored-path set.
    const warm = resolveDigitalLink(env.DB, scan(`/01/${OWN}/10/L2`));
    expect(warm).not.toBeInstanceOf(Promise);
    expect(loaded).toMatchObject({
      kind: 'redirect',
      location: `https://own.example/lot/L1?gtin=${OWN}&lot=L1`,
    });
    expect(warm).toMatchObject({
      kind: 'redirect',
      location: `https://own.example/lot/L2?gtin=${OWN}&lot=L2`,
    });
  });
});
