import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/accounts/api-key-secret';
import { demoSeedSql } from '../../src/demo/demo-seed';
import { call } from '../support/http';

interface DemoProduct {
  fields: { name: { value: unknown } };
  completeness: unknown;
  recalled_lots: unknown[];
}

describe('demo catalog', () => {
  it("serves GS1's sample products, scored in every band, and stores with inventory of every confidence", async () => {
    const key = await generateApiKey();
    await env.DB.batch(demoSeedSql(key).map((s) => env.DB.prepare(s)));

    const risotto = await (
      await call('GET', '/v1/products/09506000134352', { key: key.key })
    ).json<DemoProduct>();
    expect(risotto.fields.name.value).toBe('Dal Giardino Risotto Rice with Mushrooms 411 gr');
    expect(risotto.completeness).toMatchObject({ score: 98, band: 'excellent' });
    const capsules = await (
      await call('GET', '/v1/products/09506000134376', { key: key.key })
    ).json<DemoProduct>();
    expect(capsules.fields.name.value).toBe('Dal Giardino Medicinal Compound 50 x 200mg Capsules');
    expect(capsules.recalled_lots).toEqual([expect.objectContaining({ lot: 'ABC123' })]);

    const products = await (await call('GET', '/v1/products', { key: key.key })).json<{
      data: { completeness: { band: string } }[];
    }>();
    expect(new Set(products.data.map((p) => p.completeness.band))).toEqual(
      new Set(['excellent', 'good', 'needs_attention', 'poor']),
    );

    const active = await (await call('GET', '/v1/locations?active=true', { key: key.key })).json<{
      data: { address: { city: string } }[];
    }>();
    expect(active.data.map((l) => l.address.city).sort()).toEqual(['Berlin', 'Milano', 'Paris']);
    const stock = await (await call('GET', '/v1/inventory', { key: key.key })).json<{
      data: { confidence: string }[];
    }>();
    expect(new Set(stock.data.map((i) => i.confidence))).toEqual(
      new Set(['confirmed', 'likely', 'uncertain']),
    );
  });
});
