// The retention cron (src/storage/retention.ts) on real local D1, R2 and ScanCounter objects: scans
// recorded through the counters and flushed to D1, archive objects put under the layout's names;
// each store loses exactly what is past its organisation's cut-off, and nothing else.
import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { archiveKey, datePrefix, orgPrefix } from '../../src/storage/archive-layout';
import { enforceRetention, RETENTION_LIMITS } from '../../src/storage/retention';
import { createOrganization, type TestOrg } from '../support/accounts';
import { call } from '../support/http';
import { recordScans, type ScanSpec } from '../support/recorded-scans';
import { testGtin } from '../support/rules';
import { count, counter } from '../support/scans';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// The first cron run of an hour; cut-offs fall on this day's UTC midnight.
const NOW = Date.parse('2026-12-15T10:05:00Z');
const TODAY = Date.parse('2026-12-15T00:00:00Z');

const GTIN_A = testGtin(91_001); // this file: 91,000–91,099
const GTIN_B = testGtin(91_002);
const GTIN_UNOWNED = testGtin(91_003);

let a: TestOrg; // raw 7 days in D1, 30 in the archive, 60 days of roll-ups
let b: TestOrg; // the defaults: 35 days raw, the archive kept, 400 days of roll-ups

/** Scans at these offsets from today's midnight (ms), one each. */
/** These counters write no archive objects of their own: the tests' objects are the archive. */
async function holdArchive(...gtins: string[]): Promise<void> {
  for (const gtin of gtins)
    await runInDurableObject(counter('01', gtin), (instance: ScanCounter) => {
      instance.archiveDelayMs = 1e12;
    });
}

const at = (orgId: string | null, keyValue: string, offsets: number[]): ScanSpec[] =>
  offsets.map((o) => ({
    orgId: orgId as string,
    keyValue,
    occurredAt: TODAY + o,
    serial: `S${o}`,
    country: 'FR',
  }));

async function putArchive(
  orgId: string | null,
  keyValue: string,
  dayOffset: number,
  seq = 1,
): Promise<string> {
  const key = archiveKey({
    orgId,
    hourMs: TODAY + dayOffset * DAY + 5 * HOUR,
    keyAi: '01',
    keyValue,
    shard: 0,
    firstSeq: seq,
  });
  await env.SCAN_ARCHIVE.put(key, `{"id":"${seq}"}\n`);
  return key;
}

async function archiveKeys(orgId: string | null): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(orgId), ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

const events = (orgId: string | null) =>
  env.DB.prepare('SELECT occurred_at FROM scan_events WHERE org_id IS ? ORDER BY occurred_at')
    .bind(orgId)
    .all<{ occurred_at: number }>()
    .then((r) => r.results.map((row) => (row.occurred_at - TODAY) / DAY));

const hours = (table: string, orgId: string | null) =>
  env.DB.prepare(`SELECT DISTINCT bucket AS hour FROM ${table} WHERE org_id IS ? ORDER BY bucket`)
    .bind(orgId)
    .all<{ hour: number }>()
    .then((r) => r.results.map((row) => (row.hour - TODAY) / DAY));

beforeAll(async () => {
  a = await createOrganization('Retention A');
  b = await createOrganization('Retention B');
  const res = await call('PUT', '/v1/organization/storage', {
    key: a.ownerKey,
    body: { raw_recent_days: 7, raw_archive_days: 30, rollup_days: 60 },
  });
  expect(res.status).toBe(200);
  await holdArchive(GTIN_A, GTIN_B, GTIN_UNOWNED);
  await recordScans([
    // A: the raw cut-off is TODAY − 7 days, the roll-up cut-off TODAY − 60 days.
    ...at(a.orgId, GTIN_A, [-61 * DAY, -60 * DAY - 1, -60 * DAY, -8 * DAY, -7 * DAY - 1, -7 * DAY, -1 * DAY]),
    // B: what A's settings would delete, but B's defaults keep.
    ...at(b.orgId, GTIN_B, [-61 * DAY, -30 * DAY, -8 * DAY]),
  ]);
  // Keys nobody registered: the defaults (35 days raw, 400 of roll-ups).
  await recordScans(at(null, GTIN_UNOWNED, [-36 * DAY, -35 * DAY]));
});

describe('enforceRetention', () => {
  it('deletes exactly what is past each cut-off, per organisation and store', async () => {
    const aKeys = {
      old: await putArchive(a.orgId, GTIN_A, -31),
      kept: [await putArchive(a.orgId, GTIN_A, -30), await putArchive(a.orgId, GTIN_A, -2)],
    };
    const bKeys = [await putArchive(b.orgId, GTIN_B, -100)];
    const unownedKeys = [await putArchive(null, GTIN_UNOWNED, -100)];
    const orgHourlyBefore = await env.DB.prepare(
      'SELECT bucket AS hour, scans FROM scan_rollup_org_hourly WHERE org_id = ? AND bucket >= ? ORDER BY bucket',
    )
      .bind(a.orgId, TODAY - 60 * DAY)
      .all();
    expect(await events(a.orgId)).toHaveLength(7);

    const run = await enforceRetention(env, NOW);
    expect(run.complete).toBe(true);

    // A: raw events from TODAY − 7 days on; roll-ups from TODAY − 60 days on, per key and
    // quarter-hour from TODAY − 7 days on (older ones summed into UTC days); archive from day −30.
    expect(await events(a.orgId)).toEqual([-7, -1]);
    for (const table of ['scan_rollup_hourly', 'scan_rollup_dims']) {
      expect(await hours(table, a.orgId), table).toEqual([-7, -1]);
    }
    for (const table of ['scan_rollup_daily', 'scan_rollup_dims_daily']) {
      expect(await hours(table, a.orgId), table).toEqual([-60, -8]);
    }
    expect(await hours('scan_rollup_org_hourly', a.orgId)).toEqual([-60, -8, -7 - 1 / 96, -7, -1]);
    // Per-serial totals go with the raw window: only the serials scanned since TODAY − 7 days.
    expect(
      await count(
        'SELECT count(*) AS n FROM scan_rollup_serials WHERE org_id = ? AND last_at < ?',
        a.orgId,
        TODAY - 7 * DAY,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM scan_rollup_serials WHERE org_id = ?', a.orgId)).toBe(2);
    expect(
      await count(
        'SELECT count(*) AS n FROM scan_rollup_scanners WHERE org_id = ? AND day < ?',
        a.orgId,
        (TODAY - 60 * DAY) / DAY,
      ),
    ).toBe(0);
    // Scanners are per UTC day: days −61, −60, −8, −7 and −1 had scans; day −61 went.
    expect(await count('SELECT count(*) AS n FROM scan_rollup_scanners WHERE org_id = ?', a.orgId)).toBe(4);
    // The unique-scanner sketches and fingerprints go by the same UTC day.
    for (const table of ['scan_rollup_scanner_sketch', 'scan_rollup_scanner_exact'])
      expect(
        await count(
          `SELECT count(DISTINCT day) AS n FROM ${table} WHERE org_id = ? AND dim = ?`,
          a.orgId,
          'all',
        ),
        table,
      ).toBe(4);
    // The org-wide hourly rows left are the ones that were there, with their counts.
    const orgHourlyAfter = await env.DB.prepare(
      'SELECT bucket AS hour, scans FROM scan_rollup_org_hourly WHERE org_id = ? ORDER BY bucket',
    )
      .bind(a.orgId)
      .all();
    expect(orgHourlyAfter.results).toEqual(orgHourlyBefore.results);
    expect((await archiveKeys(a.orgId)).sort()).toEqual([...aKeys.kept].sort());

    // B keeps everything its defaults keep: events of the last 35 days, every roll-up (day −61's
    // as a UTC day), the archive.
    expect(await events(b.orgId)).toEqual([-30, -8]);
    expect(await hours('scan_rollup_hourly', b.orgId)).toEqual([-30, -8]);
    expect(await hours('scan_rollup_daily', b.orgId)).toEqual([-61]);
    expect(await hours('scan_rollup_org_hourly', b.orgId)).toEqual([-61, -30, -8]);
    expect(await count('SELECT count(*) AS n FROM scan_rollup_serials WHERE org_id = ?', b.orgId)).toBe(2);
    expect(await archiveKeys(b.orgId)).toEqual(bKeys);

    // Unowned scans: the defaults for raw events; they have no roll-ups.
    expect(await events(null)).toEqual([-35]);
    expect(await hours('scan_rollup_hourly', null)).toEqual([]);
    expect(await archiveKeys(null)).toEqual(unownedKeys);

    // The summary counts what went.
    const summaryA = run.organizations.find((o) => o.organization === a.orgId)!;
    expect(summaryA).toMatchObject({
      complete: true,
      d1: {
        scan_events: 5,
        scan_rollup_hourly: 2,
        scan_rollup_org_hourly: 2,
        scan_rollup_serials: 5,
        scan_rollup_scanners: 1,
      },
      r2: { objects: 1, bytes: `{"id":"1"}\n`.length },
      // The UTC hours of day −60 00:00, day −8 00:00 and day −8 23:00 (the scan at −7 days − 1 ms).
      compacted: { hours: 3, rows: { scan_rollup_hourly: 3 }, complete: true },
    });
    expect(summaryA.d1.scan_rollup_dims).toBeGreaterThanOrEqual(2);
    const summaryB = run.organizations.find((o) => o.organization === b.orgId)!;
    expect(summaryB.d1.scan_events).toBe(1);
    expect(summaryB.d1.scan_rollup_hourly + summaryB.r2.objects).toBe(0);
    expect(summaryB.compacted).toMatchObject({ hours: 1, rows: { scan_rollup_hourly: 1 } });
    expect(run.organizations.find((o) => o.organization === null)!.d1.scan_events).toBe(1);
    expect(await env.SCAN_ARCHIVE.head(aKeys.old)).toBeNull();

    // A second run finds nothing more to do.
    const again = await enforceRetention(env, NOW);
    for (const o of again.organizations) {
      expect(
        Object.values(o.d1).every((n) => n === 0) && o.r2.objects === 0 && (o.compacted?.hours ?? 0) === 0,
        String(o.organization),
      ).toBe(true);
    }
  });

  it('stops at its bounds and goes on where it stopped in the next run', async () => {
    const org = await createOrganization('Retention Bounds');
    const gtin = testGtin(91_010);
    await call('PUT', '/v1/organization/storage', {
      key: org.ownerKey,
      body: { raw_recent_days: 1, raw_archive_days: 1, rollup_days: 400 },
    });
    await holdArchive(gtin);
    await recordScans(at(org.orgId, gtin, [-5 * DAY, -4 * DAY, -3 * DAY, -2 * DAY - HOUR]));
    // 1,005 archive objects of old dates (two list pages), and one of today.
    const old: string[] = [];
    for (let i = 0; i < 1005; i += 67) {
      const batch = [];
      for (let j = i; j < Math.min(i + 67, 1005); j++)
        batch.push(putArchive(org.orgId, gtin, -3 - (j % 3), j + 1));
      old.push(...(await Promise.all(batch)));
    }
    const today = await putArchive(org.orgId, gtin, 0);
    // A's archive is kept from now on, so this organisation's list pages are the only ones.
    await call('PUT', '/v1/organization/storage', {
      key: a.ownerKey,
      body: { raw_recent_days: 7, rollup_days: 60 },
    });
    const limits = { ...RETENTION_LIMITS, rowsPerStatement: 3, roundsPerTable: 1, r2Pages: 1 };

    const first = (await enforceRetention(env, NOW, limits)).organizations.find(
      (o) => o.organization === org.orgId,
    )!;
    expect(first.complete).toBe(false);
    expect(first.d1.scan_events).toBe(3);
    expect(first.r2.objects).toBe(1000);
    expect(await events(org.orgId)).toEqual([-2 - 1 / 24]);

    const second = (await enforceRetention(env, NOW, limits)).organizations.find(
      (o) => o.organization === org.orgId,
    )!;
    expect(second).toMatchObject({ complete: true, r2: { objects: 5 } });
    expect(second.d1.scan_events).toBe(1);
    expect(await events(org.orgId)).toEqual([]);
    expect(await archiveKeys(org.orgId)).toEqual([today]);
    expect(today.startsWith(datePrefix(org.orgId, NOW))).toBe(true);
    // Roll-ups are within their 400 days: all kept, as UTC days (past the one-day raw window).
    expect(await hours('scan_rollup_hourly', org.orgId)).toEqual([]);
    expect(await hours('scan_rollup_daily', org.orgId)).toEqual([-5, -4, -3]);
  }, 30_000);

  it('leaves organisations for the next run when the run budget is spent', async () => {
    const run = await enforceRetention(env, NOW, { ...RETENTION_LIMITS, statements: 23 });
    expect(run.complete).toBe(false);
    expect(run.organizations).toHaveLength(2);
  });

  it('runs in the hourly cron run', async () => {
    const org = await createOrganization('Retention Cron');
    const gtin = testGtin(91_020);
    await recordScans(at(org.orgId, gtin, [-36 * DAY, -35 * DAY]));
    const ctx = createExecutionContext();
    await worker.scheduled!(
      createScheduledController({ scheduledTime: NOW, cron: '*/15 * * * *' }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await events(org.orgId)).toEqual([-35]);
  });
});
