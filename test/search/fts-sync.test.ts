// The FTS5 index follows the catalog: created, patched, bulk-replaced and deleted products are
// found (or not) at once, and FTS5's own integrity check agrees with the products table.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http';
import { Catalog, randomPlace, search, uniqueWord } from '../support/search';

const here = randomPlace();
const find = async (q: string) => (await search({ q, lat: here.lat, lng: here.lng })).data.map((r) => r.gtin);
const integrityCheck = () =>
  env.DB.prepare(`INSERT INTO products_fts (products_fts, rank) VALUES ('integrity-check', 1)`).run();

describe('products_fts', () => {
  it('follows PATCH, bulk replacement and DELETE of products', async () => {
    const [before, after, replaced] = [uniqueWord(), uniqueWord(), uniqueWord()];
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${before} biscuits`, description: 'Oat' }]);
    expect(await find(before)).toEqual([gtin]);

    const patched = await call('PATCH', `/v1/products/${gtin}`, {
      key: shop.key,
      body: { fields: { name: { value: `${after} biscuits` } } },
    });
    expect(patched.status).toBe(200);
    expect(await find(before)).toEqual([]);
    expect(await find(after)).toEqual([gtin]);
    expect(await find(`${after} oat`)).toEqual([gtin]); // the unchanged description is still indexed

    await shop.products([{ gtin: gtin!.slice(1), name: 'Biscuits', brand: replaced }]);
    expect(await find(after)).toEqual([]);
    expect(await find(replaced)).toEqual([gtin]);

    expect((await call('DELETE', `/v1/products/${gtin}`, { key: shop.key })).status).toBe(204);
    expect(await find(replaced)).toEqual([]);
    await integrityCheck(); // throws when the index and the products disagree
  });

  it('drops the products of a deleted organisation (cascade) from the index', async () => {
    const word = uniqueWord();
    const shop = await Catalog.create();
    await shop.products([{ name: `${word} one` }, { name: `${word} two` }]);
    expect(await find(word)).toHaveLength(2);
    await env.DB.prepare('DELETE FROM organizations WHERE id = ?').bind(shop.orgId).run();
    expect(await find(word)).toEqual([]);
    await integrityCheck();
  });

  it('changing only the status leaves the index alone, and search hides inactive products', async () => {
    const word = uniqueWord();
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${word} tea` }]);
    await call('PATCH', `/v1/products/${gtin}`, { key: shop.key, body: { status: 'recalled' } });
    expect(await find(word)).toEqual([]);
    await call('PATCH', `/v1/products/${gtin}`, { key: shop.key, body: { status: 'active' } });
    expect(await find(word)).toEqual([gtin]);
    await integrityCheck();
  });
});
