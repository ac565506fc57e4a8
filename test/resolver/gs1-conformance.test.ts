// Every check of GS1's resolver test suite (see test/fixtures/gs1/README.md), through the Worker,
// against the demo data (GS1's own Resolver CE samples) and the suite's model linkset.
import { Validator } from '@cfworker/json-schema';
import LinkHeader from 'http-link-header';
import { beforeAll, describe, expect, it } from 'vitest';
import gs1LinksetSchema from '../fixtures/gs1/linkset/gs1-linkset-schema.json';
import invalidGs1Example from '../fixtures/gs1/linkset/invalid-gs1-example.json';
import validGs1Example from '../fixtures/gs1/linkset/valid-gs1-example.json';
import modelLinkset from '../fixtures/gs1/resolver-suite/modelLinkset.json';
import { orgWithDemoLinks } from '../support/demo-links';
import { runPerLinkChecks } from '../support/gs1-suite';
import { call, ORIGIN } from '../support/http';

const validator = new Validator(gs1LinksetSchema as object, '7', false);
const GTIN = '/01/09506000134352';
const MODEL_GTIN = '/01/09506000164908';

/** The suite's model linkset, written through the links API (its `defaultLink` marks the default). */
function modelLinksetEntries() {
  return modelLinkset.linkset.map((entry) => {
    const record = entry as unknown as Record<string, unknown> & { anchor: string; itemDescription: string };
    const defaultHref = (record['https://ref.gs1.org/voc/defaultLink'] as { href: string }[] | undefined)?.[0]
      ?.href;
    const links = Object.entries(record)
      .filter(([k]) => k.startsWith('https://ref.gs1.org/voc/') && !k.endsWith('/defaultLink'))
      .flatMap(([type, objects]) =>
        (
          objects as { href: string; title: string; type?: string; hreflang?: string[]; context?: string[] }[]
        ).map((o) => ({
          link_type: type,
          href: o.href,
          title: o.title,
          ...(o.type ? { media_type: o.type } : {}),
          ...(o.hreflang ? { hreflang: o.hreflang } : {}),
          ...(o.context ? { context: o.context } : {}),
        })),
      );
    const defaultIndex = defaultHref ? links.findIndex((l) => l.href === defaultHref) : 0;
    return {
      anchor: record.anchor.replace('https://id.gs1.org', ''),
      item_description: record.itemDescription,
      links: links.map((l, i) => ({ ...l, default: i === defaultIndex })),
    };
  });
}

beforeAll(async () => {
  const org = await orgWithDemoLinks();
  const res = await call('POST', '/v1/links/bulk', {
    key: org.ownerKey,
    body: { entries: modelLinksetEntries() },
  });
  expect(res.status).toBe(200);
});

describe('the linkset schema validator itself', () => {
  it("accepts GS1's valid examples and rejects the invalid one", () => {
    expect(validator.validate(validGs1Example).valid).toBe(true);
    expect(validator.validate(modelLinkset).valid).toBe(true);
    expect(validator.validate(invalidGs1Example).valid).toBe(false);
  });
});

describe('GS1 resolver test suite checks', () => {
  it('basicWalkUp: an unknown lot of a known GTIN is not a 404', async () => {
    const res = await call('GET', `${GTIN}/10/KL8G`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe((await call('GET', GTIN)).headers.get('location'));
  });

  it('rdFile: /.well-known/gs1resolver is JSON with CORS', async () => {
    const res = await call('GET', '/.well-known/gs1resolver', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      name: 'Digital Link Edge',
      resolverRoot: ORIGIN,
      linkTypeDefaultCanBeLinkset: true,
    });
    expect(body.supportedPrimaryKeys).toEqual(
      expect.arrayContaining(['01', '00', '414', '8004', '8003', '8006']),
    );
  });

  it('corsCheck, methodsCheck, linkOnRedirect, legacyLinkHeaders: one OPTIONS response', async () => {
    const res = await call('OPTIONS', GTIN, {
      headers: {
        origin: 'https://ref.gs1.org/test-suites/resolver/',
        'access-control-request-method': 'GET,HEAD,OPTIONS',
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(methods).toContain(m);
    const link = res.headers.get('link') ?? '';
    expect(link.split('",').some((v) => v.includes('rel="linkset"'))).toBe(true);
    expect(link).not.toContain('rel="gs1:');
  });

  it('reportWith400, noErrorWith200: an unpaired path segment is a 400 with the envelope', async () => {
    const res = await call('GET', `${GTIN}/foo`);
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('invalid_digital_link');
    expect(body.error.message.length).toBeGreaterThan(5);
  });

  it('trailingSlash: with and without a trailing slash answer alike', async () => {
    const a = await call('GET', GTIN);
    const b = await call('GET', `${GTIN}/`);
    expect(b.status).toBe(a.status);
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
  });

  it('qsPassedOn: the query string reaches the redirect target', async () => {
    const res = await call('GET', `${GTIN}?foo=bar`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('foo=bar');
  });

  it('ltLinksetNoRedirect: ?linkType=linkset answers 200 with the linkset', async () => {
    const res = await call('GET', `${GTIN}?linkType=linkset`);
    expect(res.status).toBe(200);
    expect(validator.validate(await res.json()).valid).toBe(true);
  });

  it('ltAcceptHeader: Accept: application/linkset+json (with the deprecated ?linkType=all) answers 200', async () => {
    const res = await call('GET', `${GTIN}?linkType=all`, {
      headers: { accept: 'application/linkset+json', 'accept-language': '' },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    GTIN,
    '/01/09506000134376',
    '/01/09506000134376/10/LOT1',
    '/01/09506000134376/21/SER1',
    '/8004/0950600013430000001',
    MODEL_GTIN,
    `${MODEL_GTIN}/21/1234`,
  ])('validLinkset, linksetJsonldCheck, declaredContentType for %s', async (path) => {
    const res = await call('GET', path, { headers: { accept: 'application/linkset+json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/linkset\+json/);
    const result = validator.validate(await res.json());
    expect(result.errors).toEqual([]);
    const parts = (res.headers.get('link') ?? '').split(',');
    expect(
      parts.some(
        (p) =>
          p.includes('rel="http://www.w3.org/ns/json-ld#context"') &&
          p.includes('type="application/ld+json"'),
      ),
    ).toBe(true);
    // A standard parser reads our Link header the same way.
    expect(LinkHeader.parse(res.headers.get('link')!).get('rel', 'linkset')[0]?.uri).toBe(
      `${ORIGIN}${path}?linkType=linkset`,
    );
  });

  it.each([
    [GTIN],
    ['/01/09506000134376'],
    ['/01/09506000134376/10/LOT1'],
    ['/01/09506000134376/21/SER1'],
    ['/8004/0950600013430000001'],
    [MODEL_GTIN],
    [`${MODEL_GTIN}/21/1234`],
  ])('per-link checks (defaultLink, loFor<type><n>): none fails for %s', async (path) => {
    const results = await runPerLinkChecks(path, ORIGIN);
    expect(results.length).toBeGreaterThan(1);
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    // The suite cannot send `context`, so two PDFs that differ only by context (the model
    // linkset's certificationInfo 5 and 6) can only be answered with 300: a warn, by its rules.
    const warns = results.filter((r) => r.status === 'warn').map((r) => r.id);
    expect(warns).toEqual(
      path.startsWith(MODEL_GTIN) ? ['loForgs1certificationInfo5', 'loForgs1certificationInfo6'] : [],
    );
  });

  it('a named context picks the link for it', async () => {
    const res = await call('GET', `${MODEL_GTIN}?linkType=gs1:certificationInfo&context=LK`, {
      headers: { accept: 'application/pdf', 'accept-language': 'en' },
    });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('https://certificate.example/003?context=LK');
  });

  it("the model linkset's ambiguous certificationInfo objects get 300 Multiple Choices", async () => {
    const res = await call('GET', `${MODEL_GTIN}?linkType=gs1:certificationInfo`, {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(300);
    const body = await res.json<{ linkset: Record<string, unknown>[] }>();
    expect((body.linkset[0]!['https://gs1.org/voc/certificationInfo'] as unknown[]).length).toBeGreaterThan(
      1,
    );
  });

  it('specificLinkTypeNotFound: an unknown link type is a 404', async () => {
    const res = await call('GET', `${GTIN}?linkType=gs1:nosuchlt`);
    expect(res.status).toBe(404);
    expect(res.headers.get('link')).toContain('rel="linkset"');
  });
});
