import { describe, expect, it } from 'vitest';
import { parseSearchQuery, quoteFtsString } from './search-query';

describe('parseSearchQuery', () => {
  it('keeps words only, lower-cased and unique, each quoted for FTS5', () => {
    expect(parseSearchQuery('  Risotto "rice" (NEAR) -mushrooms* rice ')).toEqual({
      kind: 'text',
      words: ['risotto', 'rice', 'near', 'mushrooms'],
      match: '"risotto" "rice" "near" "mushrooms"',
      normalised: 'risotto rice near mushrooms',
    });
  });

  it('keeps letters with their marks, in any script', () => {
    expect(parseSearchQuery('Crème brûlée')).toMatchObject({ words: ['crème', 'brûlée'] });
    expect(parseSearchQuery('हिन्दी चाय')).toMatchObject({ words: ['हिन्दी', 'चाय'] });
    expect(parseSearchQuery('ｒｉｃｅ')).toMatchObject({ words: ['rice'] }); // full-width, NFKC
  });

  it('refuses text without words, and too many words', () => {
    expect(parseSearchQuery('"*()^:+-')).toEqual({ error: expect.stringContaining('no words') });
    expect(parseSearchQuery('a b c d e f g h i j k')).toEqual({
      error: expect.stringContaining('at most 10'),
    });
  });

  it('reads gtin:<GTIN> as a GTIN lookup, normalised to 14 digits', () => {
    expect(parseSearchQuery('gtin:9506000134352')).toEqual({
      kind: 'gtin',
      gtin: '09506000134352',
      normalised: 'gtin:09506000134352',
    });
    expect(parseSearchQuery('GTIN: 09506000134352')).toMatchObject({ kind: 'gtin', gtin: '09506000134352' });
    expect(parseSearchQuery('gtin:9506000134353')).toEqual({ error: expect.stringContaining('check digit') });
  });

  it('quotes a double quote by doubling it', () => {
    expect(quoteFtsString('a"b')).toBe('"a""b"');
  });
});
