// GET /search through the Worker: ranking, radius, the in-stock filter, GTIN queries, paging.
import { describe, expect, it } from 'vitest';
import { call, expectError } from '../support/http';
import {
  Catalog,
  get,
  move,
  randomGtin,
  randomPlace,
  search,
  searchPath,
  uniqueWord,
} from '../support/search';

const HOUR = 60;

describe('GET /search ranking', () => {
  it('puts nearby stock first (whole km, then confidence, then distance); the rest follow by relevance', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [far3km, likely1500m, uncertain1200m, outOnly, none, outsideRadius] = await shop.products([
      { name: `${word} three km` },
      { name: `${word} likely` },
      { name: `${word} uncertain` },
      { name: `${word} out of stock` },
      { name: `${word} nowhere` },
      { name: `${word} too far` },
    ]);
    const s3 = await shop.store('Three', move(here, 3, 0));
    const s15 = await shop.store('OneFive', move(here, 0, 1.5));
    const s12 = await shop.store('OneTwo', move(here, -1.2, 0));
    const s05 = await shop.store('Half', move(here, 0, -0.5));
    const s30 = await shop.store('Thirty', move(here, 30, 0));
    await shop.stock([
      { store: s3, gtin: far3km!, quantity: 5, minutesAgo: 10 },
      { store: s15, gtin: likely1500m!, quantity: 5, minutesAgo: 5 * HOUR },
      { store: s12, gtin: uncertain1200m!, quantity: 5, minutesAgo: 50 * HOUR },
      { store: s05, gtin: outOnly!, quantity: 0 },
      { store: s30, gtin: outsideRadius!, quantity: 9 },
    ]);

    const body = await search({ q: word, lat: here.lat, lng: here.lng });
    expect(body.total).toBe(6);
    // 1.5 km (likely) and 1.2 km (uncertain) share the 1–2 km band: confidence decides.
    expect(body.data.slice(0, 3).map((r) => r.gtin)).toEqual([likely1500m, uncertain1200m, far3km]);
    expect(body.data.slice(0, 3).every((r) => r.available_nearby)).toBe(true);
    expect(
      body.data
        .slice(3)
        .map((r) => r.gtin)
        .sort(),
    ).toEqual([outOnly, none, outsideRadius].sort());
    expect(body.data.slice(3).every((r) => !r.available_nearby)).toBe(true);
    expect(body.data.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6]);

    const first = body.data[0]!;
    expect(first.stores).toHaveLength(1);
    expect(first.stores[0]).toMatchObject({
      name: 'OneFive',
      stock_status: 'in_stock',
      confidence: 'likely',
    });
    expect(first.stores[0]!.distance_km).toBeCloseTo(1.5, 1);
    expect(first.nearest_store_km).toBeCloseTo(1.5, 1);
    // Out of stock nearby: listed, but not "available"; nothing in the radius: no stores.
    const out = body.data.find((r) => r.gtin === outOnly)!;
    expect(out.stores.map((s) => s.stock_status)).toEqual(['out_of_stock']);
    expect(body.data.find((r) => r.gtin === outsideRadius)!.stores).toEqual([]);
    expect(body.data.find((r) => r.gtin === none)!.nearest_store_km).toBeNull();
  });

  it('lists at most the 3 best stores per result, with stock first', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${word} popular` }]);
    const stores = [];
    for (const km of [0.3, 2.5, 4.5, 6.5, 8.5]) stores.push(await shop.store(`At ${km}`, move(here, km, 0)));
    await shop.stock([
      { store: stores[0]!, gtin: gtin!, quantity: 0 }, // nearest, but out of stock
      ...stores.slice(1).map((store, i) => ({ store, gtin: gtin!, quantity: 3, price: 2 + i })),
    ]);
    const [result] = (await search({ q: word, lat: here.lat, lng: here.lng })).data;
    expect(result!.stores.map((s) => s.name)).toEqual(['At 2.5', 'At 4.5', 'At 6.5']);
    expect(result!.stores[0]).toMatchObject({ price: 2, currency: 'EUR', confidence: 'confirmed' });
    expect(result!.nearest_store_km).toBeCloseTo(2.5, 1);
  });

  it('uses relevance as a threshold: a word only in a description does not compete with a name match', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [inName, inCategory, inDescription] = await shop.products([
      { name: `${word} sauce` },
      { name: 'Tomato passata', category: word },
      {
        name: 'Plain rice',
        description: `A long description of rice that mentions ${word} once, among many other words about grains and cooking.`,
      },
    ]);
    const store = await shop.store('Corner', move(here, 1, 1));
    await shop.stock([{ store, gtin: inDescription!, quantity: 4 }]);
    const body = await search({ q: word, lat: here.lat, lng: here.lng });
    // The weak match is dropped although it is the only one in stock nearby; the others, with no
    // stock nearby, follow each other by relevance (name weighs more than category).
    expect(body.data.map((r) => r.gtin)).toEqual([inName, inCategory]);
  });

  it('answers words in any case and accents, and needs every word', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [creme] = await shop.products([
      { name: `Crème brûlée ${word}` },
      { name: `Crème anglaise ${word}` },
    ]);
    const body = await search({ q: `CREME Brulee ${word.toUpperCase()}`, lat: here.lat, lng: here.lng });
    expect(body.data.map((r) => r.gtin)).toEqual([creme]);
    expect(body.query).toEqual({ words: ['creme', 'brulee', word] });
  });

  it('shows public product data only, with a click URL, and never inactive products', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    await shop.products([
      {
        name: `${word} jam`,
        brand: 'Jam Co',
        category: 'Spreads',
        image: 'https://img.example.com/jam.jpg',
        description: 'Strawberry',
      },
      { name: `${word} recalled`, status: 'recalled' },
      { name: `${word} discontinued`, status: 'discontinued' },
    ]);
    const body = await search({ q: word, lat: here.lat, lng: here.lng });
    expect(body.data).toHaveLength(1);
    const result = body.data[0]!;
    expect(Object.keys(result).sort()).toEqual(
      [
        'available_nearby',
        'brand',
        'category',
        'click_url',
        'gtin',
        'image',
        'name',
        'nearest_store_km',
        'position',
        'stores',
      ].sort(),
    );
    expect(result).toMatchObject({
      name: `${word} jam`,
      brand: 'Jam Co',
      category: 'Spreads',
      image: 'https://img.example.com/jam.jpg',
    });
    expect(result.click_url).toBe(`https://dl.example.test/search/click/${body.search_id}/1`);
    expect(JSON.stringify(body)).not.toContain(shop.orgId);
  });
});

describe('GET /search radius and filters', () => {
  it('defaults to 10 km, and radius_km widens or narrows it', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${word} cheese` }]);
    const at8 = await shop.store('Eight', move(here, 0, 8));
    const at40 = await shop.store('Forty', move(here, -40, 0));
    await shop.stock([
      { store: at8, gtin: gtin!, quantity: 2 },
      { store: at40, gtin: gtin!, quantity: 2 },
    ]);
    const names = async (radius?: number) => {
      const body = await search({
        q: word,
        lat: here.lat,
        lng: here.lng,
        ...(radius !== undefined && { radius_km: radius }),
      });
      return body.data[0]!.stores.map((s) => s.name);
    };
    expect(await names()).toEqual(['Eight']);
    expect(await names(5)).toEqual([]);
    expect(await names(50)).toEqual(['Eight', 'Forty']);
    const body = await search({ q: word, lat: here.lat, lng: here.lng, radius_km: 50 });
    expect(body.radius_km).toBe(50);
    expect(body.data[0]!.stores[1]!.distance_km).toBeCloseTo(40, 0);
  });

  it('finds stores across the antimeridian', async () => {
    const word = uniqueWord();
    const here = { lat: -17.7 + Math.random(), lng: 179.98 }; // Fiji
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: `${word} kava` }]);
    const west = await shop.store('Across', { lat: here.lat, lng: -179.97 });
    await shop.stock([{ store: west, gtin: gtin!, quantity: 1 }]);
    const [result] = (await search({ q: word, lat: here.lat, lng: here.lng })).data;
    expect(result!.stores.map((s) => s.name)).toEqual(['Across']);
    expect(result!.stores[0]!.distance_km).toBeLessThan(6);
  });

  it('in_stock=true keeps only products in stock nearby, and only stores that have them', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const [inStock, low, out, none] = await shop.products([
      { name: `${word} a` },
      { name: `${word} b` },
      { name: `${word} c` },
      { name: `${word} d` },
    ]);
    const near = await shop.store('Near', move(here, 0.2, 0));
    const further = await shop.store('Further', move(here, 2.2, 0));
    await shop.stock([
      { store: near, gtin: inStock!, quantity: 0 },
      { store: further, gtin: inStock!, quantity: 7 },
      { store: near, gtin: low!, quantity: 1, status: 'low_stock' },
      { store: near, gtin: out!, quantity: 0 },
    ]);
    const body = await search({ q: word, lat: here.lat, lng: here.lng, in_stock: true });
    expect(body.data.map((r) => r.gtin)).toEqual([low, inStock]);
    expect(body.data[1]!.stores.map((s) => s.name)).toEqual(['Further']);
    expect(body.data[0]!.stores[0]!.stock_status).toBe('low_stock');
    expect(body.total).toBe(2);
    expect(body.data.map((r) => r.gtin)).not.toContain(none);
  });
});

describe('GET /search gtin:', () => {
  it('finds the product by any GTIN length, with its stores', async () => {
    const here = randomPlace();
    const shop = await Catalog.create();
    const gtin13 = randomGtin();
    const [gtin] = await shop.products([{ gtin: gtin13, name: 'Barcode lookup' }]);
    const store = await shop.store('Till', move(here, 0.4, 0.4));
    await shop.stock([{ store, gtin: gtin!, quantity: 3 }]);
    const body = await search({ q: `gtin:${gtin13}`, lat: here.lat, lng: here.lng });
    expect(body.query).toEqual({ gtin });
    expect(body.data.map((r) => [r.gtin, r.name, r.available_nearby])).toEqual([
      [gtin, 'Barcode lookup', true],
    ]);
    expect((await search({ q: `GTIN: ${gtin}`, lat: here.lat, lng: here.lng })).data).toHaveLength(1);
  });

  it('answers an unknown GTIN with no results, and a bad check digit with 400', async () => {
    const here = randomPlace();
    expect((await search({ q: `gtin:${randomGtin()}`, lat: here.lat, lng: here.lng })).data).toEqual([]);
    const error = await expectError(
      await get(searchPath({ q: 'gtin:9506000134353', lat: 1, lng: 1 })),
      400,
      'validation_failed',
    );
    expect(JSON.stringify(error.details)).toContain('check digit');
  });

  it('shows one product per GTIN: the owner of its resolver links, else the earliest catalogued', async () => {
    const here = randomPlace();
    const gtin = randomGtin().padStart(14, '0');
    const retailer = await Catalog.create('Retailer');
    await retailer.products([{ gtin, name: 'Retailer copy' }]);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later created_at
    const brand = await Catalog.create('Brand Owner');
    await brand.products([{ gtin, name: 'Brand original' }]);
    const names = async () =>
      (await search({ q: `gtin:${gtin}`, lat: here.lat, lng: here.lng })).data.map((r) => r.name);
    expect(await names()).toEqual(['Retailer copy']);

    const link = {
      link_type: 'gs1:pip',
      href: 'https://brand.example/p',
      title: 'Product page',
      default: true,
    };
    const res = await call('PUT', '/v1/links', {
      key: brand.key,
      body: { anchor: `/01/${gtin}`, item_description: 'Original', links: [link] },
    });
    expect(res.status).toBe(201);
    expect(await names()).toEqual(['Brand original']);
  });
});

describe('GET /search paging', () => {
  it('pages with limit and next_cursor, positions counting on across pages', async () => {
    const word = uniqueWord();
    const here = randomPlace();
    const shop = await Catalog.create();
    const gtins = await shop.products(Array.from({ length: 7 }, (_, i) => ({ name: `${word} item ${i}` })));
    const store = await shop.store('Shelf', move(here, 1, 0));
    await shop.stock(gtins.slice(0, 4).map((gtin, i) => ({ store, gtin, quantity: i + 1 })));

    const seen: string[] = [];
    const positions: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await search({
        q: word,
        lat: here.lat,
        lng: here.lng,
        limit: 3,
        ...(cursor && { cursor }),
      });
      expect(body.total).toBe(7);
      seen.push(...body.data.map((r) => r.gtin));
      positions.push(...body.data.map((r) => r.position));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(seen)).toEqual(new Set(gtins));
    const all = await search({ q: word, lat: here.lat, lng: here.lng, limit: 50 });
    expect(all.data.map((r) => r.gtin)).toEqual(seen);
    expect(all.next_cursor).toBeNull();
  });

  it('rejects a cursor it did not issue', async () => {
    await expectError(
      await get(searchPath({ q: 'rice', lat: 1, lng: 1, cursor: 'not-a-cursor' })),
      400,
      'validation_failed',
    );
  });
});
