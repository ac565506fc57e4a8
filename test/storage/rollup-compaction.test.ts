// Roll-ups past the recent window move to the daily tier (src/storage/rollup-compaction.ts, run by
// the retention cron): the dashboard's answers over whole UTC days are the same before and after,
// nothing is counted twice or lost (also for increments that arrive for an hour already moved),
// unfiltered series stay exact per quarter-hour in every zone, and the moved rows are gone.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { enforceRetention } from '../../src/storage/retention';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call } from '../support/http';
import { recordScans, type ScanSpec } from '../support/recorded-scans';
import { testGtin } from '../support/rules';
import { count } from '../support/scans';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-15T10:05:00Z');
const TODAY = Date.parse('2026-12-15T00:00:00Z');
const OLD = TODAY - 50 * DAY; // past the default 35-day recent window
const RICE = testGtin(91_101); // this file: 91,100–91,199
const PASTA = testGtin(91_102);

let org: TestOrg;
let reader: string;

const scan = (keyValue: string, occurredAt: number, extra: Partial<ScanSpec> = {}): ScanSpec => ({
  orgId: org.orgId,
  keyValue,
  occurredAt,
  country: 'FR',
  lot: 'L1',
  app: 'chrome',
  ...extra,
});

async function get(path: string): Promise<unknown> {
  const res = await call('GET', path, { key: reader });
  expect(res.status, path).toBe(200);
  return res.json();
}

const OLD_RANGE = `from=${new Date(OLD).toISOString().slice(0, 10)}&to=${new Date(OLD + 2 * DAY).toISOString().slice(0, 10)}`;
const WHOLE_RANGE = `from=${new Date(OLD).toISOString().slice(0, 10)}&to=${new Date(TODAY).toISOString().slice(0, 10)}`;

/** What a brand reads over whole UTC days, which both tiers answer alike. */
const answers = async () => ({
  overview: ((await get(`/v1/analytics/overview?${WHOLE_RANGE}`)) as { scans: unknown }).scans,
  series: await get(`/v1/analytics/scans/timeseries?${OLD_RANGE}`),
  riceSeries: await get(`/v1/analytics/scans/timeseries?${OLD_RANGE}&gtin=${RICE}`),
  countryBots: await get(`/v1/analytics/scans/timeseries?${WHOLE_RANGE}&country=DE&bots=include`),
  byProduct: await get(`/v1/analytics/scans/breakdown?${WHOLE_RANGE}&by=product`),
  byLot: await get(`/v1/analytics/scans/breakdown?${WHOLE_RANGE}&by=lot&gtin=${RICE}`),
  byApp: await get(`/v1/analytics/scans/breakdown?${WHOLE_RANGE}&by=app`),
  byAppInDe: await get(`/v1/analytics/scans/breakdown?${WHOLE_RANGE}&by=app&country=DE`),
  byCity: await get(`/v1/analytics/scans/breakdown?${OLD_RANGE}&by=city`),
  recalls: await get('/v1/analytics/scans/recalls'),
});

beforeAll(async () => {
  org = await createOrganization('Compaction Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  for (const gtin of [RICE, PASTA]) {
    const res = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: {
        gtin,
        fields: { name: { value: gtin } },
        recalled_lots:
          gtin === RICE
            ? [{ lot: 'L2', recalled_at: new Date(OLD + 2 * HOUR).toISOString(), reason: 'Glass' }]
            : [],
      },
    });
    expect(res.status).toBe(201);
  }
  await recordScans([
    // Day −50 across its quarter-hours and hours, two keys, countries, lots, apps, cities, a bot.
    scan(RICE, OLD + 5 * 60_000),
    scan(RICE, OLD + 20 * 60_000, { city: 'Lyon', region: 'ARA' }),
    scan(RICE, OLD + 3 * HOUR, { lot: 'L2', country: 'DE', city: 'Berlin', app: 'instagram' }),
    scan(RICE, OLD + 3 * HOUR + 1, { lot: 'L2', country: 'DE', isBot: true, deviceClass: 'bot', app: null }),
    scan(PASTA, OLD + 23 * HOUR + 59 * 60_000, { country: 'DE', lot: 'P9' }),
    // Day −49, and the recent window (kept per quarter-hour).
    scan(PASTA, OLD + DAY + 6 * HOUR, { country: 'IT', app: 'instagram' }),
    scan(RICE, TODAY - 3 * DAY + HOUR, { lot: 'L2', country: 'DE' }),
  ]);
});

describe('roll-up compaction', () => {
  it('moves quarter-hours past the recent window into UTC days, answers unchanged', async () => {
    const before = await answers();
    const kolkataBefore = await get(
      `/v1/analytics/scans/timeseries?${OLD_RANGE}&tz=Asia/Kolkata&interval=hour&bots=include`,
    );

    const run = await enforceRetention(env, NOW);
    const summary = run.organizations.find((o) => o.organization === org.orgId)!;
    // Day −50: hours 00, 03 and 23; day −49: hour 06.
    expect(summary.compacted).toMatchObject({ hours: 4, complete: true, rows: { scan_rollup_hourly: 6 } });

    expect(await answers()).toEqual(before);
    // The organisation's quarter-hours are kept: a :30 zone's hours are as exact as before.
    expect(
      await get(`/v1/analytics/scans/timeseries?${OLD_RANGE}&tz=Asia/Kolkata&interval=hour&bots=include`),
    ).toEqual(kolkataBefore);

    const cutoff = TODAY - 35 * DAY;
    for (const table of ['scan_rollup_hourly', 'scan_rollup_dims'])
      expect(
        await count(`SELECT count(*) AS n FROM ${table} WHERE org_id = ? AND bucket < ?`, org.orgId, cutoff),
        table,
      ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_rollup_hourly WHERE org_id = ?', org.orgId)).toBe(1);
    // Per key, country, lot and bot flag per UTC day; dimensions per organisation and day.
    const { results: daily } = await env.DB.prepare(
      `SELECT (bucket - ?2) / ${DAY} AS day, key_value, country, lot, is_bot, scans FROM scan_rollup_daily
       WHERE org_id = ?1 ORDER BY bucket, key_value, country, lot, is_bot`,
    )
      .bind(org.orgId, TODAY)
      .all();
    expect(daily).toEqual([
      { day: -50, key_value: RICE, country: 'DE', lot: 'L2', is_bot: 0, scans: 1 },
      { day: -50, key_value: RICE, country: 'DE', lot: 'L2', is_bot: 1, scans: 1 },
      { day: -50, key_value: RICE, country: 'FR', lot: 'L1', is_bot: 0, scans: 2 },
      { day: -50, key_value: PASTA, country: 'DE', lot: 'P9', is_bot: 0, scans: 1 },
      { day: -49, key_value: PASTA, country: 'IT', lot: 'L1', is_bot: 0, scans: 1 },
    ]);
    const { results: apps } = await env.DB.prepare(
      `SELECT (bucket - ?2) / ${DAY} AS day, value, country, scans FROM scan_rollup_dims_daily
       WHERE org_id = ?1 AND dim = 'app' AND is_bot = 0 ORDER BY bucket, value, country`,
    )
      .bind(org.orgId, TODAY)
      .all();
    expect(apps).toEqual([
      { day: -50, value: 'chrome', country: 'DE', scans: 1 },
      { day: -50, value: 'chrome', country: 'FR', scans: 2 },
      { day: -50, value: 'instagram', country: 'DE', scans: 1 },
      { day: -49, value: 'instagram', country: 'IT', scans: 1 },
    ]);

    // A second run has nothing left to move.
    const again = (await enforceRetention(env, NOW)).organizations.find((o) => o.organization === org.orgId)!;
    expect(again.compacted).toMatchObject({ hours: 0, complete: true });
  });

  it('counts increments that arrive for an hour already moved once, and moves them next run', async () => {
    const total = async () =>
      ((await get(`/v1/analytics/scans/timeseries?${OLD_RANGE}&gtin=${RICE}`)) as { total: number }).total;
    const before = await total();
    await recordScans([scan(RICE, OLD + 10 * 60_000)]);
    expect(await total()).toBe(before + 1);
    await enforceRetention(env, NOW);
    expect(await total()).toBe(before + 1);
    expect(
      await count(
        `SELECT scans AS n FROM scan_rollup_daily WHERE org_id = ? AND bucket = ? AND key_value = ? AND country = 'FR' AND is_bot = 0`,
        org.orgId,
        OLD,
        RICE,
      ),
    ).toBe(3);
  });

  it('answers GTIN-filtered dimension breakdowns from the recent window only', async () => {
    // The daily dimension tier is per organisation: day −50's apps are not RICE's any more.
    const rice = (await get(`/v1/analytics/scans/breakdown?${WHOLE_RANGE}&by=app&gtin=${RICE}`)) as {
      rows: { value: string; scans: number }[];
    };
    expect(rice.rows).toEqual([{ value: 'chrome', scans: 1 }]);
  });

  it('stops after its hour budget and goes on next run', async () => {
    const other = await createOrganization('Compaction Bounds');
    await recordScans(
      [0, 1, 2, 3, 4].map((h) => ({ orgId: other.orgId, keyValue: PASTA, occurredAt: OLD + h * HOUR })),
    );
    const limits = { hoursPerOrganization: 2, batches: 100 };
    const first = (await enforceRetention(env, NOW, undefined, limits)).organizations.find(
      (o) => o.organization === other.orgId,
    )!;
    expect(first.compacted).toMatchObject({ hours: 2, complete: false });
    expect(first.complete).toBe(false);
    await enforceRetention(env, NOW, undefined, limits);
    const third = (await enforceRetention(env, NOW, undefined, limits)).organizations.find(
      (o) => o.organization === other.orgId,
    )!;
    expect(third.compacted).toMatchObject({ hours: 1, complete: true });
    expect(await count('SELECT sum(scans) AS n FROM scan_rollup_daily WHERE org_id = ?', other.orgId)).toBe(
      5,
    );
  });
});
