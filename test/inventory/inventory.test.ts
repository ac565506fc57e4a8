import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';
import { createLocation } from '../support/inventory';

interface InventoryBody {
  location_id: string;
  gtin: string;
  quantity: number;
  price: number | null;
  currency: string | null;
  status: string;
  synced_at: string;
  confidence: string;
  source: string;
}

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function stored(locationId: string) {
  return (
    await env.DB.prepare(
      'SELECT gtin, quantity, price, currency, status, synced_at FROM inventory WHERE location_id = ? ORDER BY gtin',
    )
      .bind(locationId)
      .all()
  ).results;
}

async function sync(key: string, items: unknown[]) {
  return call('POST', '/v1/inventory/bulk', { key, body: { items } });
}

describe('inventory sync', () => {
  it('upserts per (location, GTIN) with quantity, price, currency, status and synced_at', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const syncedAt = ago(5 * MINUTE);
    const res = await sync(org.ownerKey, [
      {
        location_id: store.id,
        gtin: '9506000134352',
        quantity: 12,
        price: 3.49,
        currency: 'eur',
        synced_at: syncedAt,
      },
      { location_id: store.id, gtin: '09506000134376', quantity: 0, synced_at: syncedAt },
      { location_id: store.id, gtin: '96385074', quantity: 2, status: 'low_stock', synced_at: syncedAt },
    ]);
    expect(await res.json()).toEqual({ received: 3, applied: 3, stale: 0 });
    expect(await stored(store.id)).toEqual([
      {
        gtin: '00000096385074',
        quantity: 2,
        price: null,
        currency: null,
        status: 'low_stock',
        synced_at: Date.parse(syncedAt),
      },
      {
        gtin: '09506000134352',
        quantity: 12,
        price: 3.49,
        currency: 'EUR',
        status: 'in_stock',
        synced_at: Date.parse(syncedAt),
      },
      {
        gtin: '09506000134376',
        quantity: 0,
        price: null,
        currency: null,
        status: 'out_of_stock',
        synced_at: Date.parse(syncedAt),
      },
    ]);
  });

  it('never lets an older count overwrite a newer one, and replays change nothing', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const newer = {
      location_id: store.id,
      gtin: '09506000134352',
      quantity: 5,
      price: 2.99,
      currency: 'EUR',
      synced_at: ago(MINUTE),
    };
    expect(await (await sync(org.ownerKey, [newer])).json()).toMatchObject({ applied: 1 });
    const older = { ...newer, quantity: 40, price: 1.99, synced_at: ago(10 * MINUTE) };
    expect(await (await sync(org.ownerKey, [older])).json()).toEqual({ received: 1, applied: 0, stale: 1 });
    expect(await (await sync(org.ownerKey, [newer])).json()).toEqual({ received: 1, applied: 0, stale: 1 }); // replay
    expect(await stored(store.id)).toEqual([
      {
        gtin: '09506000134352',
        quantity: 5,
        price: 2.99,
        currency: 'EUR',
        status: 'in_stock',
        synced_at: Date.parse(newer.synced_at),
      },
    ]);
    // A newer count without a price keeps the stored price.
    const newest = { location_id: store.id, gtin: '09506000134352', quantity: 4, synced_at: ago(0) };
    expect(await (await sync(org.ownerKey, [newest])).json()).toMatchObject({ applied: 1 });
    expect(await stored(store.id)).toMatchObject([{ quantity: 4, price: 2.99, currency: 'EUR' }]);
  });

  it.each([
    ['a negative quantity', { quantity: -1 }, 'items.0.quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'items.0.quantity'],
    ['a currency that is not ISO 4217', { price: 3, currency: 'EUD' }, 'items.0.currency'],
    ['a price without a currency', { price: 3 }, 'items.0.currency'],
    ['a GTIN with a wrong check digit', { gtin: '09506000134353' }, 'items.0.gtin'],
    ['in_stock with quantity 0', { quantity: 0, status: 'in_stock' }, 'items.0.status'],
    ['a synced_at without a time zone', { synced_at: '2026-01-01T10:00:00' }, 'items.0.synced_at'],
    [
      'a synced_at in the future',
      { synced_at: new Date(Date.now() + 3_600_000).toISOString() },
      'items.0.synced_at',
    ],
  ])('rejects %s with 400 and writes nothing', async (_, override, path) => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const good = { location_id: store.id, gtin: '09506000134376', quantity: 1, synced_at: ago(0) };
    const bad = {
      location_id: store.id,
      gtin: '09506000134352',
      quantity: 1,
      synced_at: ago(0),
      ...override,
    };
    const error = await expectError(await sync(org.ownerKey, [bad, good]), 400, 'validation_failed');
    expect((error.details as { path: string }[]).map((d) => d.path)).toContain(path);
    expect(await stored(store.id)).toEqual([]);
  });

  it("answers 404 for an unknown location or another organisation's, writing nothing", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const mine = await createLocation(a.ownerKey);
    const theirs = await createLocation(b.ownerKey);
    const items = (locationId: string) => [
      { location_id: mine.id, gtin: '09506000134352', quantity: 1, synced_at: ago(0) },
      { location_id: locationId, gtin: '09506000134352', quantity: 99, synced_at: ago(0) },
    ];
    for (const locationId of ['loc_unknown', theirs.id]) {
      const error = await expectError(await sync(a.ownerKey, items(locationId)), 404, 'not_found');
      expect(error.details).toEqual({ location_ids: [locationId] });
    }
    expect(await stored(mine.id)).toEqual([]);
    expect(await stored(theirs.id)).toEqual([]);
    await expectError(
      await call('GET', `/v1/inventory?location_id=${theirs.id}`, { key: a.ownerKey }),
      404,
      'not_found',
    );
  });

  it('refuses the same location and GTIN twice in one request', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const row = { location_id: store.id, gtin: '09506000134352', quantity: 1, synced_at: ago(0) };
    await expectError(
      await sync(org.ownerKey, [row, { ...row, gtin: '9506000134352' }]),
      400,
      'validation_failed',
    );
  });

  it('caps a request at 10,000 items (400) and 8 MiB (413)', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const items = Array.from({ length: 10_001 }, (_, i) => ({
      location_id: store.id,
      gtin: withCheckDigit(`1950600${String(i).padStart(6, '0')}`),
      quantity: 1,
      synced_at: ago(0),
    }));
    const error = await expectError(await sync(org.ownerKey, items), 400, 'validation_failed');
    expect(error.details).toContainEqual({
      path: 'items',
      message: 'at most 10000 items per request; split larger syncs',
    });
    const padded = JSON.stringify({ items: items.slice(0, 10), padding: 'x'.repeat(8 * 1024 * 1024) });
    await expectError(
      await call('POST', '/v1/inventory/bulk', { key: org.ownerKey, body: padded }),
      413,
      'payload_too_large',
    );
    expect(await stored(store.id)).toEqual([]);
  });

  it('syncs 10,000 rows in one request', async () => {
    const org = await createOrganization();
    const stores = [await createLocation(org.ownerKey), await createLocation(org.ownerKey)];
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      location_id: stores[i % 2]!.id,
      gtin: withCheckDigit(`1950600${String(Math.floor(i / 2)).padStart(6, '0')}`),
      quantity: i % 7,
      price: 1 + (i % 100) / 100,
      currency: 'EUR',
      synced_at: ago(i),
    }));
    const res = await sync(org.ownerKey, items);
    expect(await res.json()).toEqual({ received: 10_000, applied: 10_000, stale: 0 });
    const count = await env.DB.prepare('SELECT count(*) AS n FROM inventory WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(count).toBe(10_000);
  });

  it('needs an editor key', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    const reader = await insertKey(org.orgId, 'readonly');
    const items = [{ location_id: store.id, gtin: '09506000134352', quantity: 1, synced_at: ago(0) }];
    await expectError(await sync(reader.key, items), 403, 'forbidden');
    const editor = await insertKey(org.orgId, 'editor');
    expect((await sync(editor.key, items)).status).toBe(200);
  });
});

describe('inventory list', () => {
  it('gives each figure a confidence from its age and filters on it', async () => {
    const org = await createOrganization();
    const store = await createLocation(org.ownerKey);
    await sync(org.ownerKey, [
      { location_id: store.id, gtin: '09506000134352', quantity: 1, synced_at: ago(30 * MINUTE) },
      { location_id: store.id, gtin: '09506000134376', quantity: 1, synced_at: ago(5 * 60 * MINUTE) },
      { location_id: store.id, gtin: '96385074', quantity: 0, synced_at: ago(3 * 24 * 60 * MINUTE) },
    ]);
    const list = async (query: string) =>
      (
        await (
          await call('GET', `/v1/inventory?${query}`, { key: org.ownerKey })
        ).json<{ data: InventoryBody[] }>()
      ).data.map((i) => [i.gtin, i.confidence]);
    expect(await list('')).toEqual([
      ['00000096385074', 'uncertain'],
      ['09506000134352', 'confirmed'],
      ['09506000134376', 'likely'],
    ]);
    expect(await list('confidence=likely')).toEqual([['09506000134376', 'likely']]);
    expect(await list('status=out_of_stock')).toEqual([['00000096385074', 'uncertain']]);
    expect(await list(`gtin=9506000134352&location_id=${store.id}`)).toEqual([
      ['09506000134352', 'confirmed'],
    ]);
  });

  it("pages across locations and keeps other organisations' inventory out", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const [s1, s2] = [await createLocation(a.ownerKey), await createLocation(a.ownerKey)];
    const other = await createLocation(b.ownerKey);
    const row = (location_id: string, gtin: string) => ({
      location_id,
      gtin,
      quantity: 1,
      synced_at: ago(0),
    });
    await sync(a.ownerKey, [
      row(s1.id, '09506000134352'),
      row(s2.id, '09506000134352'),
      row(s1.id, '09506000134376'),
    ]);
    await sync(b.ownerKey, [row(other.id, '09506000134352')]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/inventory?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body: { data: InventoryBody[]; next_cursor: string | null } = await (
        await call('GET', path, { key: a.ownerKey })
      ).json();
      seen.push(...body.data.map((i) => `${i.gtin}@${i.location_id}`));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(seen.some((s) => s.endsWith(other.id))).toBe(false);
  });
});
