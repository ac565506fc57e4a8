// The alerts API: lists with filters and cursors, one alert, acknowledgement, thresholds; roles,
// organisation scoping (another organisation's alert is a 404) and bad input (400).
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { type AlertJson, addAlertProduct, alertGtin, listAlerts } from '../support/alerts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';
import { addBrand } from '../support/rules';

const gtin = (n: number) => alertGtin(200 + n); // this file: 200–299
const T0 = Date.UTC(2026, 6, 1, 9, 0, 0);
const COUNTRIES = ['JP', 'US', 'DE', 'IT', 'GB'];

let org: TestOrg;
let stranger: TestOrg;
let g: string;

beforeAll(async () => {
  org = await createOrganization('Listed Foods');
  stranger = await createOrganization('Stranger Foods');
  g = gtin(1);
  await addAlertProduct(org.ownerKey, g, { markets: ['FR'], recalledLots: [{ lot: 'R1' }] });
  // One unauthorised-market alert per country (medium), opened one after another, and one recall (low).
  for (const [i, country] of COUNTRIES.entries())
    await recordScans([{ keyValue: g, orgId: org.orgId, occurredAt: T0 + i * 60_000, country }]);
  await recordScans([
    { keyValue: g, orgId: org.orgId, occurredAt: T0 + 3_600_000, country: 'FR', lot: 'R1' },
  ]);
});

describe('alerts API', () => {
  it('lists the organisation’s alerts newest first, filtered, a page at a time', async () => {
    const all = (await listAlerts(org.ownerKey, `?gtin=${g}`)).data;
    expect(all.map((a) => a.type)).toEqual(['recalled_lot', ...COUNTRIES.map(() => 'unauthorised_market')]);
    expect(all.slice(1).map((a) => a.evidence.country)).toEqual([...COUNTRIES].reverse());

    expect((await listAlerts(org.ownerKey, `?gtin=${g}&severity=low`)).data.map((a) => a.type)).toEqual([
      'recalled_lot',
    ]);
    expect((await listAlerts(org.ownerKey, `?gtin=${g}&type=unauthorised_market`)).data).toHaveLength(5);
    expect((await listAlerts(org.ownerKey, `?gtin=${g}&type=impossible_travel`)).data).toEqual([]);

    const pages: AlertJson[][] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { data: AlertJson[]; next_cursor: string | null } = await listAlerts(
        org.ownerKey,
        `?gtin=${g}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(page.data);
      cursor = page.next_cursor;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
    expect(pages.flat().map((a) => a.id)).toEqual(all.map((a) => a.id));
  });

  it('sums alerts per type, busiest first, for the organisation only', async () => {
    const fresh = await createOrganization('Summed Foods');
    const other = await createOrganization('Unsummed Foods');
    const product = gtin(40);
    await addAlertProduct(fresh.ownerKey, product, { markets: ['FR'], recalledLots: [{ lot: 'R1' }] });
    for (const [i, country] of COUNTRIES.entries())
      await recordScans([{ keyValue: product, orgId: fresh.orgId, occurredAt: T0 + i * 60_000, country }]);
    await recordScans([
      { keyValue: product, orgId: fresh.orgId, occurredAt: T0 + 3_600_000, country: 'FR', lot: 'R1' },
      { keyValue: product, orgId: fresh.orgId, occurredAt: T0 + 3_660_000, country: 'FR', lot: 'R1' },
    ]);
    type Summary = { types: { type: string; alerts: number; occurrences: number; [k: string]: unknown }[] };
    const summary = async (query = '', key = fresh.ownerKey) => {
      const res = await call('GET', `/v1/alerts/summary${query}`, { key });
      expect(res.status).toBe(200);
      return (await res.json<Summary>()).types;
    };
    expect(await summary()).toEqual([
      {
        type: 'unauthorised_market',
        alerts: 5,
        occurrences: 5,
        high: 0,
        medium: 5,
        low: 0,
        last_seen_at: new Date(T0 + 4 * 60_000).toISOString(),
      },
      {
        type: 'recalled_lot',
        alerts: 1,
        occurrences: 2,
        high: 0,
        medium: 0,
        low: 1,
        last_seen_at: new Date(T0 + 3_660_000).toISOString(),
      },
    ]);
    const [first] = (await listAlerts(fresh.ownerKey, '?type=unauthorised_market&limit=1')).data;
    expect((await call('POST', `/v1/alerts/${first!.id}/acknowledge`, { key: fresh.ownerKey })).status).toBe(
      200,
    );
    const open = await summary('?status=open');
    expect(open.map((t) => [t.type, t.alerts])).toEqual([
      ['unauthorised_market', 4],
      ['recalled_lot', 1],
    ]);
    expect((await summary('?status=acknowledged')).map((t) => [t.type, t.alerts])).toEqual([
      ['unauthorised_market', 1],
    ]);
    const reader = await insertKey(fresh.orgId, 'readonly');
    expect(await summary('', reader.key)).toHaveLength(2);
    expect(await summary('', other.ownerKey)).toEqual([]);
    for (const query of ['?status=closed', '?type=recalled_lot', '?status='])
      await expectError(
        await call('GET', `/v1/alerts/summary${query}`, { key: fresh.ownerKey }),
        400,
        'validation_failed',
      );
    await expectError(await call('GET', '/v1/alerts/summary'), 401, 'unauthorized');
  });

  it('filters by lot and by brand (the GTINs its products carry), within the organisation', async () => {
    expect((await listAlerts(org.ownerKey, '?lot=R1')).data.map((a) => [a.type, a.gtin])).toEqual([
      ['recalled_lot', g],
    ]);
    expect((await listAlerts(org.ownerKey, '?lot=NONE')).data).toEqual([]);

    const brand = await addBrand(org.ownerKey, 'Alerted Brand');
    const branded = gtin(2);
    const res = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: {
        gtin: branded,
        brand_id: brand,
        fields: { name: { value: 'Branded' } },
        authorised_markets: ['FR'],
      },
    });
    expect(res.status).toBe(201);
    await recordScans([{ keyValue: branded, orgId: org.orgId, occurredAt: T0 + 7_200_000, country: 'US' }]);
    const byBrand = (await listAlerts(org.ownerKey, `?brand=${brand}`)).data;
    expect(byBrand.map((a) => [a.type, a.gtin])).toEqual([['unauthorised_market', branded]]);
    expect((await listAlerts(org.ownerKey, `?brand=${brand}&type=recalled_lot`)).data).toEqual([]);
    // Another organisation naming this brand sees none of these alerts.
    expect((await listAlerts(stranger.ownerKey, `?brand=${brand}`)).data).toEqual([]);
    expect((await listAlerts(org.ownerKey, '?brand=brd_unknown')).data).toEqual([]);
  });

  it('acknowledges for editors and above, not readonly keys; acknowledged alerts filter apart', async () => {
    const [target] = (await listAlerts(org.ownerKey, `?gtin=${g}&type=recalled_lot`)).data;
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(
      await call('POST', `/v1/alerts/${target!.id}/acknowledge`, { key: reader.key }),
      403,
      'forbidden',
    );
    const editor = await insertKey(org.orgId, 'editor');
    const res = await call('POST', `/v1/alerts/${target!.id}/acknowledge`, { key: editor.key });
    expect(res.status).toBe(200);
    const acked = await res.json<AlertJson>();
    expect(acked).toMatchObject({ id: target!.id, status: 'acknowledged' });
    expect(Date.parse(acked.acknowledged_at!)).toBeGreaterThan(Date.now() - 60_000);
    // Again: idempotent, the first acknowledgement stands.
    const again = await (
      await call('POST', `/v1/alerts/${target!.id}/acknowledge`, { key: org.ownerKey })
    ).json<AlertJson>();
    expect(again.acknowledged_at).toBe(acked.acknowledged_at);
    expect((await listAlerts(reader.key, `?gtin=${g}&status=acknowledged`)).data.map((a) => a.id)).toEqual([
      target!.id,
    ]);
    expect((await listAlerts(reader.key, `?gtin=${g}&status=open`)).data).toHaveLength(5);
    const one = await call('GET', `/v1/alerts/${target!.id}`, { key: reader.key });
    expect(await one.json()).toEqual(again);
  });

  it('never shows or changes another organisation’s alerts', async () => {
    const [target] = (await listAlerts(org.ownerKey, `?gtin=${g}`)).data;
    expect((await listAlerts(stranger.ownerKey)).data).toEqual([]);
    expect((await listAlerts(stranger.ownerKey, `?gtin=${g}`)).data).toEqual([]);
    await expectError(
      await call('GET', `/v1/alerts/${target!.id}`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    await expectError(
      await call('POST', `/v1/alerts/${target!.id}/acknowledge`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    expect(
      (await (await call('GET', `/v1/alerts/${target!.id}`, { key: org.ownerKey })).json<AlertJson>()).status,
    ).toBe(target!.status);
  });

  it('answers 400 for bad filters and cursors', async () => {
    for (const query of [
      '?status=closed',
      '?type=ghost',
      '?severity=urgent',
      '?gtin=123',
      '?limit=0',
      '?limit=500',
      '?cursor=nope',
      '?colour=red',
      '?lot=',
      `?lot=${'L'.repeat(21)}`,
      '?brand=',
    ]) {
      await expectError(
        await call('GET', `/v1/alerts${query}`, { key: org.ownerKey }),
        400,
        'validation_failed',
      );
    }
  });
});

describe('alert settings', () => {
  it('shows the defaults until the organisation sets its own, and lets owners and managers replace them', async () => {
    const fresh = await createOrganization('Settled Foods');
    const initial = await (await call('GET', '/v1/alerts/settings', { key: fresh.ownerKey })).json<{
      settings: Record<string, Record<string, unknown>>;
      defaults: unknown;
      updated_at: null;
    }>();
    expect(initial.settings).toEqual(initial.defaults);
    expect(initial.updated_at).toBeNull();
    expect(initial.settings.impossible_travel).toEqual({
      enabled: true,
      max_speed_kmh: 1000,
      min_distance_km: 50,
    });
    expect(initial.settings.volume_spike).toEqual({
      enabled: true,
      alpha: 0.1,
      z: 4,
      min_scans: 50,
      warmup_hours: 24,
    });
    expect(initial.settings.serial_overscanned).toEqual({
      enabled: true,
      max_scanners: 10,
      max_places: 5,
      window_days: 30,
      scanner_session_minutes: 30,
    });
    expect(initial.settings.auto_block).toBe(false);
    expect(initial.settings.unexpected_location).toEqual({ enabled: false, km: 200 });

    const editor = await insertKey(fresh.orgId, 'editor');
    await expectError(
      await call('PUT', '/v1/alerts/settings', { key: editor.key, body: {} }),
      403,
      'forbidden',
    );
    const manager = await insertKey(fresh.orgId, 'manager');
    const put = await call('PUT', '/v1/alerts/settings', {
      key: manager.key,
      body: { impossible_travel: { max_speed_kmh: 800 }, recalled_lot: { enabled: false } },
    });
    expect(put.status).toBe(200);
    const after = await put.json<{ settings: Record<string, Record<string, unknown>>; updated_at: string }>();
    expect(after.settings.impossible_travel).toEqual({
      enabled: true,
      max_speed_kmh: 800,
      min_distance_km: 50,
    });
    expect(after.settings.recalled_lot).toEqual({ enabled: false, severity: 'low' });
    expect(after.updated_at).not.toBeNull();

    // PUT replaces: what is left out returns to the default.
    await call('PUT', '/v1/alerts/settings', {
      key: fresh.ownerKey,
      body: { recalled_lot: { enabled: false } },
    });
    const replaced = await (await call('GET', '/v1/alerts/settings', { key: editor.key })).json<{
      settings: Record<string, Record<string, unknown>>;
    }>();
    expect(replaced.settings.impossible_travel!.max_speed_kmh).toBe(1000);
    // Another organisation is unaffected.
    const theirs = await (await call('GET', '/v1/alerts/settings', { key: stranger.ownerKey })).json<{
      settings: Record<string, Record<string, unknown>>;
    }>();
    expect(theirs.settings.recalled_lot).toEqual({ enabled: true, severity: 'low' });
  });

  it('rejects unknown detectors, unknown fields and values out of range', async () => {
    for (const body of [
      { ghost: { enabled: true } },
      { impossible_travel: { max_speed: 100 } },
      { impossible_travel: { max_speed_kmh: 10 } },
      { volume_spike: { alpha: 1.5 } },
      { volume_spike: { min_scans: 0 } },
      { serial_overscanned: { max_scanners: 2.5 } },
      { recalled_lot: { enabled: 'yes' } },
      { recalled_lot: { severity: 'critical' } },
      [],
    ]) {
      await expectError(
        await call('PUT', '/v1/alerts/settings', { key: org.ownerKey, body }),
        400,
        'validation_failed',
      );
    }
    await expectError(
      await call('PUT', '/v1/alerts/settings', {
        key: org.ownerKey,
        body: '{"volume_spike":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'invalid_json',
    );
  });
});
