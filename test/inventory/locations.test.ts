import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError, ORIGIN } from '../support/http';
import { createLocation, type LocationBody, STORE } from '../support/inventory';

interface ListBody {
  data: LocationBody[];
  next_cursor: string | null;
}

describe('locations', () => {
  it('creates a store with address, coordinates, a canonical time zone and POS ids', async () => {
    const org = await createOrganization();
    const res = await call('POST', '/v1/locations', {
      key: org.ownerKey,
      body: {
        ...STORE,
        timezone: 'europe/paris',
        pos: { shopify: { location_id: 24826418, webhook_secret: 'shpss_0123456789abcdef' } },
      },
    });
    expect(res.status).toBe(201);
    const location = await res.json<LocationBody>();
    expect(location).toMatchObject({
      name: 'Lyon Part-Dieu',
      address: {
        line1: '17 Rue du Docteur Bouchut',
        line2: null,
        city: 'Lyon',
        region: null,
        postal_code: '69003',
        country: 'FR',
      },
      latitude: 45.7605,
      longitude: 4.8597,
      timezone: 'Europe/Paris',
      pos: {
        shopify: {
          location_id: '24826418',
          webhook_secret_set: true,
          webhook_url: `${ORIGIN}/webhooks/pos/shopify/${location.id}`,
        },
        square: {
          location_id: null,
          signature_key_set: false,
          webhook_url: `${ORIGIN}/webhooks/pos/square/${location.id}`,
        },
      },
      last_synced_at: null,
      active: false,
    });
    expect(location.id).toMatch(/^loc_/);
  });

  it('never returns a POS secret, and stores it sealed', async () => {
    const org = await createOrganization();
    const secret = 'shpss_0123456789abcdef';
    const res = await call('POST', '/v1/locations', {
      key: org.ownerKey,
      body: { ...STORE, pos: { shopify: { webhook_secret: secret } } },
    });
    const text = await res.text();
    expect(text).not.toContain(secret);
    const { id } = JSON.parse(text) as LocationBody;
    for (const path of [`/v1/locations/${id}`, '/v1/locations']) {
      expect(await (await call('GET', path, { key: org.ownerKey })).text()).not.toContain(secret);
    }
    const stored = await env.DB.prepare('SELECT shopify_webhook_secret AS s FROM locations WHERE id = ?')
      .bind(id)
      .first<string>('s');
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(btoa(secret));
  });

  it('says when each POS secret was set: kept by other changes, renewed by a new secret, cleared with it', async () => {
    const org = await createOrganization();
    const before = Date.now();
    const created = await createLocation(org.ownerKey, {
      pos: { square: { location_id: 'L1', signature_key: 'square-key-0123456789' } },
    });
    const setAt = created.pos.square.signature_key_set_at;
    expect(Date.parse(setAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(created.pos.shopify.webhook_secret_set_at).toBeNull();
    const path = `/v1/locations/${created.id}`;
    const patch = async (body: unknown) => {
      const res = await call('PATCH', path, { key: org.ownerKey, body });
      expect(res.status).toBe(200);
      return res.json<LocationBody>();
    };
    await new Promise((r) => setTimeout(r, 5));
    // A rename and a new Square location id leave the key, and its date, alone.
    const renamed = await patch({ name: 'Renamed', pos: { square: { location_id: 'L2' } } });
    expect(renamed.pos.square).toMatchObject({ signature_key_set: true, signature_key_set_at: setAt });
    const renewed = await patch({ pos: { square: { signature_key: 'square-key-abcdefghij' } } });
    expect(Date.parse(renewed.pos.square.signature_key_set_at ?? '')).toBeGreaterThan(Date.parse(setAt!));
    const shopify = await patch({ pos: { shopify: { webhook_secret: 'shpss_0123456789abcdef' } } });
    expect(shopify.pos.shopify.webhook_secret_set_at).not.toBeNull();
    const cleared = await patch({ pos: { square: { signature_key: null } } });
    expect(cleared.pos.square).toMatchObject({ signature_key_set: false, signature_key_set_at: null });
    const removed = await patch({ pos: { shopify: null } });
    expect(removed.pos.shopify).toMatchObject({ webhook_secret_set: false, webhook_secret_set_at: null });
    const stored = await env.DB.prepare(
      'SELECT shopify_webhook_secret_set_at AS a, square_signature_key_set_at AS b FROM locations WHERE id = ?',
    )
      .bind(created.id)
      .first();
    expect(stored).toEqual({ a: null, b: null });
    const listed = await (await call('GET', '/v1/locations', { key: org.ownerKey })).json<ListBody>();
    expect(listed.data[0]?.pos.square.signature_key_set_at).toBeNull();
  });

  it('updates part of a store; null removes a POS connection', async () => {
    const org = await createOrganization();
    const created = await createLocation(org.ownerKey, {
      pos: { square: { location_id: 'L8GZ', signature_key: 'sq-signature-key-1' } },
    });
    const res = await call('PATCH', `/v1/locations/${created.id}`, {
      key: org.ownerKey,
      body: { name: 'Lyon Centre', timezone: 'America/Argentina/Buenos_Aires', pos: { square: null } },
    });
    const updated = await res.json<LocationBody>();
    expect(updated).toMatchObject({ name: 'Lyon Centre', timezone: 'America/Argentina/Buenos_Aires' });
    expect(updated.pos.square).toMatchObject({ location_id: null, signature_key_set: false });
    expect(await (await call('GET', `/v1/locations/${created.id}`, { key: org.ownerKey })).json()).toEqual(
      updated,
    );
  });

  it('deletes a store with its inventory', async () => {
    const org = await createOrganization();
    const location = await createLocation(org.ownerKey);
    await call('POST', '/v1/inventory/bulk', {
      key: org.ownerKey,
      body: {
        items: [
          {
            location_id: location.id,
            gtin: '09506000134352',
            quantity: 3,
            synced_at: new Date().toISOString(),
          },
        ],
      },
    });
    expect((await call('DELETE', `/v1/locations/${location.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(
      await call('GET', `/v1/locations/${location.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM inventory WHERE location_id = ?')
      .bind(location.id)
      .first('n');
    expect(rows).toBe(0);
  });

  it.each([
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
    ['a UTC offset instead of a zone', { timezone: '+01:00' }, 'timezone'],
    ['a latitude beyond 90', { latitude: 91 }, 'latitude'],
    ['a longitude beyond 180', { longitude: -180.5 }, 'longitude'],
    ['a country that is not ISO 3166', { address: { ...STORE.address, country: 'UK' } }, 'address.country'],
    ['a short POS secret', { pos: { shopify: { webhook_secret: 'short' } } }, 'pos.shopify.webhook_secret'],
  ])('rejects %s with 400', async (_, extra, path) => {
    const org = await createOrganization();
    const error = await expectError(
      await call('POST', '/v1/locations', { key: org.ownerKey, body: { ...STORE, ...extra } }),
      400,
      'validation_failed',
    );
    expect((error.details as { path: string }[]).map((d) => d.path)).toContain(path);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM locations WHERE org_id = ?').bind(org.orgId).first('n'),
    ).toBe(0);
  });

  it('needs a manager key to write, any key to read', async () => {
    const org = await createOrganization();
    const editor = await insertKey(org.orgId, 'editor');
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(
      await call('POST', '/v1/locations', { key: editor.key, body: STORE }),
      403,
      'forbidden',
    );
    const location = await createLocation(org.ownerKey);
    expect((await call('GET', `/v1/locations/${location.id}`, { key: reader.key })).status).toBe(200);
    await expectError(
      await call('DELETE', `/v1/locations/${location.id}`, { key: editor.key }),
      403,
      'forbidden',
    );
  });

  it("keeps one organisation out of another's stores (404, unchanged)", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const location = await createLocation(b.ownerKey);
    await expectError(
      await call('GET', `/v1/locations/${location.id}`, { key: a.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('PATCH', `/v1/locations/${location.id}`, { key: a.ownerKey, body: { name: 'x' } }),
      404,
      'not_found',
    );
    await expectError(
      await call('DELETE', `/v1/locations/${location.id}`, { key: a.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('GET', `/v1/locations/${location.id}/pos-items`, { key: a.ownerKey }),
      404,
      'not_found',
    );
    expect((await (await call('GET', '/v1/locations', { key: a.ownerKey })).json<ListBody>()).data).toEqual(
      [],
    );
    expect(await (await call('GET', `/v1/locations/${location.id}`, { key: b.ownerKey })).json()).toEqual(
      location,
    );
  });
});

describe('location list', () => {
  it('marks stores active when inventory was synced within 7 days, and filters on it', async () => {
    const org = await createOrganization();
    const fresh = await createLocation(org.ownerKey, { name: 'A fresh' });
    const stale = await createLocation(org.ownerKey, { name: 'B stale' });
    await createLocation(org.ownerKey, { name: 'C never', address: { ...STORE.address, country: 'DE' } });
    const day = 24 * 60 * 60 * 1000;
    await call('POST', '/v1/inventory/bulk', {
      key: org.ownerKey,
      body: {
        items: [
          {
            location_id: fresh.id,
            gtin: '09506000134352',
            quantity: 1,
            synced_at: new Date(Date.now() - 6 * day).toISOString(),
          },
          {
            location_id: stale.id,
            gtin: '09506000134352',
            quantity: 1,
            synced_at: new Date(Date.now() - 8 * day).toISOString(),
          },
        ],
      },
    });
    const list = async (query: string) =>
      (await (await call('GET', `/v1/locations?${query}`, { key: org.ownerKey })).json<ListBody>()).data.map(
        (l) => [l.name, l.active],
      );
    expect(await list('')).toEqual([
      ['A fresh', true],
      ['B stale', false],
      ['C never', false],
    ]);
    expect(await list('active=true')).toEqual([['A fresh', true]]);
    expect(await list('active=false')).toEqual([
      ['B stale', false],
      ['C never', false],
    ]);
    expect(await list('country=de')).toEqual([['C never', false]]);
  });

  it('pages by name', async () => {
    const org = await createOrganization();
    for (const name of ['Paris', 'Berlin', 'Lisbon', 'Berlin']) await createLocation(org.ownerKey, { name });
    const first = await (await call('GET', '/v1/locations?limit=2', { key: org.ownerKey })).json<ListBody>();
    const second = await (
      await call('GET', `/v1/locations?limit=2&cursor=${first.next_cursor}`, { key: org.ownerKey })
    ).json<ListBody>();
    expect([...first.data, ...second.data].map((l) => l.name)).toEqual([
      'Berlin',
      'Berlin',
      'Lisbon',
      'Paris',
    ]);
    expect(second.next_cursor).toBeNull();
  });
});
