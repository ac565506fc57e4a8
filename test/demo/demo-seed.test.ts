import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/accounts/api-key-secret';
import { demoSeedSql } from '../../src/demo/demo-seed';
import { call } from '../support/http';

async function dump(): Promise<string> {
  // Each table with the columns that order its rows.
  const tables: Record<string, string> = {
    organizations: 'id',
    brands: 'id',
    api_keys: 'id',
    products: 'id',
    locations: 'id',
    inventory: 'location_id, gtin',
    pos_item_mappings: 'location_id, platform, pos_item_id',
    searches: 'id',
    search_impressions: 'search_id, position',
    search_clicks: 'search_id, position',
  };
  const out: Record<string, unknown> = {};
  for (const [t, order] of Object.entries(tables))
    out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all()).results;
  return JSON.stringify(out);
}

async function seed(statements: string[]) {
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

describe('demo seed', () => {
  it('is idempotent: seeding twice leaves the same rows as seeding once', async () => {
    const key = await generateApiKey();
    await seed(demoSeedSql(key));
    const once = await dump();
    await seed(demoSeedSql(key));
    expect(await dump()).toBe(once);
  });

  it('makes the demo key an owner of the demo organisation', async () => {
    const key = await generateApiKey();
    await seed(demoSeedSql(key));
    const res = await call('GET', '/v1/organization', { key: key.key });
    expect(await res.json()).toMatchObject({ id: 'org_demo', name: 'Demo Foods', key: { role: 'owner' } });
  });
});
