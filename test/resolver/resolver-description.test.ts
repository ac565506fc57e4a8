// The resolver description file (/.well-known/gs1resolver), statement by statement against what
// the resolver does: each claim below is checked with requests through the Worker.
import { Validator } from '@cfworker/json-schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link';
import { normalizeLinkType } from '../../src/digital-link/link-types';
import descriptionSchema from '../fixtures/resolver/description-file-schema.json';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, ORIGIN } from '../support/http';

interface Description {
  resolverRoot: string;
  supportedLinkType: { namespace: string; prefix: string }[];
  supportedPrimaryKeys: string[];
  linkTypeDefaultCanBeLinkset: boolean;
  linkTypeDefaultCanBeAll: boolean;
  supportsLanguageVariants: boolean;
  supportsSemanticInterpretation: boolean;
  validatesAIcombinations: boolean;
  activeLinkTypes: { en: Record<string, { title: string; url: string }> };
}

let description: Description;
const GTIN = '/01/09506000134352';

beforeAll(async () => {
  await orgWithDemoLinks();
  const res = await call('GET', '/.well-known/gs1resolver', { headers: { accept: 'application/json' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  description = await res.json<Description>();
});

// A valid value for every primary key of the Syntax Dictionary (check digits computed).
const KEY_SAMPLES: Record<string, string> = {
  '00': withCheckDigit('09506000134300001'),
  '01': '09506000134505',
  '253': `${withCheckDigit('950600013435')}ABC`,
  '255': withCheckDigit('950600013435'),
  '401': '9506000ABC123',
  '402': withCheckDigit('9506000134350000'),
  '414': withCheckDigit('950600013435'),
  '415': withCheckDigit('950600013436'),
  '417': withCheckDigit('950600013437'),
  '8003': `0${withCheckDigit('950600013435')}ABC`,
  '8004': '9506000134352ABC',
  '8006': `${withCheckDigit('0950600013435')}0102`,
  '8010': '9506000ABC',
  '8013': '1987654Ad4X4bL5ttr2310c2K',
  '8017': withCheckDigit('95060001343500001'),
  '8018': withCheckDigit('95060001343500002'),
};

describe('the description file', () => {
  it('has the fields the schema asks for (draft-07)', () => {
    expect(descriptionSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(descriptionSchema.$id).toBeTruthy();
    const result = new Validator(descriptionSchema as object, '7', false).validate(description);
    expect(result.errors).toEqual([]);
    expect(description.resolverRoot).toBe(ORIGIN);
  });

  it('supportedPrimaryKeys: every key listed is resolved (a valid unknown one is a 404, never a 400)', async () => {
    expect([...description.supportedPrimaryKeys].sort()).toEqual(Object.keys(KEY_SAMPLES).sort());
    for (const ai of description.supportedPrimaryKeys) {
      const res = await call('GET', `/${ai}/${KEY_SAMPLES[ai]}`);
      expect([ai, res.status]).toEqual([ai, 404]);
    }
  });

  it('supportedLinkType: gs1: and its namespace both name a link type', async () => {
    const [{ namespace, prefix }] = description.supportedLinkType as [{ namespace: string; prefix: string }];
    const a = await call('GET', `${GTIN}?linkType=${prefix}recipeInfo`, {
      headers: { 'accept-language': 'es' },
    });
    const b = await call('GET', `${GTIN}?linkType=${encodeURIComponent(`${namespace}recipeInfo`)}`, {
      headers: { 'accept-language': 'es' },
    });
    expect(a.status).toBe(307);
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
  });

  it('linkTypeDefaultCanBeLinkset and linkTypeDefaultCanBeAll: both answer the linkset', async () => {
    expect(description.linkTypeDefaultCanBeLinkset && description.linkTypeDefaultCanBeAll).toBe(true);
    for (const linkType of ['linkset', 'all']) {
      const res = await call('GET', `${GTIN}?linkType=${linkType}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/linkset\+json/);
    }
  });

  it('supportsLanguageVariants: Accept-Language chooses among links of one type', async () => {
    expect(description.supportsLanguageVariants).toBe(true);
    const es = await call('GET', `${GTIN}?linkType=gs1:pip`, { headers: { 'accept-language': 'es' } });
    const ja = await call('GET', `${GTIN}?linkType=gs1:pip`, { headers: { 'accept-language': 'ja' } });
    expect(es.status).toBe(307);
    expect(ja.status).toBe(307);
    expect(es.headers.get('location')).not.toBe(ja.headers.get('location'));
  });

  it('supportsSemanticInterpretation is false: a JSON-LD request gets no semantic description', async () => {
    expect(description.supportsSemanticInterpretation).toBe(false);
    const res = await call('GET', GTIN, { headers: { accept: 'application/ld+json' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/ld\+json/);
  });

  it('validatesAIcombinations is false: mandatory associations are not judged, exclusions are', async () => {
    expect(description.validatesAIcombinations).toBe(false);
    // (3922) needs a (30) or (31nn) measure on the item; a scan of one carrier may not show it.
    expect((await call('GET', `${GTIN}?3922=0299`)).status).toBe(307);
    // (01) and (02) may never appear together.
    expect((await call('GET', `${GTIN}?02=09506000134352`)).status).toBe(400);
  });

  it('activeLinkTypes: each is a link type the resolver accepts in ?linkType=', async () => {
    const curies = Object.keys(description.activeLinkTypes.en);
    expect(curies.length).toBeGreaterThan(30);
    for (const curie of curies) {
      expect(normalizeLinkType(curie)).toEqual({ ok: true, linkType: curie });
      expect(description.activeLinkTypes.en[curie]!.url).toBe(`https://gs1.org/voc/${curie.slice(4)}`);
    }
    for (const curie of curies.slice(0, 10)) {
      expect([307, 300, 404]).toContain((await call('GET', `${GTIN}?linkType=${curie}`)).status);
    }
  });
});
