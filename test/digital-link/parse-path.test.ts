// What a resolver receives: parseDigitalLinkPath(url.pathname, url.search), stems, reserved and
// pass-through query parameters, the trailing-slash and convenience-alpha options.
import { describe, expect, it } from 'vitest';
import { type ParseOptions, parseDigitalLink, parseDigitalLinkPath } from '../../src/digital-link';

const RESOLVER: ParseOptions = { permitZeroSuppressedGTIN: true, permitTrailingSlash: true };
const GTIN = '09506000134352';

function parsePath(url: string, options: ParseOptions = RESOLVER) {
  const { pathname, search } = new URL(url);
  const outcome = parseDigitalLinkPath(pathname, search, options);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.link;
}

describe('parseDigitalLinkPath', () => {
  it('returns every part of a full link', () => {
    const link = parsePath(
      `https://id.example.com/01/${GTIN}/22/2A/10/ABC%2F1/21/12345?17=261231&3103=000500&linkType=gs1%3Apip&context=dlnkd&utm_source=qr+code&flag`,
    );
    expect(link).toEqual({
      primaryKey: { ai: '01', value: GTIN },
      qualifiers: [
        { ai: '22', value: '2A' },
        { ai: '10', value: 'ABC/1' },
        { ai: '21', value: '12345' },
      ],
      attributes: [
        { ai: '17', value: '261231' },
        { ai: '3103', value: '000500' },
      ],
      linkType: 'gs1:pip',
      context: 'dlnkd',
      extraParams: [
        ['utm_source', 'qr code'],
        ['flag', ''],
      ],
      stem: '',
    });
  });

  it('accepts the search string with or without its "?", and an empty one', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}`, '?17=261231')).toMatchObject({
      ok: true,
      link: { attributes: [{ ai: '17' }] },
    });
    expect(parseDigitalLinkPath(`/01/${GTIN}`, '17=261231')).toMatchObject({
      ok: true,
      link: { attributes: [{ ai: '17' }] },
    });
    expect(parseDigitalLinkPath(`/01/${GTIN}`, '')).toMatchObject({ ok: true, link: { attributes: [] } });
  });

  it.each([
    [`https://brand.example.com/products/01/${GTIN}`, '/products'],
    [`https://brand.example.com/a/b/c/01/${GTIN}/10/X`, '/a/b/c'],
    [`https://brand.example.com/00/faux/01/${GTIN}`, '/00/faux'],
    [`https://brand.example.com/01/${GTIN}`, ''],
  ])('finds the stem of %s', (url, stem) => {
    expect(parsePath(url).stem).toBe(stem);
  });

  it('passes repeated reserved parameters through after the first', () => {
    const link = parsePath(`https://a/01/${GTIN}?linkType=gs1:pip&linkType=gs1:epil`);
    expect(link.linkType).toBe('gs1:pip');
    expect(link.extraParams).toEqual([['linkType', 'gs1:epil']]);
  });

  it('keeps a non-UTF-8 pass-through value readable', () => {
    expect(parsePath(`https://a/01/${GTIN}?ref=%E9t%C3%A9`).extraParams).toEqual([['ref', '%E9t%C3%A9']]);
  });

  it('refuses what a URL object leaves unescaped but a Digital Link may not contain', () => {
    expect(parseDigitalLinkPath(`/01/${GTIN}/10/A^B`, '')).toMatchObject({
      ok: false,
      error: { code: 'illegal_character' },
    });
    expect(parseDigitalLinkPath(`01/${GTIN}`, '')).toMatchObject({
      ok: false,
      error: { code: 'missing_domain_or_path' },
    });
  });
});

describe('trailing slash', () => {
  it.each([`https://a/01/${GTIN}/`, `https://a/01/${GTIN}/10/ABC/`, `https://a/stem/00/006141411234567890/`])(
    'refuses %s by default and accepts it with permitTrailingSlash',
    (uri) => {
      expect(parseDigitalLink(uri)).toMatchObject({ ok: false, error: { code: 'no_primary_key' } });
      expect(parseDigitalLink(uri, { permitTrailingSlash: true }).ok).toBe(true);
    },
  );

  it('allows one trailing slash, not two', () => {
    expect(parseDigitalLink(`https://a/01/${GTIN}//`, { permitTrailingSlash: true }).ok).toBe(false);
  });
});

describe('convenience alphas (deprecated), only with permitConvenienceAlphas', () => {
  it.each([
    [
      `https://a/gtin/${GTIN}/lot/ABC/ser/123`,
      { ai: '01', value: GTIN },
      [
        { ai: '10', value: 'ABC' },
        { ai: '21', value: '123' },
      ],
    ],
    ['https://a/sscc/006141411234567890', { ai: '00', value: '006141411234567890' }, []],
    [
      'https://a/gln/9520123456788/glnx/A1',
      { ai: '414', value: '9520123456788' },
      [{ ai: '254', value: 'A1' }],
    ],
  ])('reads %s', (uri, primaryKey, qualifiers) => {
    expect(parseDigitalLink(uri)).toMatchObject({ ok: false, error: { code: 'no_primary_key' } });
    expect(parseDigitalLink(uri, { permitConvenienceAlphas: true })).toMatchObject({
      ok: true,
      link: { primaryKey, qualifiers },
    });
  });
});

describe('limits', () => {
  const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&');

  it('allows 64 AIs and parameters in all, and says "Too many AIs" at 65', () => {
    expect(parseDigitalLink(`https://a/01/${GTIN}?${params(63)}`).ok).toBe(true);
    expect(parseDigitalLink(`https://a/01/${GTIN}?${params(64)}`)).toMatchObject({
      ok: false,
      error: { code: 'too_many_ais', message: expect.stringMatching(/^Too many AIs/) },
    });
  });

  it('ignores empty parameters and the fragment', () => {
    expect(parseDigitalLink(`https://a/01/${GTIN}?&&17=261231&&#frag?99=x`)).toMatchObject({
      ok: true,
      link: { attributes: [{ ai: '17', value: '261231' }], extraParams: [] },
    });
  });
});
