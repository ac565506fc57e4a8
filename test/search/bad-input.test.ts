// Bad input to GET /search is a 400 in the error envelope, never a 500; FTS5 syntax in the words
// is searched literally or dropped, never run as a query operator.
import { describe, expect, it } from 'vitest';
import { expectError } from '../support/http';
import { Catalog, get, randomPlace, search, searchPath, uniqueWord } from '../support/search';

const at = { lat: 48.8566, lng: 2.3522 };

describe('GET /search bad input', () => {
  it.each([
    ['no query', { ...at }, 'q'],
    ['an empty query', { q: '', ...at }, 'q'],
    ['a blank query', { q: '   ', ...at }, 'q'],
    ['only FTS syntax', { q: '"*() - ^:+ {}', ...at }, 'q'],
    ['only a quote', { q: '"', ...at }, 'q'],
    ['a query over 200 characters', { q: 'a'.repeat(201), ...at }, 'q'],
    ['more than 10 words', { q: 'a b c d e f g h i j k', ...at }, 'q'],
    ['no latitude', { q: 'rice', lng: 2 }, 'lat'],
    ['latitude above 90', { q: 'rice', lat: 90.0001, lng: 2 }, 'lat'],
    ['latitude below -90', { q: 'rice', lat: -91, lng: 2 }, 'lat'],
    ['an empty latitude', { q: 'rice', lat: '', lng: 2 }, 'lat'],
    ['a latitude in another notation', { q: 'rice', lat: '4e1', lng: 2 }, 'lat'],
    ['a non-numeric longitude', { q: 'rice', lat: 1, lng: 'east' }, 'lng'],
    ['longitude above 180', { q: 'rice', lat: 1, lng: 180.5 }, 'lng'],
    ['a radius over the maximum', { q: 'rice', ...at, radius_km: 50.1 }, 'radius_km'],
    ['a zero radius', { q: 'rice', ...at, radius_km: 0 }, 'radius_km'],
    ['a negative radius', { q: 'rice', ...at, radius_km: -5 }, 'radius_km'],
    ['a limit over 50', { q: 'rice', ...at, limit: 51 }, 'limit'],
    ['a zero limit', { q: 'rice', ...at, limit: 0 }, 'limit'],
    ['an unclear in_stock', { q: 'rice', ...at, in_stock: 'yes' }, 'in_stock'],
    ['an unknown parameter', { q: 'rice', ...at, sort: 'price' }, null],
    ['a gtin: query without a GTIN', { q: 'gtin:', ...at }, 'q'],
    ['a gtin: query with letters', { q: 'gtin:95060001343ab', ...at }, 'q'],
  ] as const)('%s → 400', async (_name, params, field) => {
    const error = await expectError(await get(searchPath(params)), 400, 'validation_failed');
    if (field) expect((error.details as { path: string }[]).map((d) => d.path)).toContain(field);
  });

  it('rejects a repeated parameter', async () => {
    await expectError(await get('/search?q=rice&q=pasta&lat=1&lng=1'), 400, 'validation_failed');
  });

  it('answers unknown /search paths with 404, not as Digital Links', async () => {
    await expectError(await get('/search/nothing-here'), 404, 'not_found');
  });
});

describe('GET /search with FTS5 syntax in the words', () => {
  it.each([
    (w: string) => `${w}"`,
    (w: string) => `"${w}`,
    (w: string) => `${w}*`,
    (w: string) => `-${w}`,
    (w: string) => `(${w})`,
    (w: string) => `NEAR(${w}`,
    (w: string) => `^${w}`,
    (w: string) => `name:${w}`,
    (w: string) => `${w} +`,
    (w: string) => `{${w}}`,
    (w: string) => `${w} AND`,
    (w: string) => `OR ${w}`,
  ])('searches the words of %s literally', async (query) => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${word} near and or name` }]);
    const body = await search({ q: query(word), lat: here.lat, lng: here.lng });
    expect(body.data.map((r) => r.gtin)).toEqual([gtin]);
  });

  it('reads NOT, AND and NEAR as words to find, not operators', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    await shop.products([{ name: `${word} chocolate` }]);
    // As FTS5 syntax "X NOT chocolate" would exclude the product; as words, "not" is required and missing.
    expect((await search({ q: `${word} NOT chocolate`, lat: here.lat, lng: here.lng })).data).toEqual([]);
    expect((await search({ q: `${word} chocolate`, lat: here.lat, lng: here.lng })).data).toHaveLength(1);
  });
});
