import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { signHmacSha256 } from '../../src/inventory/pos-signature';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';
import { createLocation, shopifyWebhook, squareWebhook } from '../support/inventory';

const SHOPIFY_SECRET = 'shpss_test_0123456789abcdef';
const SQUARE_KEY = 'sq0wbk-test-signature-key';
// Shopify ids are 64-bit: this one is past 2^53, where JSON.parse alone would round it.
const BIG_ITEM_ID = '271878346596884015';

async function stored(locationId: string) {
  return (
    await env.DB.prepare(
      'SELECT gtin, quantity, status, synced_at, source FROM inventory WHERE location_id = ? ORDER BY gtin',
    )
      .bind(locationId)
      .all()
  ).results;
}

async function shopifyStore() {
  const org = await createOrganization();
  const store = await createLocation(org.ownerKey, {
    pos: { shopify: { location_id: '24826418', webhook_secret: SHOPIFY_SECRET } },
  });
  const mapped = await call('PUT', `/v1/locations/${store.id}/pos-items`, {
    key: org.ownerKey,
    body: {
      platform: 'shopify',
      items: [
        { pos_item_id: BIG_ITEM_ID, gtin: '9506000134352' },
        { pos_item_id: 808950810, gtin: '09506000134376' },
      ],
    },
  });
  expect(await mapped.json()).toEqual({ received: 2 });
  return { org, store };
}

const level = (overrides: Record<string, unknown> = {}) => ({
  inventory_item_id: 808950810,
  location_id: 24826418,
  available: 6,
  updated_at: '2026-01-05T10:15:30-05:00',
  admin_graphql_api_id: 'gid://shopify/InventoryLevel/24826418?inventory_item_id=808950810',
  ...overrides,
});

/** Shopify's body as it sends it: ids as bare JSON numbers, even past 2^53. */
const levelWithBigId = (available: number) =>
  `{"inventory_item_id":${BIG_ITEM_ID},"location_id":24826418,"available":${available},"updated_at":"2026-01-05T11:00:00Z"}`;

describe('Shopify inventory_levels/update', () => {
  it('applies a signed update through the item mapping', async () => {
    const { store } = await shopifyStore();
    const res = await shopifyWebhook(store.id, level(), SHOPIFY_SECRET);
    expect(await res.json()).toEqual({ received: 1, applied: 1, stale: 0, ignored: [] });
    expect(await stored(store.id)).toEqual([
      {
        gtin: '09506000134376',
        quantity: 6,
        status: 'in_stock',
        synced_at: Date.parse('2026-01-05T15:15:30Z'),
        source: 'shopify',
      },
    ]);
  });

  it('keeps 64-bit item ids exact', async () => {
    const { store } = await shopifyStore();
    const body = levelWithBigId(3);
    const signature = await signHmacSha256(SHOPIFY_SECRET, new TextEncoder().encode(body));
    const ok = await call('POST', `/webhooks/pos/shopify/${store.id}`, {
      body,
      headers: { 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': signature },
    });
    expect(await ok.json()).toMatchObject({ applied: 1, ignored: [] });
    expect(await stored(store.id)).toMatchObject([{ gtin: '09506000134352', quantity: 3 }]);
  });

  it('answers 401 and changes nothing when the signature is wrong, missing or made with another secret', async () => {
    const { store } = await shopifyStore();
    const body = JSON.stringify(level());
    const attempts: Record<string, string>[] = [
      {},
      { 'x-shopify-hmac-sha256': 'not base64!' },
      {
        'x-shopify-hmac-sha256': await signHmacSha256(
          'another-secret-entirely',
          new TextEncoder().encode(body),
        ),
      },
      { 'x-shopify-hmac-sha256': await signHmacSha256(SHOPIFY_SECRET, new TextEncoder().encode(`${body} `)) },
    ];
    for (const headers of attempts) {
      const res = await call('POST', `/webhooks/pos/shopify/${store.id}`, {
        body,
        headers: { 'x-shopify-topic': 'inventory_levels/update', ...headers },
      });
      await expectError(res, 401, 'unauthorized');
    }
    expect(await stored(store.id)).toEqual([]);
  });

  it('answers 400 for a signed payload of the wrong shape, changing nothing', async () => {
    const { store } = await shopifyStore();
    await expectError(
      await shopifyWebhook(store.id, { inventory_item_id: 808950810 }, SHOPIFY_SECRET),
      400,
      'validation_failed',
    );
    expect(await stored(store.id)).toEqual([]);
  });

  it('answers 401 for a location without a Shopify secret, 404 for an unknown location', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    await expectError(await shopifyWebhook(store.id, level(), SHOPIFY_SECRET), 401, 'unauthorized');
    await expectError(await shopifyWebhook('loc_unknown', level(), SHOPIFY_SECRET), 404, 'not_found');
  });

  it('treats replays and out-of-order deliveries as harmless', async () => {
    const { store } = await shopifyStore();
    const newer = level({ available: 4, updated_at: '2026-01-05T12:00:00Z' });
    await shopifyWebhook(store.id, newer, SHOPIFY_SECRET);
    const replay = await shopifyWebhook(store.id, newer, SHOPIFY_SECRET);
    expect(await replay.json()).toMatchObject({ applied: 0, stale: 1 });
    const late = await shopifyWebhook(
      store.id,
      level({ available: 9, updated_at: '2026-01-05T11:00:00Z' }),
      SHOPIFY_SECRET,
    );
    expect(await late.json()).toMatchObject({ applied: 0, stale: 1 });
    expect(await stored(store.id)).toMatchObject([
      { quantity: 4, synced_at: Date.parse('2026-01-05T12:00:00Z') },
    ]);
  });

  it('acknowledges but ignores other Shopify locations, unmapped items, untracked items and other topics', async () => {
    const { store } = await shopifyStore();
    const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [level({ location_id: 999 }), {}, /location 999 is not this location's/],
      [level({ inventory_item_id: 1234 }), {}, /no GTIN is mapped/],
      [level({ available: null }), {}, /does not track/],
      [level(), { 'x-shopify-topic': 'products/update' }, /topic products\/update is not handled/],
    ];
    for (const [payload, headers, reason] of cases) {
      const res = await shopifyWebhook(store.id, payload, SHOPIFY_SECRET, headers);
      expect(res.status).toBe(200);
      const body = await res.json<{ applied: number; ignored: { reason: string }[] }>();
      expect(body.applied).toBe(0);
      expect(body.ignored[0]?.reason).toMatch(reason);
    }
    expect(await stored(store.id)).toEqual([]);
  });

  it('counts an oversold item (negative available) as out of stock', async () => {
    const { store } = await shopifyStore();
    await shopifyWebhook(store.id, level({ available: -2 }), SHOPIFY_SECRET);
    expect(await stored(store.id)).toMatchObject([{ quantity: 0, status: 'out_of_stock' }]);
  });

  it('rejects a body over 256 KiB with 413', async () => {
    const { store } = await shopifyStore();
    const res = await shopifyWebhook(store.id, level({ note: 'x'.repeat(300 * 1024) }), SHOPIFY_SECRET);
    await expectError(res, 413, 'payload_too_large');
  });
});

describe('Square inventory.count.updated', () => {
  async function squareStore() {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey, {
      pos: { square: { location_id: 'LQ8NX8H3WC9G1', signature_key: SQUARE_KEY } },
    });
    await call('PUT', `/v1/locations/${store.id}/pos-items`, {
      key: org.ownerKey,
      body: {
        platform: 'square',
        items: [{ pos_item_id: 'FGQ5JJWT2PYTHF35CKZ2DSKP', gtin: '09506000134352' }],
      },
    });
    return { org, store };
  }

  const event = (counts: Record<string, unknown>[]) => ({
    merchant_id: 'MLXBM2X0E6RCX',
    type: 'inventory.count.updated',
    event_id: '0d8d7fa1-7d9d-4f9b-8a55-6d35b1f4d7b1',
    created_at: '2026-01-05T18:38:45.455006797Z',
    data: { type: 'inventory_counts', id: 'a1b2', object: { inventory_counts: counts } },
  });

  const count = (overrides: Record<string, unknown> = {}) => ({
    calculated_at: '2026-01-05T18:38:45.10296Z',
    catalog_object_id: 'FGQ5JJWT2PYTHF35CKZ2DSKP',
    catalog_object_type: 'ITEM_VARIATION',
    location_id: 'LQ8NX8H3WC9G1',
    quantity: '10',
    state: 'IN_STOCK',
    ...overrides,
  });

  it('applies the IN_STOCK count of a signed event (URL + body)', async () => {
    const { store } = await squareStore();
    const res = await squareWebhook(
      store.id,
      event([count({ quantity: '7.5' }), count({ state: 'SOLD', quantity: '3' })]),
      SQUARE_KEY,
    );
    expect(await res.json()).toEqual({
      received: 2,
      applied: 1,
      stale: 0,
      ignored: [{ pos_item_id: 'FGQ5JJWT2PYTHF35CKZ2DSKP', reason: 'state SOLD is not stock on hand' }],
    });
    expect(await stored(store.id)).toEqual([
      {
        gtin: '09506000134352',
        quantity: 7,
        status: 'in_stock',
        synced_at: Date.parse('2026-01-05T18:38:45.102Z'),
        source: 'square',
      },
    ]);
  });

  it('refuses a signed count too large to be one (400), storing nothing', async () => {
    const { store } = await squareStore();
    for (const quantity of [`1${'0'.repeat(400)}`, `1${'0'.repeat(30)}`, '1000000001', '-1000000001']) {
      const res = await squareWebhook(store.id, event([count({ quantity })]), SQUARE_KEY);
      const error = await expectError(res, 400, 'validation_failed');
      expect(JSON.stringify(error.details)).toContain('at most 1000000000');
    }
    expect(await stored(store.id)).toEqual([]);
  });

  it('answers 401 when the signature covers another URL or is missing, changing nothing', async () => {
    const { store } = await squareStore();
    const body = JSON.stringify(event([count()]));
    const signedForOtherUrl = await signHmacSha256(
      SQUARE_KEY,
      new TextEncoder().encode(`https://evil.example/hook${body}`),
    );
    const attempts: Record<string, string>[] = [{ 'x-square-hmacsha256-signature': signedForOtherUrl }, {}];
    for (const headers of attempts) {
      await expectError(
        await call('POST', `/webhooks/pos/square/${store.id}`, { body, headers }),
        401,
        'unauthorized',
      );
    }
    expect(await stored(store.id)).toEqual([]);
  });

  it('is idempotent under replays and ignores other event types', async () => {
    const { store } = await squareStore();
    const payload = event([count()]);
    await squareWebhook(store.id, payload, SQUARE_KEY);
    expect(await (await squareWebhook(store.id, payload, SQUARE_KEY)).json()).toMatchObject({
      applied: 0,
      stale: 1,
    });
    const other = await squareWebhook(store.id, { ...payload, type: 'catalog.version.updated' }, SQUARE_KEY);
    expect(await other.json()).toMatchObject({
      applied: 0,
      ignored: [{ reason: 'event type catalog.version.updated is not handled' }],
    });
    expect(await stored(store.id)).toMatchObject([{ quantity: 10 }]);
  });
});

describe('POS item mappings', () => {
  it('lists, replaces and deletes mappings; editors write, readonly keys read', async () => {
    const { org, store } = await shopifyStore();
    const reader = await insertKey(org.orgId, 'readonly');
    const list = async () =>
      (
        await (
          await call('GET', `/v1/locations/${store.id}/pos-items`, { key: reader.key })
        ).json<{ data: unknown[] }>()
      ).data;
    expect(await list()).toEqual([
      expect.objectContaining({ platform: 'shopify', pos_item_id: BIG_ITEM_ID, gtin: '09506000134352' }),
      expect.objectContaining({ platform: 'shopify', pos_item_id: '808950810', gtin: '09506000134376' }),
    ]);
    await expectError(
      await call('PUT', `/v1/locations/${store.id}/pos-items`, {
        key: reader.key,
        body: { platform: 'shopify', items: [{ pos_item_id: '1', gtin: '96385074' }] },
      }),
      403,
      'forbidden',
    );
    await call('PUT', `/v1/locations/${store.id}/pos-items`, {
      key: org.ownerKey,
      body: { platform: 'shopify', items: [{ pos_item_id: '808950810', gtin: '96385074' }] },
    });
    expect(
      (
        await call('DELETE', `/v1/locations/${store.id}/pos-items/shopify/${BIG_ITEM_ID}`, {
          key: org.ownerKey,
        })
      ).status,
    ).toBe(204);
    expect(await list()).toEqual([
      expect.objectContaining({ pos_item_id: '808950810', gtin: '00000096385074' }),
    ]);
  });

  it('rejects a mapping to a GTIN with a wrong check digit', async () => {
    const { org, store } = await shopifyStore();
    const res = await call('PUT', `/v1/locations/${store.id}/pos-items`, {
      key: org.ownerKey,
      body: { platform: 'shopify', items: [{ pos_item_id: '5', gtin: '96385075' }] },
    });
    await expectError(res, 400, 'validation_failed');
  });
});
