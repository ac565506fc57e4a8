// Which link answers, by language, through the Worker: the link in no particular language first
// when the request states none or none of its languages is offered; gs1:defaultLinkMulti as a set
// of defaults the request tells apart; 300 only for links the request cannot tell apart.
import { Validator } from '@cfworker/json-schema';
import { beforeAll, describe, expect, it } from 'vitest';
import gs1LinksetSchema from '../fixtures/gs1/linkset/gs1-linkset-schema.json';
import { createOrganization } from '../support/accounts';
import { runPerLinkChecks } from '../support/gs1-suite';
import { call, ORIGIN } from '../support/http';
import { testGtin } from '../support/rules';

// This file's GTINs: testGtin(32_000 + n).
const NEUTRAL = testGtin(32_001);
const MULTI = testGtin(32_002);
const NO_NEUTRAL = testGtin(32_003);
const MULTI_LOT = testGtin(32_004);

const page = (gtin: string, name: string) => `https://brand.example/${gtin}/${name}`;

beforeAll(async () => {
  const org = await createOrganization('Many Languages Foods');
  const entries = [
    {
      anchor: `/01/${NEUTRAL}`,
      item_description: 'Neutral first',
      links: [
        {
          link_type: 'gs1:pip',
          href: page(NEUTRAL, 'pip-en'),
          title: 'Product',
          hreflang: ['en'],
          default: true,
        },
        { link_type: 'gs1:pip', href: page(NEUTRAL, 'pip-fr'), title: 'Produit', hreflang: ['fr'] },
        { link_type: 'gs1:pip', href: page(NEUTRAL, 'pip'), title: 'Product (any language)' },
        { link_type: 'gs1:recipeInfo', href: page(NEUTRAL, 'recipe-de'), title: 'Rezept', hreflang: ['de'] },
        {
          link_type: 'gs1:recipeInfo',
          href: page(NEUTRAL, 'recipe-und'),
          title: 'Recipe',
          hreflang: ['und'],
        },
        { link_type: 'gs1:instructions', href: page(NEUTRAL, 'manual-a'), title: 'Manual' },
        { link_type: 'gs1:instructions', href: page(NEUTRAL, 'manual-b'), title: 'Manual' },
        {
          link_type: 'gs1:instructions',
          href: page(NEUTRAL, 'manual.pdf'),
          title: 'Manual (PDF)',
          media_type: 'application/pdf',
        },
      ],
    },
    {
      anchor: `/01/${MULTI}`,
      item_description: 'Defaults by language',
      links: [
        { link_type: 'gs1:pip', href: page(MULTI, 'pip'), title: 'Product', hreflang: ['en'], default: true },
        { link_type: 'gs1:defaultLinkMulti', href: page(MULTI, 'en'), title: 'Product', hreflang: ['en'] },
        {
          link_type: 'gs1:defaultLinkMulti',
          href: page(MULTI, 'fr'),
          title: 'Produit',
          hreflang: ['fr'],
          media_type: 'text/html',
        },
        { link_type: 'gs1:defaultLinkMulti', href: page(MULTI, 'ja'), title: '製品', hreflang: ['ja'] },
        {
          link_type: 'gs1:defaultLinkMulti',
          href: page(MULTI, 'fr.pdf'),
          title: 'Fiche',
          hreflang: ['fr'],
          media_type: 'application/pdf',
        },
        { link_type: 'gs1:pip', href: page(MULTI, 'pip-de'), title: 'Produkt', hreflang: ['de'] },
      ],
    },
    {
      anchor: `/01/${NO_NEUTRAL}`,
      item_description: 'Only language-specific links',
      links: [
        {
          link_type: 'gs1:pip',
          href: page(NO_NEUTRAL, 'en'),
          title: 'Product',
          hreflang: ['en'],
          default: true,
        },
        { link_type: 'gs1:pip', href: page(NO_NEUTRAL, 'fr'), title: 'Produit', hreflang: ['fr'] },
        { link_type: 'gs1:recipeInfo', href: page(NO_NEUTRAL, 'r-en'), title: 'Recipe', hreflang: ['en'] },
        { link_type: 'gs1:recipeInfo', href: page(NO_NEUTRAL, 'r-fr'), title: 'Recette', hreflang: ['fr'] },
      ],
    },
    {
      anchor: `/01/${MULTI_LOT}`,
      item_description: 'Product',
      links: [{ link_type: 'gs1:pip', href: page(MULTI_LOT, 'pip'), title: 'Product' }],
    },
    {
      anchor: `/01/${MULTI_LOT}/10/{lot}`,
      item_description: 'Product, any lot',
      links: [
        { link_type: 'gs1:pip', href: page(MULTI_LOT, 'lot/{lot}'), title: 'Lot', default: true },
        {
          link_type: 'gs1:defaultLinkMulti',
          href: page(MULTI_LOT, 'lot-en/{lot}'),
          title: 'Lot',
          hreflang: ['en'],
        },
        {
          link_type: 'gs1:defaultLinkMulti',
          href: page(MULTI_LOT, 'lot-es/{lot}'),
          title: 'Lote',
          hreflang: ['es'],
        },
      ],
    },
  ];
  const res = await call('POST', '/v1/links/bulk', { key: org.ownerKey, body: { entries } });
  expect(res.status, await res.clone().text()).toBe(200);
});

async function locationOf(path: string, headers: Record<string, string> = {}): Promise<string | null> {
  const res = await call('GET', path, { headers });
  expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(307);
  return res.headers.get('location');
}

describe('language-neutral links', () => {
  it.each([
    ['no Accept-Language', {}, 'pip'],
    ['an empty one', { 'accept-language': '' }, 'pip'],
    ['a language no link has', { 'accept-language': 'de-DE, de;q=0.9' }, 'pip'],
    ['only *', { 'accept-language': '*' }, 'pip'],
    ['a language no link has, then *', { 'accept-language': 'it, *;q=0.1' }, 'pip'],
    ['French', { 'accept-language': 'fr-CA, fr;q=0.9' }, 'pip-fr'],
    ['English, refusing French', { 'accept-language': 'fr;q=0, en' }, 'pip-en'],
  ])('?linkType=gs1:pip with %s', async (_case, headers, expected) => {
    expect(await locationOf(`/01/${NEUTRAL}?linkType=gs1:pip`, headers)).toBe(page(NEUTRAL, expected));
  });

  it('a link marked und counts as neutral', async () => {
    expect(await locationOf(`/01/${NEUTRAL}?linkType=gs1:recipeInfo`)).toBe(page(NEUTRAL, 'recipe-und'));
    expect(await locationOf(`/01/${NEUTRAL}?linkType=gs1:recipeInfo`, { 'accept-language': 'fr' })).toBe(
      page(NEUTRAL, 'recipe-und'),
    );
    expect(await locationOf(`/01/${NEUTRAL}?linkType=gs1:recipeInfo`, { 'accept-language': 'de' })).toBe(
      page(NEUTRAL, 'recipe-de'),
    );
  });

  it('a plain scan with no language gets the neutral link of the default type, before the English default', async () => {
    expect(await locationOf(`/01/${NEUTRAL}`)).toBe(page(NEUTRAL, 'pip'));
    expect(await locationOf(`/01/${NEUTRAL}`, { 'accept-language': 'en-GB' })).toBe(page(NEUTRAL, 'pip-en'));
    expect(await locationOf(`/01/${NEUTRAL}`, { 'accept-language': 'pt' })).toBe(page(NEUTRAL, 'pip'));
  });

  it('300 only for links the request cannot tell apart', async () => {
    const tie = await call('GET', `/01/${NEUTRAL}?linkType=gs1:instructions`, {
      headers: { accept: 'text/html' },
    });
    expect(tie.status).toBe(300);
    const body = await tie.json<{ linkset: Record<string, { href: string }[]>[] }>();
    expect(body.linkset[0]!['https://gs1.org/voc/instructions']!.map((l) => l.href)).toEqual([
      page(NEUTRAL, 'manual-a'),
      page(NEUTRAL, 'manual-b'),
      page(NEUTRAL, 'manual.pdf'),
    ]);
    expect(await locationOf(`/01/${NEUTRAL}?linkType=gs1:instructions`, { accept: 'application/pdf' })).toBe(
      page(NEUTRAL, 'manual.pdf'),
    );
    // No neutral link and no language stated: English and French are not equal, but nothing
    // in the request chooses between them.
    expect((await call('GET', `/01/${NO_NEUTRAL}?linkType=gs1:recipeInfo`)).status).toBe(300);
    expect(await locationOf(`/01/${NO_NEUTRAL}?linkType=gs1:recipeInfo`, { 'accept-language': 'fr' })).toBe(
      page(NO_NEUTRAL, 'r-fr'),
    );
    // A plain scan never gets a 300: the default link decides.
    expect(await locationOf(`/01/${NO_NEUTRAL}`, { 'accept-language': 'de' })).toBe(page(NO_NEUTRAL, 'en'));
  });
});

describe('gs1:defaultLinkMulti', () => {
  it.each([
    [{ 'accept-language': 'fr', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, 'fr'],
    [{ 'accept-language': 'ja-JP' }, 'ja'],
    [{ 'accept-language': 'en-US, fr;q=0.5' }, 'en'],
    [{ 'accept-language': 'fr', accept: 'application/pdf' }, 'fr.pdf'],
  ])('a plain scan with %j gets its own default', async (headers, expected) => {
    expect(await locationOf(`/01/${MULTI}`, headers)).toBe(page(MULTI, expected));
  });

  it('when the request cannot choose among them, the default link answers', async () => {
    expect(await locationOf(`/01/${MULTI}`)).toBe(page(MULTI, 'pip'));
    // French in two media types, and nothing to choose between them.
    expect(await locationOf(`/01/${MULTI}`, { 'accept-language': 'fr' })).toBe(page(MULTI, 'pip'));
    expect(await locationOf(`/01/${MULTI}`, { 'accept-language': 'de' })).toBe(page(MULTI, 'pip'));
  });

  it('?linkType=gs1:defaultLinkMulti chooses among the set; ?linkType=gs1:defaultLink is the default', async () => {
    expect(await locationOf(`/01/${MULTI}?linkType=gs1:defaultLinkMulti`, { 'accept-language': 'ja' })).toBe(
      page(MULTI, 'ja'),
    );
    expect(await locationOf(`/01/${MULTI}?linkType=gs1:defaultLink`, { 'accept-language': 'ja' })).toBe(
      page(MULTI, 'pip'),
    );
    expect(await locationOf(`/01/${MULTI}?linkType=https://gs1.org/voc/defaultLink`)).toBe(
      page(MULTI, 'pip'),
    );
  });

  it('at a lot level, with the scanned lot in the template', async () => {
    expect(await locationOf(`/01/${MULTI_LOT}/10/L9`, { 'accept-language': 'es' })).toBe(
      page(MULTI_LOT, 'lot-es/L9'),
    );
    expect(await locationOf(`/01/${MULTI_LOT}/10/L9`)).toBe(page(MULTI_LOT, 'lot/L9'));
  });

  it("the linkset shows the set beside the default link, valid against GS1's schema", async () => {
    const res = await call('GET', `/01/${MULTI}?linkType=linkset`);
    const body = await res.json<{ linkset: Record<string, unknown>[] }>();
    expect(new Validator(gs1LinksetSchema as object, '7', false).validate(body).errors).toEqual([]);
    const entry = body.linkset[0]!;
    expect((entry['https://gs1.org/voc/defaultLink'] as { href: string }[]).map((l) => l.href)).toEqual([
      page(MULTI, 'pip'),
    ]);
    expect((entry['https://gs1.org/voc/defaultLinkMulti'] as { href: string }[]).map((l) => l.href)).toEqual([
      page(MULTI, 'en'),
      page(MULTI, 'fr'),
      page(MULTI, 'ja'),
      page(MULTI, 'fr.pdf'),
    ]);
  });

  it("passes GS1's per-link checks (each defaultLinkMulti link asked for with no linkType)", async () => {
    for (const path of [`/01/${MULTI}`, `/01/${MULTI_LOT}/10/L9`]) {
      const results = await runPerLinkChecks(path, ORIGIN);
      expect(results.filter((r) => r.id.startsWith('loForgs1defaultLinkMulti')).length).toBeGreaterThan(1);
      expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    }
  });
});
