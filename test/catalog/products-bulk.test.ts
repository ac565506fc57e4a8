import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { productFromInput } from '../../src/catalog/product-record';
import { bulkUpsertProducts } from '../../src/catalog/product-store';
import { jsonChunks } from '../../src/db/json-chunks';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization } from '../support/accounts';
import { call, expectError } from '../support/http';

/** `count` distinct valid GTIN-14s. */
const gtins = (count: number, prefix = '1950600') =>
  Array.from({ length: count }, (_, i) =>
    withCheckDigit(`${prefix}${String(i).padStart(13 - prefix.length, '0')}`),
  );

const item = (gtin: string, name = `Product ${gtin}`) => ({
  gtin,
  fields: {
    name: { value: name },
    category: { value: 'Pantry' },
    description: { value: 'x'.repeat(300), confidence: 0.8 },
  },
});

async function products(orgId: string) {
  return (
    await env.DB.prepare('SELECT gtin, name, id, created_at FROM products WHERE org_id = ? ORDER BY gtin')
      .bind(orgId)
      .all()
  ).results;
}

describe('bulk product upsert', () => {
  it('creates new products and replaces existing ones by GTIN, keeping their id', async () => {
    const org = await createOrganization();
    const first = await call('POST', '/v1/products/bulk', {
      key: org.ownerKey,
      body: { items: [item('09506000134352', 'Old name')] },
    });
    expect(await first.json()).toEqual({ received: 1, created: 1, updated: 0 });
    const [before] = await products(org.orgId);

    const res = await call('POST', '/v1/products/bulk', {
      key: org.ownerKey,
      body: { items: [item('9506000134352', 'Risotto'), item('09506000134376', 'Capsules')] },
    });
    expect(await res.json()).toEqual({ received: 2, created: 1, updated: 1 });
    const after = await products(org.orgId);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({
      gtin: '09506000134352',
      name: 'Risotto',
      id: before!.id,
      created_at: before!.created_at,
    });
    const product = await (await call('GET', '/v1/products/09506000134376', { key: org.ownerKey })).json<{
      completeness: { score: number };
    }>();
    expect(product.completeness.score).toBe(33); // name 15 + category 10 + description 10 × 0.8
  });

  it('writes thousands of products across several statements', async () => {
    const org = await createOrganization();
    const items = gtins(3000).map((g) => item(g));
    const res = await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items } });
    expect(await res.json()).toEqual({ received: 3000, created: 3000, updated: 0 });
    expect(await products(org.orgId)).toHaveLength(3000);
  });

  it('writes nothing when any item is invalid, and says which', async () => {
    const org = await createOrganization();
    const items = gtins(50).map((g) => item(g));
    items[37] = item('9506000134353'); // wrong check digit
    const error = await expectError(
      await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items } }),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([
      { path: 'items.37.gtin', message: 'check digit of GTIN 9506000134353 should be 2, got 3' },
    ]);
    expect(await products(org.orgId)).toEqual([]);
  });

  it('writes nothing when one item names an unknown brand', async () => {
    const org = await createOrganization();
    const items = [item('09506000134352'), { ...item('09506000134376'), brand_id: 'brd_nope' }];
    const error = await expectError(
      await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items } }),
      404,
      'not_found',
    );
    expect(error.details).toEqual({ brand_ids: ['brd_nope'] });
    expect(await products(org.orgId)).toEqual([]);
  });

  it('refuses the same GTIN twice in one request', async () => {
    const org = await createOrganization();
    const items = [item('09506000134352'), item('9506000134352')];
    const error = await expectError(
      await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items } }),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([{ path: 'items.1.gtin', message: 'GTIN 09506000134352 is also item 0' }]);
  });

  it('caps a request at 10,000 items (400) and 8 MiB (413), writing nothing', async () => {
    const org = await createOrganization();
    const tooMany = gtins(10_001).map((gtin) => ({ gtin }));
    const error = await expectError(
      await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items: tooMany } }),
      400,
      'validation_failed',
    );
    expect(error.details).toContainEqual({
      path: 'items',
      message: 'at most 10000 products per request; split larger imports',
    });
    const huge = gtins(2000).map((g) => ({
      ...item(g),
      fields: { description: { value: 'x'.repeat(4500) } },
    }));
    const tooBig = await expectError(
      await call('POST', '/v1/products/bulk', { key: org.ownerKey, body: { items: huge } }),
      413,
      'payload_too_large',
    );
    expect(tooBig.details).toEqual({ max_bytes: 8 * 1024 * 1024 });
    expect(await products(org.orgId)).toEqual([]);
  });

  it('is all or nothing in D1 too: a failing later statement rolls back the earlier ones', async () => {
    const org = await createOrganization();
    const now = Date.now();
    // ~1.3 MB of rows: more than one json_each statement. The last row breaks the brand foreign key.
    const rows = gtins(2000).map((gtin, i) =>
      productFromInput(
        org.orgId,
        { ...item(gtin), brand_id: i === 1999 ? 'brd_missing' : null },
        { id: `prd_t${i}`, createdAt: now },
        now,
      ),
    );
    expect(jsonChunks(rows).length).toBeGreaterThan(1);
    await expect(bulkUpsertProducts(env.DB, rows)).rejects.toThrow(/FOREIGN KEY/);
    expect(await products(org.orgId)).toEqual([]);
  });

  it("keeps another organisation's products with the same GTINs apart", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    await call('POST', '/v1/products/bulk', {
      key: b.ownerKey,
      body: { items: [item('09506000134352', 'B risotto')] },
    });
    const res = await call('POST', '/v1/products/bulk', {
      key: a.ownerKey,
      body: { items: [item('09506000134352', 'A risotto')] },
    });
    expect(await res.json()).toEqual({ received: 1, created: 1, updated: 0 });
    expect((await products(b.orgId))[0]).toMatchObject({ name: 'B risotto' });
  });
});
