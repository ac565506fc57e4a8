import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';

interface ProductBody {
  id: string;
  gtin: string;
  brand_id: string | null;
  status: string;
  fields: Record<string, { value: unknown; source: string; confidence: number }>;
  authorised_markets: string[];
  recalled_lots: { lot: string; recalled_at: string | null; reason: string | null }[];
  completeness: {
    score: number;
    band: string;
    recommendations: { field: string; issue: string; points: number }[];
  };
  created_at: string;
  updated_at: string;
}

interface ListBody {
  data: ProductBody[];
  next_cursor: string | null;
}

const RISOTTO = {
  gtin: '9506000134352', // GTIN-13, stored as 14 digits
  fields: {
    name: { value: 'Dal Giardino Risotto Rice with Mushrooms 411 gr' },
    brand: { value: 'Dal Giardino' },
    description: { value: 'Arborio rice with porcini', source: 'import', confidence: 0.5 },
    images: { value: ['https://example.com/risotto.jpg'] },
  },
  authorised_markets: ['it', 'FR', 'FR'],
};

async function storedProductCount(orgId: string): Promise<number> {
  return (
    (await env.DB.prepare('SELECT count(*) AS n FROM products WHERE org_id = ?')
      .bind(orgId)
      .first<number>('n')) ?? 0
  );
}

describe('products', () => {
  it('creates a product with 14-digit GTIN, field sources and a stored completeness score', async () => {
    const org = await createOrganization();
    const res = await call('POST', '/v1/products', { key: org.ownerKey, body: RISOTTO });
    expect(res.status).toBe(201);
    const product = await res.json<ProductBody>();
    expect(product).toMatchObject({
      gtin: '09506000134352',
      status: 'active',
      brand_id: null,
      authorised_markets: ['FR', 'IT'],
      recalled_lots: [],
    });
    expect(product.id).toMatch(/^prd_/);
    expect(product.fields.name).toEqual({ value: RISOTTO.fields.name.value, source: 'brand', confidence: 1 });
    expect(product.fields.description).toEqual({
      value: 'Arborio rice with porcini',
      source: 'import',
      confidence: 0.5,
    });
    // name 15 + brand 10 + images 15 + description 10 × 0.5 = 45
    expect(product.completeness.score).toBe(45);
    expect(product.completeness.band).toBe('poor');
    expect(product.completeness.recommendations[0]).toMatchObject({
      field: 'category',
      issue: 'missing',
      points: 10,
    });
    expect(product.completeness.recommendations).toContainEqual(
      expect.objectContaining({ field: 'description', issue: 'low_confidence', points: 5 }),
    );

    const stored = await env.DB.prepare(
      'SELECT gtin, completeness_score, completeness_band, name FROM products WHERE id = ?',
    )
      .bind(product.id)
      .first();
    expect(stored).toEqual({
      gtin: '09506000134352',
      completeness_score: 45,
      completeness_band: 'poor',
      name: RISOTTO.fields.name.value,
    });
  });

  it('reads a product by id and by any length of its GTIN', async () => {
    const org = await createOrganization();
    const created = await (
      await call('POST', '/v1/products', { key: org.ownerKey, body: RISOTTO })
    ).json<ProductBody>();
    for (const ref of [created.id, '9506000134352', '09506000134352']) {
      const res = await call('GET', `/v1/products/${ref}`, { key: org.ownerKey });
      expect((await res.json<ProductBody>()).id).toBe(created.id);
    }
  });

  it('recomputes completeness on every update; null removes a field; lists replace', async () => {
    const org = await createOrganization();
    const created = await (
      await call('POST', '/v1/products', { key: org.ownerKey, body: RISOTTO })
    ).json<ProductBody>();
    const res = await call('PATCH', `/v1/products/${created.id}`, {
      key: org.ownerKey,
      body: {
        status: 'recalled',
        default_source: 'gs1_registry',
        fields: {
          category: { value: 'Rice' },
          description: { value: 'Arborio rice with porcini mushrooms', confidence: 1 },
          images: null,
        },
        recalled_lots: [
          { lot: 'L2026-03A', recalled_at: '2026-03-01T09:00:00Z', reason: 'Undeclared celery' },
        ],
        authorised_markets: ['DE'],
      },
    });
    expect(res.status).toBe(200);
    const product = await res.json<ProductBody>();
    expect(product.status).toBe('recalled');
    expect(product.fields.category).toEqual({ value: 'Rice', source: 'gs1_registry', confidence: 1 });
    expect(product.fields.images).toBeUndefined();
    expect(product.fields.name?.source).toBe('brand'); // untouched fields keep their source
    expect(product.recalled_lots).toEqual([
      { lot: 'L2026-03A', recalled_at: '2026-03-01T09:00:00.000Z', reason: 'Undeclared celery' },
    ]);
    expect(product.authorised_markets).toEqual(['DE']);
    expect(product.completeness.score).toBe(45); // name 15 + brand 10 + description 10 + category 10
    const again = await (
      await call('GET', `/v1/products/${created.id}`, { key: org.ownerKey })
    ).json<ProductBody>();
    expect(again).toEqual(product);
  });

  it('deletes a product', async () => {
    const org = await createOrganization();
    const created = await (
      await call('POST', '/v1/products', { key: org.ownerKey, body: RISOTTO })
    ).json<ProductBody>();
    expect((await call('DELETE', `/v1/products/${created.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(
      await call('GET', `/v1/products/${created.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
  });

  it('refuses a second product with the same GTIN (any length) with 409', async () => {
    const org = await createOrganization();
    await call('POST', '/v1/products', { key: org.ownerKey, body: RISOTTO });
    await expectError(
      await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: '09506000134352' } }),
      409,
      'conflict',
    );
  });

  it('rejects a GTIN with a wrong check digit, saying which digit it should be', async () => {
    const org = await createOrganization();
    const error = await expectError(
      await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: '9506000134353' } }),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([
      { path: 'gtin', message: 'check digit of GTIN 9506000134353 should be 2, got 3' },
    ]);
    await expectError(
      await call('GET', '/v1/products/9506000134353', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: '12345' } }),
      400,
      'validation_failed',
    );
    expect(await storedProductCount(org.orgId)).toBe(0);
  });

  it.each([
    ['a confidence above 1', { fields: { name: { value: 'x', confidence: 1.5 } } }, 'fields.name.confidence'],
    ['an unknown source', { fields: { name: { value: 'x', source: 'guess' } } }, 'fields.name.source'],
    ['an unknown field', { fields: { colour: { value: 'red' } } }, 'fields'],
    ['an unknown status', { status: 'archived' }, 'status'],
    ['a market that is not an ISO country', { authorised_markets: ['EU'] }, 'authorised_markets.0'],
    [
      'an http image URL',
      { fields: { images: { value: ['http://example.com/a.jpg'] } } },
      'fields.images.value.0',
    ],
    ['a lot outside GS1 character set 82', { recalled_lots: [{ lot: 'LOT #1' }] }, 'recalled_lots.0.lot'],
    ['a lot listed twice', { recalled_lots: [{ lot: 'A1' }, { lot: 'A1' }] }, 'recalled_lots'],
  ])('rejects %s with 400 naming the field', async (_, extra, path) => {
    const org = await createOrganization();
    const error = await expectError(
      await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: '09506000134352', ...extra } }),
      400,
      'validation_failed',
    );
    expect((error.details as { path: string }[]).map((d) => d.path)).toContain(path);
    expect(await storedProductCount(org.orgId)).toBe(0);
  });

  it('links a product to a brand of the organisation only', async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const brandA = await (
      await call('POST', '/v1/brands', { key: a.ownerKey, body: { name: 'Dal Giardino' } })
    ).json<{ id: string }>();
    const brandB = await (
      await call('POST', '/v1/brands', { key: b.ownerKey, body: { name: 'Other' } })
    ).json<{ id: string }>();
    const ok = await call('POST', '/v1/products', {
      key: a.ownerKey,
      body: { ...RISOTTO, brand_id: brandA.id },
    });
    expect((await ok.json<ProductBody>()).brand_id).toBe(brandA.id);
    const error = await expectError(
      await call('POST', '/v1/products', {
        key: a.ownerKey,
        body: { gtin: '09506000134376', brand_id: brandB.id },
      }),
      404,
      'not_found',
    );
    expect(error.details).toEqual({ brand_ids: [brandB.id] });
  });

  it('lets readonly keys read but not write, and editors write', async () => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    const editor = await insertKey(org.orgId, 'editor');
    await expectError(
      await call('POST', '/v1/products', { key: reader.key, body: RISOTTO }),
      403,
      'forbidden',
    );
    expect((await call('POST', '/v1/products', { key: editor.key, body: RISOTTO })).status).toBe(201);
    expect((await call('GET', '/v1/products', { key: reader.key })).status).toBe(200);
    await expectError(
      await call('DELETE', '/v1/products/09506000134352', { key: reader.key }),
      403,
      'forbidden',
    );
  });

  it("keeps one organisation out of another's products (404, unchanged)", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const product = await (
      await call('POST', '/v1/products', { key: b.ownerKey, body: RISOTTO })
    ).json<ProductBody>();
    for (const ref of [product.id, product.gtin]) {
      await expectError(await call('GET', `/v1/products/${ref}`, { key: a.ownerKey }), 404, 'not_found');
      await expectError(
        await call('PATCH', `/v1/products/${ref}`, { key: a.ownerKey, body: { status: 'recalled' } }),
        404,
        'not_found',
      );
      await expectError(await call('DELETE', `/v1/products/${ref}`, { key: a.ownerKey }), 404, 'not_found');
    }
    expect((await (await call('GET', '/v1/products', { key: a.ownerKey })).json<ListBody>()).data).toEqual(
      [],
    );
    const still = await (
      await call('GET', `/v1/products/${product.id}`, { key: b.ownerKey })
    ).json<ProductBody>();
    expect(still).toEqual(product);
    // The same GTIN is free for A: products are per organisation.
    expect((await call('POST', '/v1/products', { key: a.ownerKey, body: RISOTTO })).status).toBe(201);
  });
});

describe('product list', () => {
  async function seedCatalog(key: string) {
    const items = [
      {
        gtin: '09506000134352',
        status: 'active',
        fields: { name: { value: 'Risotto Rice' }, category: { value: 'Rice' } },
      },
      {
        gtin: '09506000134376',
        status: 'recalled',
        fields: { name: { value: 'Medicinal Compound' }, category: { value: 'Health' } },
      },
      {
        gtin: '96385074',
        status: 'discontinued',
        fields: { name: { value: 'Wild Rice' }, category: { value: 'Rice' } },
      },
      { gtin: '036000291452', status: 'active', fields: { name: { value: 'Tissues' } } },
    ];
    const res = await call('POST', '/v1/products/bulk', { key, body: { items } });
    expect(res.status).toBe(200);
  }

  it('filters by status, category, name and GTIN', async () => {
    const org = await createOrganization();
    await seedCatalog(org.ownerKey);
    const gtins = async (query: string) =>
      (await (await call('GET', `/v1/products?${query}`, { key: org.ownerKey })).json<ListBody>()).data.map(
        (p) => p.gtin,
      );
    expect(await gtins('')).toEqual(['00000096385074', '00036000291452', '09506000134352', '09506000134376']);
    expect(await gtins('status=recalled')).toEqual(['09506000134376']);
    expect(await gtins('category=Rice')).toEqual(['00000096385074', '09506000134352']);
    expect(await gtins('q=rice')).toEqual(['00000096385074', '09506000134352']);
    expect(await gtins('gtin=9506000134376')).toEqual(['09506000134376']);
    expect(await gtins('band=poor')).toHaveLength(4);
    expect(await gtins('band=excellent')).toEqual([]);
  });

  it('pages with an opaque cursor until the end', async () => {
    const org = await createOrganization();
    await seedCatalog(org.ownerKey);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const body: ListBody = await (
        await call('GET', `/v1/products?${query}`, { key: org.ownerKey })
      ).json<ListBody>();
      seen.push(...body.data.map((p) => p.gtin));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(['00000096385074', '00036000291452', '09506000134352', '09506000134376']);
  });

  it('rejects a forged cursor, an unknown filter and a limit over 200', async () => {
    const org = await createOrganization();
    await expectError(
      await call('GET', '/v1/products?cursor=not-ours', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', '/v1/products?colour=red', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', '/v1/products?limit=201', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
  });
});
