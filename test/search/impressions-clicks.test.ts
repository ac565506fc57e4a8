// What a search logs (searches, search_impressions) and what following a click URL records
// (search_clicks) and where it goes, read back from D1.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { expectError } from '../support/http';
import {
  Catalog,
  get,
  move,
  randomIp,
  randomPlace,
  type SearchBody,
  search,
  searchPath,
  uniqueWord,
} from '../support/search';

const rows = async <T>(sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;

async function searchWithStock() {
  const word = uniqueWord();
  const here = { lat: 45.123456 + Math.random() * 0.01, lng: 7.654321 + Math.random() * 0.01 };
  const shop = await Catalog.create();
  const gtins = await shop.products(Array.from({ length: 5 }, (_, i) => ({ name: `${word} ${i}` })));
  const store = await shop.store('Near', move(here, 2, 0));
  await shop.stock([{ store, gtin: gtins[0]!, quantity: 3 }]);
  return { word, here, shop, gtins };
}

describe('search impressions', () => {
  it('logs the search and every result shown, with the location rounded to 0.01°', async () => {
    const { word, here, shop, gtins } = await searchWithStock();
    const body = await search({
      q: `  ${word.toUpperCase()}!`,
      lat: here.lat,
      lng: here.lng,
      limit: 3,
      radius_km: 5,
    });

    const [logged] = await rows<Record<string, unknown>>(
      'SELECT * FROM searches WHERE id = ?',
      body.search_id,
    );
    expect(logged).toMatchObject({
      query: word,
      query_kind: 'text',
      result_count: 5,
      shown_count: 3,
      latitude: Math.round(here.lat * 100) / 100,
      longitude: Math.round(here.lng * 100) / 100,
      radius_km: 5,
      in_stock_only: 0,
    });

    const impressions = await rows<Record<string, unknown>>(
      'SELECT * FROM search_impressions WHERE search_id = ? ORDER BY position',
      body.search_id,
    );
    expect(impressions.map((i) => [i.position, i.gtin, i.org_id, i.query])).toEqual(
      body.data.map((r) => [r.position, r.gtin, shop.orgId, word]),
    );
    expect(impressions[0]).toMatchObject({
      gtin: gtins[0],
      in_stock_nearby: 1,
      latitude: logged!.latitude,
      longitude: logged!.longitude,
    });
    expect(impressions[0]!.nearest_store_km as number).toBeCloseTo(2, 1);
    expect(impressions[1]).toMatchObject({ in_stock_nearby: 0, nearest_store_km: null });
    expect(impressions[0]!.shown_at).toBe(logged!.searched_at);
  });

  it('logs later pages at their absolute positions, and a search with no results without impressions', async () => {
    const { word, here } = await searchWithStock();
    const first = await search({ q: word, lat: here.lat, lng: here.lng, limit: 2 });
    const second = await search({
      q: word,
      lat: here.lat,
      lng: here.lng,
      limit: 2,
      cursor: first.next_cursor!,
    });
    const positions = await rows<{ position: number }>(
      'SELECT position FROM search_impressions WHERE search_id = ? ORDER BY position',
      second.search_id,
    );
    expect(positions.map((p) => p.position)).toEqual([3, 4]);

    const none = await search({ q: `${word} missing`, lat: here.lat, lng: here.lng });
    expect(
      await rows(
        'SELECT * FROM searches WHERE id = ? AND result_count = 0 AND shown_count = 0',
        none.search_id,
      ),
    ).toHaveLength(1);
    expect(await rows('SELECT * FROM search_impressions WHERE search_id = ?', none.search_id)).toEqual([]);
  });

  it('batches the searches an isolate serves within SEARCH_LOG_BATCH_MS into one write, after the window', async () => {
    const { word, here } = await searchWithStock();
    const vars = { ...env, SEARCH_LOG_BATCH_MS: '300' };
    const send = async (ctx: ExecutionContext) => {
      const request = new Request(
        `https://dl.example.test${searchPath({ q: word, lat: here.lat, lng: here.lng })}`,
        { headers: { 'cf-connecting-ip': randomIp() } },
      );
      return (await (
        await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, vars, ctx)
      ).json()) as SearchBody;
    };
    const first = createExecutionContext();
    const second = createExecutionContext();
    const [a, b] = [await send(first), await send(second)];
    await waitOnExecutionContext(second); // joined the first search's batch: nothing of its own to wait for
    const logged = () => rows('SELECT id FROM searches WHERE id IN (?, ?)', a.search_id, b.search_id);
    expect(await logged()).toEqual([]);
    await waitOnExecutionContext(first); // the window ends, the batch is written
    expect(await logged()).toHaveLength(2);
    expect(
      await rows('SELECT * FROM search_impressions WHERE search_id IN (?, ?)', a.search_id, b.search_id),
    ).toHaveLength(10);
  });

  it('logs nothing for a HEAD request, which shows nobody anything', async () => {
    const { word, here } = await searchWithStock();
    const res = await get(searchPath({ q: word, lat: here.lat, lng: here.lng }), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await rows('SELECT id FROM searches WHERE query = ?', word)).toEqual([]);
  });

  it('logs GTIN queries in their 14-digit form', async () => {
    const here = randomPlace();
    const shop = await Catalog.create();
    const [gtin] = await shop.products([{ name: 'By barcode' }]);
    const body = await search({ q: `gtin:${gtin!.slice(1)}`, lat: here.lat, lng: here.lng });
    const [logged] = await rows<{ query: string; query_kind: string }>(
      'SELECT query, query_kind FROM searches WHERE id = ?',
      body.search_id,
    );
    expect(logged).toEqual({ query: `gtin:${gtin}`, query_kind: 'gtin' });
  });
});

describe('search clicks', () => {
  it('records the click once and redirects (307) to the product’s resolver URL', async () => {
    const { word, here, gtins, shop } = await searchWithStock();
    const body = await search({ q: word, lat: here.lat, lng: here.lng });
    const result = body.data[0]!;
    const path = new URL(result.click_url).pathname;

    for (let i = 0; i < 2; i++) {
      const res = await get(path);
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe(`https://dl.example.test/01/${result.gtin}`);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const clicks = await rows<Record<string, unknown>>(
      'SELECT * FROM search_clicks WHERE search_id = ?',
      body.search_id,
    );
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ position: 1, gtin: gtins[0], org_id: shop.orgId, query: word });
    expect(clicks[0]!.clicked_at as number).toBeGreaterThanOrEqual(clicks[0]!.shown_at as number);
  });

  it('404s a search id or position that was never shown, and records nothing', async () => {
    const { word, here } = await searchWithStock();
    const body = await search({ q: word, lat: here.lat, lng: here.lng, limit: 2 });
    await expectError(await get(`/search/click/${body.search_id}/3`), 404, 'not_found'); // a result not on the page shown
    await expectError(await get('/search/click/0190a5e0-0000-7000-8000-000000000000/1'), 404, 'not_found');
    expect(await rows('SELECT * FROM search_clicks WHERE search_id = ?', body.search_id)).toEqual([]);
  });

  it('400s a malformed click URL', async () => {
    await expectError(await get('/search/click/abc/0'), 400, 'validation_failed');
    await expectError(await get('/search/click/abc/x'), 400, 'validation_failed');
    await expectError(await get('/search/click/a%27b/1'), 400, 'validation_failed');
  });
});
