// The demo seed's stores answer searches, and its search history is there for the dashboard.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/accounts/api-key-secret';
import { demoSeedSql } from '../../src/demo/demo-seed';
import { search } from '../support/search';

const one = <T>(sql: string) => env.DB.prepare(sql).first<T>();

describe('demo search', () => {
  beforeAll(async () => {
    const statements = demoSeedSql(await generateApiKey());
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
  });

  it('finds the demo risotto in stock at the Paris store', async () => {
    const body = await search({ q: 'Risotto', lat: 48.8606, lng: 2.3376 }); // the Louvre
    expect(body.data[0]).toMatchObject({
      gtin: '09506000134352',
      brand: 'Dal Giardino',
      available_nearby: true,
    });
    expect(body.data[0]!.stores[0]).toMatchObject({
      name: 'Épicerie Demo Paris',
      stock_status: 'in_stock',
      confidence: 'confirmed',
      price: 3.49,
    });
  });

  it('has four months of searches, impressions of the demo organisation and clicks on shown results', async () => {
    const s = await one<{ n: number; first: number; last: number }>(
      "SELECT count(*) AS n, min(searched_at) AS first, max(searched_at) AS last FROM searches WHERE id LIKE 'srch_demo_%'",
    );
    expect(s!.n).toBe(720);
    expect(s!.last - s!.first).toBeGreaterThan(115 * 86_400_000);
    const i = await one<{ n: number; orgs: number }>(
      "SELECT count(*) AS n, count(DISTINCT org_id) AS orgs FROM search_impressions WHERE search_id LIKE 'srch_demo_%'",
    );
    expect(i!.n).toBeGreaterThan(600);
    expect(i!.orgs).toBe(1);
    const c = await one<{
      n: number;
      orphans: number;
    }>(`SELECT count(*) AS n, sum(NOT EXISTS (SELECT 1 FROM search_impressions i
      WHERE i.search_id = c.search_id AND i.position = c.position AND i.gtin = c.gtin)) AS orphans FROM search_clicks c WHERE search_id LIKE 'srch_demo_%'`);
    expect(c!.n).toBeGreaterThan(80);
    expect(c!.orphans).toBe(0);
  });
});
