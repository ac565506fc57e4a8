import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';

const RICE = '09506000134611';
const PASTA = '09506000134628';
const OTHER_ORG_GTIN = '09506000134635';
const at = (iso: string) => Date.parse(iso);
let org: TestOrg;
let reader: string;

async function get<T>(path: string, key = reader): Promise<T> {
  const res = await call('GET', path, { key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

beforeAll(async () => {
  org = await createOrganization('Analytic Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  for (const [gtin, name] of [
    [RICE, 'Rice'],
    [PASTA, 'Pasta'],
  ] as const) {
    const res = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: {
        gtin,
        fields: { name: { value: name } },
        recalled_lots:
          gtin === RICE ? [{ lot: 'BAD1', recalled_at: '2026-10-25T00:00:00Z', reason: 'Glass' }] : [],
      },
    });
    expect(res.status).toBe(201);
  }
  const o = org.orgId;
  await recordScans([
    // Around the end of summer time in Paris (2026-10-25 03:00 CEST → 02:00 CET).
    {
      orgId: o,
      keyValue: RICE,
      occurredAt: at('2026-10-24T21:30:00Z'),
      country: 'FR',
      city: 'Paris',
      lot: 'A',
      latitude: 48.85,
      longitude: 2.35,
    }, // Paris: 24th 23:30
    {
      orgId: o,
      keyValue: RICE,
      occurredAt: at('2026-10-24T22:30:00Z'),
      country: 'FR',
      city: 'Paris',
      lot: 'A',
      latitude: 48.91,
      longitude: 2.41,
    }, // Paris: 25th 00:30
    {
      orgId: o,
      keyValue: RICE,
      occurredAt: at('2026-10-25T00:30:00Z'),
      country: 'FR',
      city: 'Lyon',
      lot: 'BAD1',
      serial: 'S1',
      latitude: 45.76,
      longitude: 4.83,
    }, // 25th 02:30 CEST
    {
      orgId: o,
      keyValue: RICE,
      occurredAt: at('2026-10-25T01:30:00Z'),
      country: 'FR',
      city: 'Lyon',
      lot: 'BAD1',
      serial: 'S1',
    }, // 25th 02:30 CET
    {
      orgId: o,
      keyValue: RICE,
      occurredAt: at('2026-10-25T22:30:00Z'),
      country: 'DE',
      city: 'Berlin',
      lot: 'BAD1',
      serial: 'S2',
      app: 'Instagram',
    }, // 25th 23:30 CET
    {
      orgId: o,
      keyValue: PASTA,
      occurredAt: at('2026-10-25T23:30:00Z'),
      country: 'JP',
      city: 'Tokyo',
      lot: 'P1',
      latitude: 35.68,
      longitude: 139.65,
    }, // 26th 00:30 CET
    { orgId: o, keyValue: PASTA, occurredAt: at('2026-10-22T10:00:00Z'), country: 'IT', app: 'Chrome' }, // previous period (Oct 21–24)
    {
      orgId: o,
      keyValue: PASTA,
      occurredAt: at('2026-10-25T12:00:00Z'),
      country: 'US',
      isBot: true,
      deviceClass: 'bot',
      app: null,
    },
  ]);
  const other = await createOrganization('Competitor');
  await call('POST', '/v1/products', {
    key: other.ownerKey,
    body: { gtin: OTHER_ORG_GTIN, fields: { name: { value: 'Theirs' } } },
  });
  await recordScans([
    { orgId: other.orgId, keyValue: OTHER_ORG_GTIN, occurredAt: at('2026-10-25T12:00:00Z'), country: 'FR' },
  ]);
});

const RANGE = 'from=2026-10-24&to=2026-10-26';

describe('scan time series', () => {
  it('buckets by local day across the DST change (Europe/Paris)', async () => {
    const body = await get<{ points: { bucket: string; scans: number }[]; total: number }>(
      `/v1/analytics/scans/timeseries?${RANGE}&tz=Europe/Paris&interval=day`,
    );
    // Scanners are counted per UTC day, each put on the local day holding most of its hours:
    // the 24th's two (one of them 00:30 on the 25th in Paris) and none for the 26th.
    expect(body.points).toEqual([
      { bucket: '2026-10-24', scans: 1, unique_scanners: 2 },
      { bucket: '2026-10-25', scans: 4, unique_scanners: 4 },
      { bucket: '2026-10-26', scans: 1, unique_scanners: 0 },
    ]);
    expect(body.total).toBe(6);
  });

  it('gives the same scans other days in UTC', async () => {
    const body = await get<{ points: { bucket: string; scans: number }[] }>(
      `/v1/analytics/scans/timeseries?${RANGE}&tz=UTC`,
    );
    expect(body.points).toEqual([
      { bucket: '2026-10-24', scans: 2, unique_scanners: 2 },
      { bucket: '2026-10-25', scans: 4, unique_scanners: 4 },
      { bucket: '2026-10-26', scans: 0, unique_scanners: 0 },
    ]);
  });

  it('has 25 hourly buckets on the day summer time ends, 02:00 twice with its offset', async () => {
    const body = await get<{ points: { bucket: string; scans: number }[] }>(
      '/v1/analytics/scans/timeseries?from=2026-10-25&to=2026-10-25&tz=Europe/Paris&interval=hour',
    );
    expect(body.points).toHaveLength(25);
    const twoAm = body.points.filter((p) => p.bucket.startsWith('2026-10-25T02:00'));
    expect(twoAm).toEqual([
      { bucket: '2026-10-25T02:00+02:00', scans: 1 },
      { bucket: '2026-10-25T02:00+01:00', scans: 1 },
    ]);
  });

  it('filters by GTIN, lot, country and bots', async () => {
    const total = async (q: string) =>
      (await get<{ total: number }>(`/v1/analytics/scans/timeseries?${RANGE}&tz=UTC&${q}`)).total;
    expect(await total(`gtin=${RICE}`)).toBe(5);
    expect(await total(`gtin=${RICE.slice(1)}`)).toBe(5); // GTIN-13 accepted
    expect(await total('lot=BAD1')).toBe(3);
    expect(await total('country=FR')).toBe(4);
    expect(await total('bots=only')).toBe(1);
    expect(await total('bots=include')).toBe(7);
  });

  it('answers an empty range with zero buckets filled in', async () => {
    const body = await get<{ points: { scans: number }[]; total: number }>(
      '/v1/analytics/scans/timeseries?from=2025-01-01&to=2025-01-03',
    );
    expect(body.points).toHaveLength(3);
    expect(body.total).toBe(0);
  });
});

describe('breakdowns, map, recalls', () => {
  it('breaks down by product, country, city, app and device with top-N and "other"', async () => {
    const by = async (dim: string, extra = '') =>
      (
        await get<{ rows: { value: string; scans: number }[] }>(
          `/v1/analytics/scans/breakdown?${RANGE}&by=${dim}${extra}`,
        )
      ).rows;
    expect(await by('product')).toEqual([
      { value: RICE, scans: 5, unique_scanners: 5 },
      { value: PASTA, scans: 1, unique_scanners: 1 },
    ]);
    expect(await by('country', '&limit=2')).toEqual([
      { value: 'FR', scans: 4, unique_scanners: 4 },
      { value: 'DE', scans: 1, unique_scanners: 1 },
      { value: 'other', scans: 1 },
    ]);
    expect(await by('city', '&country=FR')).toEqual([
      { value: 'FR/Lyon', scans: 2 },
      { value: 'FR/Paris', scans: 2 },
    ]);
    expect(await by('app')).toEqual([
      { value: 'Safari', scans: 5 },
      { value: 'Instagram', scans: 1 },
    ]);
    expect(await by('device', '&bots=include')).toEqual([
      { value: 'mobile', scans: 6 },
      { value: 'bot', scans: 1 },
    ]);
    expect(await by('lot', `&gtin=${RICE}`)).toEqual([
      { value: 'BAD1', scans: 3, unique_scanners: 3 },
      { value: 'A', scans: 2, unique_scanners: 2 },
    ]);
  });

  it('lists serials with their first and last scan', async () => {
    const body = await get<{ rows: { serial: string; scans: number; first_scan: string }[] }>(
      `/v1/analytics/scans/breakdown?${RANGE}&by=serial`,
    );
    expect(body.rows.map((r) => [r.serial, r.scans])).toEqual([
      ['S1', 2],
      ['S2', 1],
    ]);
    expect(body.rows[0]!.first_scan).toBe('2026-10-25T00:30:00.000Z');
  });

  it('draws map points where the scans are, named after their place, at every zoom', async () => {
    type MapBody = {
      zoom: number;
      located_scans: number;
      bounds: { south: number; west: number; north: number; east: number } | null;
      points: { lat: number; lng: number; scans: number; place: { name: string; country: string | null } }[];
    };
    const fine = await get<MapBody>(`/v1/analytics/scans/map?${RANGE}&zoom=12`);
    // Two Paris cells 0.1° apart stay apart this close in; Lyon and Tokyo have one each (equal
    // counts come south to north).
    expect(fine.points.map((p) => [p.place.name, p.scans])).toEqual([
      ['Tokyo', 1],
      ['Lyon', 1],
      ['Paris', 1],
      ['Paris', 1],
    ]);
    const world = await get<MapBody>(`/v1/analytics/scans/map?${RANGE}&zoom=1`);
    // Zoomed out, Paris's cells join, but Lyon (400 km away) is never folded into Paris.
    expect(world.points.map((p) => [p.place.name, p.place.country, p.scans])).toEqual([
      ['Paris', 'FR', 2],
      ['Tokyo', 'JP', 1],
      ['Lyon', 'FR', 1],
    ]);
    const paris = world.points[0]!;
    expect(paris.lat).toBeCloseTo(48.9, 1); // the scan-weighted centre of 48.85 and 48.95
    expect(paris.lng).toBeCloseTo(2.4, 1);
    for (const body of [fine, world]) {
      // Berlin's scan has no coordinates: located scans are the ones with a point.
      expect(body.located_scans).toBe(4);
      expect(body.points.reduce((a, p) => a + p.scans, 0)).toBe(body.located_scans);
      expect(body.bounds).toMatchObject({ south: expect.closeTo(35.7, 0), north: expect.closeTo(48.9, 0) });
    }
  });

  it('answers an empty map with no bounds', async () => {
    const body = await get<{ located_scans: number; bounds: unknown; points: unknown[] }>(
      '/v1/analytics/scans/map?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
    );
    expect(body).toMatchObject({ located_scans: 0, bounds: null, points: [] });
  });

  it('tracks scans of a recalled lot since the recall', async () => {
    const body = await get<{
      rows: { gtin: string; lot: string; scans_since_recall: number; reason: string }[];
    }>('/v1/analytics/scans/recalls');
    expect(body.rows).toEqual([
      expect.objectContaining({
        gtin: RICE,
        lot: 'BAD1',
        scans_since_recall: 3,
        reason: 'Glass',
        recalled_at: '2026-10-25T00:00:00.000Z',
      }),
    ]);
  });
});

describe('overview', () => {
  it('compares the period with the previous one of the same length', async () => {
    const body = await get<
      Record<string, { value: number | null; previous: number | null; change: number | null }>
    >(`/v1/analytics/overview?${RANGE}&tz=UTC`);
    expect(body.total_scans).toEqual({ value: 6, previous: 1, change: 5, change_percent: 500 });
    expect(body.search_impressions).toMatchObject({ value: 0, previous: 0, change: 0 });
  });

  it('writes no snapshot, and a previous period ending today reads live figures', async () => {
    const { env } = await import('cloudflare:workers');
    const fresh = await createOrganization('Overview Readers');
    const res = await call('POST', '/v1/products', {
      key: fresh.ownerKey,
      body: { gtin: '09506000134659', fields: { name: { value: 'Oats' } } },
    });
    expect(res.status).toBe(201);
    // Just after UTC midnight: the previous period ends today, whose snapshot the cron may not have written.
    const from = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 1).toISOString();
    const body = await get<Record<string, { value: number | null; previous: number | null }>>(
      `/v1/analytics/overview?from=${from}`,
      (await insertKey(fresh.orgId, 'readonly')).key,
    );
    expect(body.average_completeness!.value).not.toBeNull();
    expect(body.average_completeness!.previous).toBe(body.average_completeness!.value);
    const snapshots = await env.DB.prepare('SELECT count(*) AS n FROM org_daily_metrics WHERE org_id = ?')
      .bind(fresh.orgId)
      .first<number>('n');
    expect(snapshots).toBe(0);
  });
});

describe('bad input and isolation', () => {
  it.each([
    ['a range over the maximum', 'from=2024-01-01&to=2026-01-01', /at most 400 days/],
    ['from after to', 'from=2026-10-26&to=2026-10-24', /before/],
    ['an unknown timezone', 'tz=Mars/Olympus', /IANA/],
    ['a bad GTIN check digit', 'gtin=09506000134612', /check digit/],
    ['a date without offset', 'from=2026-10-24T10:00:00', /offset/],
    ['a date that is not in the calendar (found by the fuzz test)', 'from=2026-02-30', /not a calendar date/],
    ['an unknown filter', 'colour=red', /./],
    ['an hourly series over 31 days', 'from=2026-01-01&to=2026-03-01&interval=hour', /at most 31 days/],
  ])('rejects %s with 400', async (_name, query, message) => {
    const error = await expectError(
      await call('GET', `/v1/analytics/scans/timeseries?${query}`, { key: reader }),
      400,
      'validation_failed',
    );
    expect(JSON.stringify(error)).toMatch(message);
  });

  it('rejects a lot filter on a breakdown that has no lots', async () => {
    await expectError(
      await call('GET', `/v1/analytics/scans/breakdown?by=app&lot=A`, { key: reader }),
      400,
      'validation_failed',
    );
  });

  it("404s another organisation's GTIN and never counts its scans", async () => {
    await expectError(
      await call('GET', `/v1/analytics/scans/timeseries?gtin=${OTHER_ORG_GTIN}`, { key: reader }),
      404,
      'not_found',
    );
    const products = await get<{ rows: { value: string }[] }>(
      `/v1/analytics/scans/breakdown?${RANGE}&by=product`,
    );
    expect(products.rows.map((r) => r.value)).not.toContain(OTHER_ORG_GTIN);
  });

  it('needs a key', async () => {
    await expectError(await call('GET', '/v1/analytics/overview'), 401, 'unauthorized');
  });
});

describe('daily metric snapshots', () => {
  it('are written by the hourly cron run and give the overview its previous-period figures', async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } = await import(
      'cloudflare:test'
    );
    const { env } = await import('cloudflare:workers');
    const worker = (await import('../../src/index')).default;
    const scheduledTime = Date.parse('2026-10-23T00:05:00Z');
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime, cron: '*/15 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare(
      'SELECT products, average_completeness FROM org_daily_metrics WHERE org_id = ? AND day = ?',
    )
      .bind(org.orgId, Math.floor(scheduledTime / 86_400_000))
      .first<{ products: number; average_completeness: number }>();
    expect(row?.products).toBe(2);
    const overview =
      await get<Record<string, { value: number | null; previous: number | null }>>('/v1/analytics/overview');
    expect(overview.average_completeness!.value).toBe(row!.average_completeness);
  });
});
