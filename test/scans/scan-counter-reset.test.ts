// A ScanCounter reset in the middle of its flush alarm (a deploy, a crash, the runtime moving the
// object): part of the flush has reached D1, the object's memory is gone, and the platform runs
// the alarm again on a fresh instance. Afterwards D1 must hold every event exactly once, roll-ups
// equal to the raw events, and live totals that agree: nothing lost, nothing counted twice.
//
// How the reset is made: test/support/flush-faults.ts (the k-th D1 batch of the alarm lands, in
// full or in part, then the runtime resets the object; workerd retries the alarm).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ScanCounter } from '../../src/scans/scan-counter';
import { createOrganization } from '../support/accounts';
import { type FaultPoint, flushWithFaultAt, settled } from '../support/flush-faults';
import { call } from '../support/http';
import { scanEvent } from '../support/recorded-scans';
import { addDefaultLink, testGtin } from '../support/rules';
import { count, counter } from '../support/scans';

const gtin = (n: number) => testGtin(88_000 + n); // this file: 88,000–88,099

// 120 recorded batches of 40 scans. A flush takes at most 100 recorded batches, so the backlog
// goes out in two flushes (4,000 then 800 events); the first flush's events are several
// json_each statements (~700 events per 400 KB chunk) in one D1 batch, its roll-ups a second batch.
const BATCHES = 120;
const PER_BATCH = 40;
const SCANS = BATCHES * PER_BATCH;
const FIRST_FLUSH = 100 * PER_BATCH;

const COUNTRIES = ['FR', 'JP', 'US', 'DE', null];
const CITIES: Record<string, string> = { FR: 'Paris', JP: 'Tokyo', US: 'Boston', DE: 'Berlin' };
const DEVICES = ['mobile', 'tablet', 'desktop'] as const;

/** `SCANS` scans of one key over three hours, countries, lots, devices, bots and repeat scanners. */
async function recordBacklog(orgId: string, keyValue: string): Promise<string[]> {
  const start = Date.now() - 3 * 3_600_000;
  const ids: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const events = Array.from({ length: PER_BATCH }, (_, j) => {
      const i = b * PER_BATCH + j;
      const country = COUNTRIES[i % COUNTRIES.length]!;
      const serial = `S${i % 1600}`; // three scans per serial, by three scanners: under every detector's threshold
      return scanEvent({
        orgId,
        keyValue,
        occurredAt: start + Math.floor((i * 3 * 3_600_000) / SCANS),
        country,
        city: country ? CITIES[country]! : null,
        lot: `L${Number(serial.slice(1)) % 3}`,
        serial,
        deviceClass: DEVICES[i % 3]!,
        isBot: i % 11 === 0,
        scannerHash: `scanner-${i % 700}`,
      });
    });
    ids.push(...events.map((e) => e.id));
    expect((await counter('01', keyValue).record(events)).recorded).toBe(PER_BATCH);
  }
  return ids;
}

interface AtReset {
  eventsInD1: number;
  hourlyRollupsInD1: number;
  /** Scans the object still held as not yet sent when it died. */
  pendingInObject: number;
  instance: ScanCounter;
}

/** Fires the key's flush alarm with a reset armed at `point`, and what D1 and the object held then. */
function flushWithResetAt(keyValue: string, point: FaultPoint): Promise<AtReset> {
  return flushWithFaultAt(keyValue, { ...point, fault: 'reset' }, async (instance) => ({
    eventsInD1: await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', keyValue),
    hourlyRollupsInD1: await count(
      'SELECT count(*) AS n FROM scan_rollup_hourly WHERE key_value = ?',
      keyValue,
    ),
    pendingInObject: (await instance.totals()).pendingFlush,
    instance,
  }));
}

const rows = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all()
  ).results;

/** Everything D1 and the live totals say about the key, against the raw events in D1. */
async function expectExactlyOnce(orgId: string, ownerKey: string, keyValue: string, ids: string[]) {
  // Every recorded event, once.
  expect(await count('SELECT count(*) AS n FROM scan_events WHERE key_value = ?', keyValue)).toBe(SCANS);
  expect(
    await count(
      'SELECT count(*) AS n FROM scan_events WHERE id IN (SELECT value FROM json_each(?))',
      JSON.stringify(ids),
    ),
  ).toBe(SCANS);

  // Roll-ups equal the raw events, row for row.
  // Roll-ups are per UTC quarter-hour (15-minute buckets).
  const BUCKET = 'occurred_at - occurred_at % 900000';
  expect(
    await rows(
      'SELECT bucket, country, lot, is_bot, scans FROM scan_rollup_hourly WHERE key_value = ? ORDER BY 1, 2, 3, 4',
      keyValue,
    ),
  ).toEqual(
    await rows(
      `SELECT ${BUCKET} AS bucket, coalesce(country, '') AS country, coalesce(lot, '') AS lot, is_bot, count(*) AS scans
      FROM scan_events WHERE key_value = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      keyValue,
    ),
  );
  expect(
    await rows(
      "SELECT bucket, value, country, is_bot, scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'device' ORDER BY 1, 2, 3, 4",
      keyValue,
    ),
  ).toEqual(
    await rows(
      `SELECT ${BUCKET} AS bucket, device_class AS value, coalesce(country, '') AS country, is_bot, count(*) AS scans
      FROM scan_events WHERE key_value = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      keyValue,
    ),
  );
  expect(
    await rows(
      "SELECT bucket, value, is_bot, scans FROM scan_rollup_dims WHERE key_value = ? AND dim = 'city' ORDER BY 1, 2, 3",
      keyValue,
    ),
  ).toEqual(
    await rows(
      `SELECT ${BUCKET} AS bucket, country || '/' || city AS value, is_bot, count(*) AS scans
      FROM scan_events WHERE key_value = ? AND city IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      keyValue,
    ),
  );
  expect(
    await rows(
      'SELECT serial, lot, scans, first_at, last_at FROM scan_rollup_serials WHERE key_value = ? ORDER BY serial',
      keyValue,
    ),
  ).toEqual(
    await rows(
      `SELECT serial, lot, count(*) AS scans, min(occurred_at) AS first_at, max(occurred_at) AS last_at
      FROM scan_events WHERE key_value = ? GROUP BY serial ORDER BY serial`,
      keyValue,
    ),
  );
  expect(
    await rows(
      'SELECT day, is_bot, scanners FROM scan_rollup_scanners WHERE key_value = ? ORDER BY 1, 2',
      keyValue,
    ),
  ).toEqual(
    await rows(
      `SELECT occurred_at / 86400000 AS day, is_bot, count(DISTINCT scanner_hash) AS scanners
      FROM scan_events WHERE key_value = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      keyValue,
    ),
  );
  // The organisation's per-bucket totals (kept by D1 triggers on the roll-ups the flush upserts).
  expect(
    await rows(
      'SELECT bucket, is_bot, scans FROM scan_rollup_org_hourly WHERE org_id = ? AND scans > 0 ORDER BY 1, 2',
      orgId,
    ),
  ).toEqual(
    await rows(
      `SELECT ${BUCKET} AS bucket, is_bot, count(*) AS scans FROM scan_events WHERE org_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      orgId,
    ),
  );

  // The live totals (straight from the object) agree with D1, with nothing left to send.
  const live = await call('GET', `/v1/scans/live/01/${keyValue}`, { key: ownerKey });
  expect(live.status).toBe(200);
  const bots = await count(
    'SELECT count(*) AS n FROM scan_events WHERE key_value = ? AND is_bot = 1',
    keyValue,
  );
  const byCountry = Object.fromEntries(
    (
      await rows(
        "SELECT coalesce(country, 'unknown') AS c, count(*) AS n FROM scan_events WHERE key_value = ? AND is_bot = 0 GROUP BY 1",
        keyValue,
      )
    ).map((r) => [r.c, r.n]),
  );
  expect(await live.json()).toMatchObject({
    scans: SCANS,
    human_scans: SCANS - bots,
    bot_scans: bots,
    pending_flush: 0,
    pending_archive: 0,
    raw_events_dropped: 0,
    by_country: byCountry,
  });
}

describe('ScanCounter reset in the middle of a flush', () => {
  it.each<[string, number, FaultPoint, (at: AtReset) => void]>([
    [
      "after the first flush's D1 batch (events and counts, one transaction) landed, before the object marked it sent",
      1,
      { batch: 1 },
      (at) => {
        expect(at).toMatchObject({ eventsInD1: FIRST_FLUSH, pendingInObject: SCANS });
        expect(at.hourlyRollupsInD1).toBeGreaterThan(0);
      },
    ],
    [
      'in the second flush of the backlog, after its D1 batch landed',
      3,
      { batch: 2 },
      (at) => {
        expect(at).toMatchObject({ eventsInD1: SCANS, pendingInObject: SCANS - FIRST_FLUSH });
      },
    ],
  ])(
    '%s: the retried alarm leaves every event once and roll-ups equal to them',
    async (_name, n, point, expectAtReset) => {
      const org = await createOrganization('Reset Foods');
      const g = gtin(n);
      await addDefaultLink(org.ownerKey, g, `https://reset.example/${g}`); // the organisation's key, for the live totals
      const ids = await recordBacklog(org.orgId, g);

      const atReset = await flushWithResetAt(g, point);
      expectAtReset(atReset); // the reset really came in the middle of the flush

      const after = await settled(g);
      expect(after.instance).not.toBe(atReset.instance); // a fresh object ran the retry…
      await expectExactlyOnce(org.orgId, org.ownerKey, g, ids);
      // The D1 batches counted above were the scan flush's own: no alert went out for these scans.
      expect(await count('SELECT count(*) AS n FROM alerts WHERE org_id = ?', org.orgId)).toBe(0);
    },
    90_000,
  );
});
