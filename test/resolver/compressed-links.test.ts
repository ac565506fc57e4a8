// Compressed Digital Links (GS1 Digital Link compression) through the Worker: a compressed path
// answers exactly as its uncompressed form, names that form with rel="owl:sameAs", and is recorded
// as it; a malformed one is a 400 that says what is wrong.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import LinkHeader from 'http-link-header';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompressOptions, compressDigitalLinkUri } from '../../src/digital-link';
import { createOrganization } from '../support/accounts';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, expectError, ORIGIN } from '../support/http';
import { addProduct, orgWithBrand, postRule, testGtin } from '../support/rules';
import { flush, scan } from '../support/scans';

/** The request path (and query) of the compressed form of `path`. */
function compressed(path: string, options: CompressOptions = {}): string {
  const out = compressDigitalLinkUri(`${ORIGIN}${path}`, options, { permitZeroSuppressedGTIN: true });
  if (!out.ok) throw new Error(`${path}: ${out.error.message}`);
  return out.uri.slice(ORIGIN.length);
}

function sameAs(res: Response): string | undefined {
  return LinkHeader.parse(res.headers.get('link') ?? '').get('rel', 'owl:sameAs')[0]?.uri;
}

/** Status, Location, body and the Link header without owl:sameAs: what must not differ. */
async function answerOf(res: Response) {
  const links = LinkHeader.parse(res.headers.get('link') ?? '');
  return {
    status: res.status,
    location: res.headers.get('location'),
    contentType: res.headers.get('content-type'),
    body: await res.text(),
    links: links.refs.filter((r) => r.rel !== 'owl:sameAs'),
  };
}

beforeAll(async () => {
  await orgWithDemoLinks();
});

// GS1's sample links (Resolver CE's Dal Giardino records), with data attributes and parameters.
const SAMPLES = [
  '/01/09506000134352',
  '/01/09506000134352?17=261231',
  '/01/09506000134376/10/LOT1',
  '/01/09506000134376/10/ABC123?17=271231&3103=000189',
  '/01/09506000134376/21/SER1',
  '/01/09506000134376/21/12345?17=261231&linkType=gs1:certificationInfo',
  '/01/09506000134376/10/LOT1/21/SER1?17=261231',
  '/01/09506000134352?linkType=gs1:recipeInfo',
  '/01/09506000134352?linkType=linkset',
  '/01/09506000134352?linkType=gs1:nosuchlt',
  '/01/09506000134505',
  '/8004/0950600013430000001',
];

const HEADERS: Record<string, string>[] = [
  {},
  { 'accept-language': 'es' },
  { 'accept-language': 'ja, en;q=0.5' },
  { accept: 'application/linkset+json' },
];

describe('a compressed Digital Link answers as its uncompressed form', () => {
  it.each(SAMPLES.flatMap((path) => HEADERS.map((headers) => [path, headers] as const)))(
    '%s %j',
    async (path, headers) => {
      for (const options of [
        {},
        { optimise: false },
        { compressOtherParameters: false },
      ] as CompressOptions[]) {
        const short = compressed(path, options);
        expect(short).not.toContain('/01/');
        const [plain, packed] = await Promise.all([
          call('GET', path, { headers }),
          call('GET', short, { headers }),
        ]);
        expect(await answerOf(packed)).toEqual(await answerOf(plain));
        expect(sameAs(plain)).toBeUndefined();
        const uncompressed = sameAs(packed);
        expect(uncompressed).toBeDefined();
        // The owl:sameAs URI is itself a Digital Link that answers the same.
        const again = await call('GET', uncompressed!.slice(ORIGIN.length), { headers });
        expect(await answerOf(again)).toEqual(await answerOf(await call('GET', path, { headers })));
      }
    },
  );

  it("GS1's own example string resolves without a redirect to its uncompressed form", async () => {
    // (01) 09506000134352 (10) ABC123 (21) XYZ789 (17) 271231, compressed by GS1's reference toolkit.
    const res = await call('GET', '/GhFKk4XBoI1XgkbMuwz356hG_g');
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).not.toContain(ORIGIN);
    expect(sameAs(res)).toBe(`${ORIGIN}/01/09506000134352/10/ABC123/21/XYZ789?17=271231`);
    const link = LinkHeader.parse(res.headers.get('link')!);
    expect(link.get('rel', 'linkset')[0]?.uri).toBe(
      `${ORIGIN}/01/09506000134352/10/ABC123/21/XYZ789?linkType=linkset`,
    );
    expect(res.headers.get('location')).toBe(
      (await call('GET', '/01/09506000134352/10/ABC123/21/XYZ789?17=271231')).headers.get('location'),
    );
  });

  it('walks up from an unknown lot, and anchors the linkset at the uncompressed levels', async () => {
    const res = await call('GET', compressed('/01/09506000134352/10/NOSUCH'), {
      headers: { accept: 'application/linkset+json' },
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ linkset: { anchor: string }[] }>();
    expect(body.linkset.map((l) => l.anchor)).toEqual([`${ORIGIN}/01/09506000134352`]);
    expect(res.headers.get('link')).toContain('rel="http://www.w3.org/ns/json-ld#context"');
    expect(sameAs(res)).toBe(`${ORIGIN}/01/09506000134352/10/NOSUCH`);
  });

  it('partially compressed (the key readable), with a stem and a trailing slash', async () => {
    const path = '/01/09506000134376/10/LOT1?17=261231';
    const expected = await answerOf(await call('GET', path));
    for (const short of [compressed(path, { keepPrimaryKey: true }), `${compressed(path)}/`]) {
      const res = await call('GET', short);
      expect(await answerOf(res)).toEqual(expected);
      expect(sameAs(res)).toBe(`${ORIGIN}${path}`);
    }
  });

  it('a query beyond the compressed part is passed on like any other', async () => {
    const res = await call('GET', `${compressed('/01/09506000134352')}?utm_source=label`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('utm_source=label');
    expect(sameAs(res)).toBe(`${ORIGIN}/01/09506000134352?utm_source=label`);
  });

  it('brand rules decide for a compressed scan as for the uncompressed one', async () => {
    const org = await orgWithBrand('Compressed Rules Foods');
    const gtin = testGtin(31_001);
    await addProduct(org.ownerKey, {
      gtin,
      brandId: org.brandId,
      defaultLink: `https://gs1.example/${gtin}`,
    });
    await postRule(org.ownerKey, {
      scope: 'PRODUCT',
      gtin,
      conditions: { languages: ['fr'] },
      destination: { type: 'url', url: 'https://brand.example/fr/{gtin}/{lot}' },
    });
    const french = { headers: { 'accept-language': 'fr' }, cf: { country: 'FR' } };
    const res = await call('GET', compressed(`/01/${gtin}/10/L7`), french);
    expect(res.headers.get('location')).toBe(`https://brand.example/fr/${gtin}/L7`);
    expect((await call('GET', compressed(`/01/${gtin}/10/L7`))).headers.get('location')).toBe(
      `https://gs1.example/${gtin}`,
    );
  });

  it('records the scan under the uncompressed key, lot, serial and attributes', async () => {
    // A GTIN no other test here scans, so no other request's batch is in flight for it.
    const org = await createOrganization('Compressed Scans Foods');
    const gtin = testGtin(31_002);
    const entity = {
      anchor: `/01/${gtin}`,
      item_description: 'Scanned compressed',
      links: [{ link_type: 'gs1:pip', href: `https://scanned.example/${gtin}`, title: 'PIP' }],
    };
    expect(
      (await call('POST', '/v1/links/bulk', { key: org.ownerKey, body: { entries: [entity] } })).status,
    ).toBe(200);
    const res = await scan(compressed(`/01/${gtin}/10/CMPLOT/21/CMPSER?17=261231&linkType=gs1:pip`), {
      headers: { 'cf-connecting-ip': '203.0.113.9' },
    });
    expect(res.status).toBe(307);
    expect(await flush('01', gtin)).toBe(true);
    const rows = (
      await env.DB.prepare(
        'SELECT key_ai, key_value, lot, serial, attributes, link_type FROM scan_events WHERE key_value = ?',
      )
        .bind(gtin)
        .all<Record<string, unknown>>()
    ).results;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      key_ai: '01',
      key_value: gtin,
      lot: 'CMPLOT',
      serial: 'CMPSER',
      link_type: 'gs1:pip',
    });
    expect(JSON.parse(String(rows[0]!.attributes))).toEqual({ '17': '261231' });
  });
});

describe('a malformed compressed Digital Link is a 400 that says what is wrong', () => {
  it.each([
    ['/ARFKk4XBo', /compressed GS1 Digital Link: it ends in the middle of \(01\)/],
    ['/4AAAAA', /code E0, which is neither an AI nor one of GS1's optimisation codes/],
    ['/BQAAAA', /AI starting 05/],
    ['/EP____________', /\(10\) claims 31 characters, more than its 20/],
    ['/cBF_____', /\(7011\), which GS1's compression table has no format for/],
    ['/ARFKk4XBwA', /decompressed Digital Link: check digit of \(01\)/],
  ])('%s', async (path, message) => {
    const error = await expectError(await call('GET', path), 400, 'invalid_digital_link');
    expect(error.message).toMatch(message);
  });

  it('random base64url paths never get a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), async (segment) => {
        const res = await call('GET', `/${segment}`);
        expect(res.status).toBeGreaterThanOrEqual(300);
        expect(res.status).toBeLessThan(500);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
