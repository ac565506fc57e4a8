// Per-brand detector thresholds (GET/PUT /v1/brands/:id/alert-settings): a brand's fields apply to
// the GTINs its products carry, over the organisation's, which apply to every other GTIN; roles,
// organisation scoping and bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { addAlertProduct, alertGtin, alertsOf, putSettings } from '../support/alerts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';
import { addBrand } from '../support/rules';

const gtin = (n: number) => alertGtin(500 + n); // this file: 500–599
const T0 = Date.UTC(2026, 7, 1, 9, 0, 0);
const PARIS = { country: 'FR', city: 'Paris', latitude: 48.8566, longitude: 2.3522 };

let org: TestOrg;
let stranger: TestOrg;
let brand: string;

interface BrandSettingsJson {
  brand_id: string;
  settings: { serial_overscanned: { enabled: boolean; max_scanners: number; max_places: number } };
  brand_settings: Record<string, unknown>;
  organization_settings: { serial_overscanned: { max_scanners: number } };
  updated_at: string | null;
  applies_within_seconds: number;
}

const path = (id: string) => `/v1/brands/${id}/alert-settings`;

beforeAll(async () => {
  org = await createOrganization('Branded Alerts');
  stranger = await createOrganization('Stranger Alerts');
  brand = await addBrand(org.ownerKey, 'Strict Brand');
});

describe('per-brand alert settings', () => {
  it('applies a brand’s thresholds to its GTINs, the organisation’s to the rest', async () => {
    await putSettings(org.ownerKey, { serial_overscanned: { max_scanners: 5 } });
    const put = await call('PUT', path(brand), {
      key: org.ownerKey,
      body: { serial_overscanned: { max_scanners: 1 } },
    });
    expect(put.status).toBe(200);
    const body = await put.json<BrandSettingsJson>();
    expect(body).toMatchObject({
      brand_id: brand,
      brand_settings: { serial_overscanned: { max_scanners: 1 } },
      organization_settings: { serial_overscanned: { max_scanners: 5 } },
    });
    expect(body.settings.serial_overscanned.max_scanners).toBe(1);
    expect(body.updated_at).not.toBeNull();

    const branded = gtin(1);
    const plain = gtin(2);
    const res = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: { gtin: branded, brand_id: brand, fields: { name: { value: 'Strict' } } },
    });
    expect(res.status).toBe(201);
    await addAlertProduct(org.ownerKey, plain);
    const twoScanners = (g: string) =>
      [1, 2].map((i) => ({
        orgId: org.orgId,
        keyValue: g,
        occurredAt: T0 + i * 60_000,
        ...PARIS,
        serial: 'S1',
        scannerHash: `scanner${i}`,
      }));
    await recordScans([...twoScanners(branded), ...twoScanners(plain)]);

    const [alert] = await alertsOf(org.ownerKey, branded);
    expect(alert).toMatchObject({ type: 'serial_overscanned', serial: 'S1' });
    expect(alert!.evidence).toMatchObject({ distinct_scanners: 2, max_scanners: 1 });
    expect(await alertsOf(org.ownerKey, plain)).toEqual([]);
  });

  it('lets a brand make a recalled-lot scan high severity; others stay low', async () => {
    const recallBrand = await addBrand(org.ownerKey, 'Safety Recall Brand');
    const put = await call('PUT', path(recallBrand), {
      key: org.ownerKey,
      body: { recalled_lot: { severity: 'high' } },
    });
    expect(put.status).toBe(200);
    expect((await put.json<{ settings: { recalled_lot: unknown } }>()).settings.recalled_lot).toEqual({
      enabled: true,
      severity: 'high',
    });
    const recalled = [{ lot: 'R1', recalled_at: '2026-07-01T00:00:00Z', reason: 'Listeria' }];
    const [branded, plain] = [gtin(20), gtin(21)];
    for (const [g, brandId] of [
      [branded, recallBrand],
      [plain, undefined],
    ] as const) {
      const res = await call('POST', '/v1/products', {
        key: org.ownerKey,
        body: {
          gtin: g,
          brand_id: brandId,
          fields: { name: { value: 'Recalled' } },
          recalled_lots: recalled,
        },
      });
      expect(res.status).toBe(201);
    }
    await recordScans(
      [branded, plain].map((g) => ({ orgId: org.orgId, keyValue: g, occurredAt: T0, lot: 'R1', ...PARIS })),
    );
    expect(await alertsOf(org.ownerKey, branded)).toEqual([
      expect.objectContaining({ type: 'recalled_lot', severity: 'high', lot: 'R1' }),
    ]);
    expect(await alertsOf(org.ownerKey, plain)).toEqual([
      expect.objectContaining({ type: 'recalled_lot', severity: 'low', lot: 'R1' }),
    ]);
    for (const severity of ['urgent', 3, null]) {
      await expectError(
        await call('PUT', path(recallBrand), { key: org.ownerKey, body: { recalled_lot: { severity } } }),
        400,
        'validation_failed',
      );
    }
    // The refused PUTs changed nothing.
    const after = await (await call('GET', path(recallBrand), { key: org.ownerKey })).json<{
      brand_settings: unknown;
    }>();
    expect(after.brand_settings).toEqual({ recalled_lot: { severity: 'high' } });
  });

  it('follows the organisation in every field the brand did not set; {} sets none', async () => {
    const other = await addBrand(org.ownerKey, 'Lenient Brand');
    const fresh = await (await call('GET', path(other), { key: org.ownerKey })).json<BrandSettingsJson>();
    expect(fresh.brand_settings).toEqual({});
    expect(fresh.updated_at).toBeNull();
    expect(fresh.settings).toEqual(
      (await (await call('GET', '/v1/alerts/settings', { key: org.ownerKey })).json<{ settings: unknown }>())
        .settings,
    );
    await call('PUT', path(other), { key: org.ownerKey, body: { serial_overscanned: { max_places: 9 } } });
    const partial = await (await call('GET', path(other), { key: org.ownerKey })).json<BrandSettingsJson>();
    expect(partial.settings.serial_overscanned).toMatchObject({ max_places: 9, max_scanners: 5 });
    const cleared = await call('PUT', path(other), { key: org.ownerKey, body: {} });
    expect((await cleared.json<BrandSettingsJson>()).brand_settings).toEqual({});
  });

  it('lets any key read and managers and owners replace; other organisations get 404', async () => {
    const reader = await insertKey(org.orgId, 'readonly');
    const editor = await insertKey(org.orgId, 'editor');
    const manager = await insertKey(org.orgId, 'manager');
    expect((await call('GET', path(brand), { key: reader.key })).status).toBe(200);
    for (const key of [reader.key, editor.key])
      await expectError(await call('PUT', path(brand), { key, body: {} }), 403, 'forbidden');
    expect(
      (
        await call('PUT', path(brand), {
          key: manager.key,
          body: { serial_overscanned: { max_scanners: 1 } },
        })
      ).status,
    ).toBe(200);

    await expectError(await call('GET', path(brand), { key: stranger.ownerKey }), 404, 'not_found');
    await expectError(await call('PUT', path(brand), { key: stranger.ownerKey, body: {} }), 404, 'not_found');
    await expectError(await call('GET', path('brd_missing'), { key: org.ownerKey }), 404, 'not_found');
    // Nothing the stranger tried changed the brand's settings.
    const after = await (await call('GET', path(brand), { key: org.ownerKey })).json<BrandSettingsJson>();
    expect(after.brand_settings).toEqual({ serial_overscanned: { max_scanners: 1 } });
  });

  it('answers 400 for settings the organisation’s route refuses too', async () => {
    for (const body of [
      { serial_overscanned: { max_scanners: 0 } },
      { serial_overscanned: { max_scanners: 'many' } },
      { serial_overscanned: { colour: 'red' } },
      { ghost_detector: {} },
      [],
      42,
    ]) {
      await expectError(
        await call('PUT', path(brand), { key: org.ownerKey, body }),
        400,
        'validation_failed',
      );
    }
    const bad = await call('PUT', path(brand), {
      key: org.ownerKey,
      body: '{"serial_overscanned":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
  });
});
