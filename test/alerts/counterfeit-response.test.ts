// Issue 24 through the ScanCounter: scanner sessions in the over-scan detector, and auto-block.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAlertBatch, type PendingAlert } from '../../src/alerts/alert-upsert';
import { createOrganization, type TestOrg } from '../support/accounts';
import { addAlertProduct, alertGtin, alertsOf, putSettings } from '../support/alerts';
import { call } from '../support/http';
import { createLocation } from '../support/inventory';
import { recordScans, type ScanSpec } from '../support/recorded-scans';

const gtin = (n: number) => alertGtin(600 + n); // this file: 600–699
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const PARIS = { country: 'FR', region: 'Île-de-France', city: 'Paris', latitude: 48.8566, longitude: 2.3522 };
// 20 km from Paris: another 0.1° cell, too near for impossible travel.
const NEARBY = {
  country: 'FR',
  region: 'Île-de-France',
  city: 'Roissy',
  latitude: 48.9968,
  longitude: 2.5498,
};
const TOKYO = { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6762, longitude: 139.6503 };

interface BlockJson {
  id: string;
  serial: string | null;
  source: string;
  reason: string;
  alert_id: string | null;
}

async function blocksOf(key: string, g: string): Promise<BlockJson[]> {
  const res = await call('GET', `/v1/blocked-codes?gtin=${g}`, { key });
  expect(res.status).toBe(200);
  return (await res.json<{ data: BlockJson[] }>()).data;
}

describe('scanner sessions in the ScanCounter', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createOrganization('Session Foods');
    await putSettings(org.ownerKey, { serial_overscanned: { max_places: 1 } });
  });
  const scansOf = (g: string, specs: Omit<ScanSpec, 'keyValue' | 'orgId'>[]): ScanSpec[] =>
    specs.map((s) => ({ keyValue: g, orgId: org.orgId, ...s }));

  it("counts one scanner's retries within the session as one scan: no false alarm", async () => {
    const g = gtin(1);
    await addAlertProduct(org.ownerKey, g);
    await recordScans(scansOf(g, [{ occurredAt: T0, ...PARIS, serial: 'RETRY', scannerHash: 'phone' }]));
    // Five minutes later, another batch, the edge places the same phone 20 km away.
    await recordScans(
      scansOf(g, [{ occurredAt: T0 + 5 * MINUTE, ...NEARBY, serial: 'RETRY', scannerHash: 'phone' }]),
    );
    expect(await alertsOf(org.ownerKey, g)).toEqual([]);
    // Past the 30-minute session the same place counts.
    await recordScans(
      scansOf(g, [{ occurredAt: T0 + 40 * MINUTE, ...NEARBY, serial: 'RETRY', scannerHash: 'phone' }]),
    );
    const [alert] = await alertsOf(org.ownerKey, g);
    expect(alert).toMatchObject({ type: 'serial_overscanned', serial: 'RETRY' });
    expect(alert!.evidence).toMatchObject({ reasons: ['places'], distinct_places: 2 });
  });

  it('with scanner_session_minutes 0 every scan counts', async () => {
    const other = await createOrganization('No Session Foods');
    await putSettings(other.ownerKey, { serial_overscanned: { max_places: 1, scanner_session_minutes: 0 } });
    const g = gtin(2);
    await addAlertProduct(other.ownerKey, g);
    await recordScans([
      { keyValue: g, orgId: other.orgId, occurredAt: T0, ...PARIS, serial: 'RETRY', scannerHash: 'phone' },
      {
        keyValue: g,
        orgId: other.orgId,
        occurredAt: T0 + 5 * MINUTE,
        ...NEARBY,
        serial: 'RETRY',
        scannerHash: 'phone',
      },
    ]);
    expect((await alertsOf(other.ownerKey, g)).map((a) => a.type)).toEqual(['serial_overscanned']);
  });

  it('validates the setting', async () => {
    for (const minutes of [-1, 1441, 1.5, '30']) {
      const res = await call('PUT', '/v1/alerts/settings', {
        key: org.ownerKey,
        body: { serial_overscanned: { scanner_session_minutes: minutes } },
      });
      expect(res.status).toBe(400);
    }
    const res = await call('GET', '/v1/alerts/settings', { key: org.ownerKey });
    expect(await res.json()).toMatchObject({
      settings: { serial_overscanned: { scanner_session_minutes: 30 }, auto_block: false },
      defaults: { serial_overscanned: { scanner_session_minutes: 30 }, auto_block: false },
    });
  });
});

describe('auto-block', () => {
  it('blocks the serial when an impossible_travel alert opens, once, and the resolver then blocks it', async () => {
    const org = await createOrganization('Auto Block Foods');
    await putSettings(org.ownerKey, { auto_block: true });
    const g = gtin(10);
    await addAlertProduct(org.ownerKey, g);
    const travel = (at: number, place: typeof PARIS, hash: string): ScanSpec => ({
      keyValue: g,
      orgId: org.orgId,
      occurredAt: at,
      ...place,
      serial: 'FLY',
      scannerHash: hash,
    });
    await recordScans([travel(T0, PARIS, 'a'), travel(T0 + HOUR, TOKYO, 'b')]);
    const [alert] = await alertsOf(org.ownerKey, g);
    expect(alert).toMatchObject({ type: 'impossible_travel', serial: 'FLY' });
    const blocks = await blocksOf(org.ownerKey, g);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      serial: 'FLY',
      source: 'auto',
      alert_id: alert!.id,
      reason: `automatic: impossible_travel alert ${alert!.id}`,
    });
    // The alert stays open and counts on: no second block.
    await recordScans([travel(T0 + 2 * HOUR, PARIS, 'c')]);
    expect((await alertsOf(org.ownerKey, g))[0]!.occurrences).toBeGreaterThan(1);
    expect(await blocksOf(org.ownerKey, g)).toHaveLength(1);
    // A never-scanned-here GTIN is read cold: the serial goes to the warning page.
    const res = await call('GET', `/01/${g}/21/FLY`);
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`https://dl.example.test/p/blocked/${blocks[0]!.id}`);
  });

  it('is off by default, and a batch applied twice blocks once', async () => {
    const org = await createOrganization('Manual Block Foods');
    const g = gtin(11);
    await addAlertProduct(org.ownerKey, g);
    await recordScans([
      { keyValue: g, orgId: org.orgId, occurredAt: T0, ...PARIS, serial: 'FLY', scannerHash: 'a' },
      { keyValue: g, orgId: org.orgId, occurredAt: T0 + HOUR, ...TOKYO, serial: 'FLY', scannerHash: 'b' },
    ]);
    expect((await alertsOf(org.ownerKey, g)).map((a) => a.type)).toEqual(['impossible_travel']);
    expect(await blocksOf(org.ownerKey, g)).toEqual([]);

    const pending: PendingAlert = {
      orgId: org.orgId,
      gtin: g,
      type: 'serial_overscanned',
      severity: 'medium',
      dedupeKey: `serial_overscanned|${g}|TWICE`,
      lot: null,
      serial: 'TWICE',
      occurrences: 1,
      firstSeenAt: T0,
      lastSeenAt: T0,
      evidence: { scans: [] },
      autoBlock: true,
    };
    const batch = { token: crypto.randomUUID(), alerts: [{ alert: pending, id: 'alt_twice0000000000001' }] };
    expect(await applyAlertBatch(env.DB, batch, Date.now())).toEqual(['alt_twice0000000000001']);
    expect(await applyAlertBatch(env.DB, batch, Date.now())).toEqual(['alt_twice0000000000001']);
    const blocks = await blocksOf(org.ownerKey, g);
    expect(blocks.map((b) => [b.serial, b.source, b.alert_id])).toEqual([
      ['TWICE', 'auto', 'alt_twice0000000000001'],
    ]);
  });
});

describe('unexpected location in the ScanCounter', () => {
  it('raises unexpected_location far from every stocking store, in a country without one', async () => {
    const org = await createOrganization('Stocked Foods');
    const g = gtin(20);
    await addAlertProduct(org.ownerKey, g);
    const lyon = await createLocation(org.ownerKey); // Lyon, FR
    const empty = await createLocation(org.ownerKey, {
      name: 'Tokyo shop',
      address: { line1: '1 Chome', city: 'Tokyo', country: 'JP' },
      latitude: 35.68,
      longitude: 139.76,
      timezone: 'Asia/Tokyo',
    });
    const sync = await call('POST', '/v1/inventory/bulk', {
      key: org.ownerKey,
      body: {
        items: [
          { location_id: lyon.id, gtin: g, quantity: 5, synced_at: new Date().toISOString() },
          // Out of stock: Tokyo is not a place the GTIN is sold.
          { location_id: empty.id, gtin: g, quantity: 0, synced_at: new Date().toISOString() },
        ],
      },
    });
    expect(sync.status, await sync.clone().text()).toBe(200);
    const scans = (n: number): ScanSpec[] => [
      { keyValue: g, orgId: org.orgId, occurredAt: T0 + n, ...PARIS, scannerHash: `p${n}` },
      { keyValue: g, orgId: org.orgId, occurredAt: T0 + n + HOUR, ...TOKYO, scannerHash: `t${n}` },
    ];
    // Off by default.
    await recordScans(scans(0));
    expect(await alertsOf(org.ownerKey, g)).toEqual([]);

    await putSettings(org.ownerKey, { unexpected_location: { enabled: true, km: 300 } });
    // The counter's reference data (stores included) is cached for 30 s: a fresh GTIN's counter reads it now.
    const g2 = gtin(21);
    await addAlertProduct(org.ownerKey, g2);
    await call('POST', '/v1/inventory/bulk', {
      key: org.ownerKey,
      body: { items: [{ location_id: lyon.id, gtin: g2, quantity: 2, synced_at: new Date().toISOString() }] },
    });
    await recordScans(scans(1).map((x) => ({ ...x, keyValue: g2 })));
    const alerts = await alertsOf(org.ownerKey, g2);
    expect(alerts.map((a) => [a.type, a.severity])).toEqual([['unexpected_location', 'medium']]);
    expect(alerts[0]!.evidence).toMatchObject({
      country: 'JP',
      km: 300,
      nearest_store: { id: lyon.id, country: 'FR' },
      stocking_stores: 1,
    });
    expect(alerts[0]!.evidence.scans[0]).toMatchObject({ city: 'Tokyo' });
  });
});
