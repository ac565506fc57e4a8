import { describe, expect, it } from 'vitest';
import { chooseLink } from './negotiate-link';
import type { ResolverLink } from './resolver-types';

let n = 0;
const link = (over: Partial<ResolverLink> = {}): ResolverLink => ({
  id: `l${n++}`,
  linkType: 'gs1:pip',
  href: `https://x.example/${n}`,
  title: 't',
  hreflang: [],
  context: [],
  mediaType: null,
  isDefault: false,
  forwardQuery: true,
  ...over,
});

describe('chooseLink', () => {
  const en = link({ hreflang: ['en'] });
  const enUS = link({ hreflang: ['en-US'] });
  const fr = link({ hreflang: ['fr'] });
  const und = link({ hreflang: ['und'] });

  it.each([
    ['en', en],
    ['en-US', enUS],
    ['en-GB', en], // range en-GB: tag en is a prefix match, en-US no match
    ['fr-CA,fr;q=0.9', fr],
    ['de, fr;q=0.5', fr],
    ['*;q=0.1, fr', fr],
    ['de', und], // nothing readable: the neutral link
    ['*', und], // any language states none
    ['de, *;q=0.1', und],
    ['en;q=0, de', und], // en refused
  ])('Accept-Language %s picks the right link', (header, expected) => {
    expect(chooseLink([en, enUS, fr, und], { acceptLanguage: header })).toEqual({
      kind: 'one',
      link: expected,
    });
  });

  it('prefers neutral links when no language is asked for', () => {
    expect(chooseLink([en, fr, und], {})).toEqual({ kind: 'one', link: und });
  });

  it('prefers neutral links whatever the order, and treats und as neutral', () => {
    const none = link();
    expect(chooseLink([fr, none, en], { acceptLanguage: 'ja' })).toEqual({ kind: 'one', link: none });
    expect(chooseLink([fr, und, en], {})).toEqual({ kind: 'one', link: und });
    expect(chooseLink([fr, und, en], { acceptLanguage: 'fr' })).toEqual({ kind: 'one', link: fr });
  });

  it('answers "many" only for links the request cannot tell apart', () => {
    const none2 = link();
    const none3 = link();
    expect(chooseLink([none2, none3, fr], {})).toEqual({ kind: 'many', links: [none2, none3] });
    const html = link({ mediaType: 'text/html' });
    const pdf = link({ mediaType: 'application/pdf' });
    expect(chooseLink([html, pdf, fr], { accept: 'application/pdf' })).toEqual({ kind: 'one', link: pdf });
    expect(chooseLink([en, fr], { acceptLanguage: 'de' })).toEqual({ kind: 'many', links: [en, fr] });
  });

  it('answers "many" for a tie, and the fallback when the fallback is among the tie', () => {
    const en2 = link({ hreflang: ['en'] });
    expect(chooseLink([en, en2], { acceptLanguage: 'en' })).toEqual({ kind: 'many', links: [en, en2] });
    expect(chooseLink([en, en2], { acceptLanguage: 'en' }, en2)).toEqual({ kind: 'one', link: en2 });
    expect(chooseLink([en, en2], { acceptLanguage: 'en' }, fr)).toEqual({ kind: 'many', links: [en, en2] });
  });

  it('narrows by an explicit media type, ignores wildcards', () => {
    const html = link({ mediaType: 'text/html' });
    const pdf = link({ mediaType: 'application/pdf' });
    expect(chooseLink([html, pdf], { accept: 'application/pdf' })).toEqual({ kind: 'one', link: pdf });
    expect(chooseLink([html, pdf], { accept: 'text/html;q=0.5, application/pdf' })).toEqual({
      kind: 'one',
      link: pdf,
    });
    expect(chooseLink([html, pdf], { accept: '*/*' }).kind).toBe('many');
    expect(chooseLink([html, pdf], { accept: 'image/png' }).kind).toBe('many'); // unacceptable: no narrowing
  });

  it('narrows by context only when one is named, case-insensitively', () => {
    const lk = link({ context: ['LK'] });
    const plain = link();
    expect(chooseLink([plain, lk], { context: 'lk' })).toEqual({ kind: 'one', link: lk });
    expect(chooseLink([plain, lk], { context: 'US' }).kind).toBe('many');
    expect(chooseLink([plain, lk], {}).kind).toBe('many');
  });

  it('applies context, then language, then media type', () => {
    const a = link({ context: ['sales'], hreflang: ['en'], mediaType: 'text/html' });
    const b = link({ context: ['sales'], hreflang: ['en'], mediaType: 'application/pdf' });
    const c = link({ context: ['recall'], hreflang: ['en'], mediaType: 'application/pdf' });
    expect(
      chooseLink([a, b, c], { context: 'sales', acceptLanguage: 'en', accept: 'application/pdf' }),
    ).toEqual({ kind: 'one', link: b });
  });
});
