// An existing deployment's raw events (D1 rows from before migration 0018, now scan_events_legacy)
// reach the archive without downtime: exports return every scan once, in order, before, during and
// after the cron's bounded backfill; the backfill survives a failure mid-chunk; recent events stay
// in D1 for quick exports, once.
import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_SEGMENT, orgPrefix } from '../../src/storage/archive-layout';
import { decodeArchive } from '../../src/storage/archive-object';
import { backfillLegacyEvents } from '../../src/storage/legacy-backfill';
import { createOrganization, type TestOrg } from '../support/accounts';
import { call } from '../support/http';
import { scanEvent } from '../support/recorded-scans';
import { testGtin } from '../support/rules';
import { count } from '../support/scans';

const DAY = 86_400_000;
const GTIN = testGtin(94_001); // this file: 94,000–94,099
const now = Date.now();
const today = now - (now % DAY);
let org: TestOrg;
let other: TestOrg;
const offsets = [-60 * DAY, -40 * DAY, -40 * DAY + 1000, -10 * DAY, -2 * DAY, -DAY + 5, -3_600_000];

/** Rows as the Worker before migration 0018 wrote them. */
async function insertLegacy(orgId: string, at: number[]) {
  const events = at.map((t, i) =>
    scanEvent({
      orgId,
      keyValue: GTIN,
      occurredAt: today + t,
      country: i % 2 ? 'FR' : 'JP',
      attributes: { 10: 'L1' },
    }),
  );
  await env.DB.prepare(
    `INSERT INTO scan_events_legacy (id, org_id, occurred_at, key_ai, key_value, attributes, country, device_class,
       is_bot, outcome, link_type, scanner_hash, shard, app)
     SELECT json_extract(value, '$.id'), json_extract(value, '$.orgId'), json_extract(value, '$.occurredAt'), '01',
       json_extract(value, '$.keyValue'), json_extract(value, '$.attributes'), json_extract(value, '$.country'),
       'mobile', 0, 'redirect', 'gs1:pip', json_extract(value, '$.scannerHash'), 0, 'Safari' FROM json_each(?)`,
  )
    .bind(JSON.stringify(events))
    .run();
  return events;
}

const from = new Date(today - 70 * DAY).toISOString().slice(0, 10);
const to = new Date(today).toISOString().slice(0, 10);

async function exported(o: TestOrg): Promise<Record<string, string>[]> {
  const res = await call('GET', `/v1/exports/scans.csv?from=${from}&to=${to}`, { key: o.ownerKey });
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true });
}

let ids: string[];
let duplicateId: string;

beforeAll(async () => {
  org = await createOrganization('Legacy Foods');
  other = await createOrganization('Other Legacy Foods');
  await call('POST', '/v1/products', {
    key: org.ownerKey,
    body: { gtin: GTIN, fields: { name: { value: 'x' } } },
  });
  const events = await insertLegacy(org.orgId, offsets);
  await insertLegacy(other.orgId, [-5 * DAY]);
  // One event a ScanCounter flushed again after the migration: in scan_events already (and in its
  // own archive, not modelled here).
  const again = events.at(-1)!;
  duplicateId = again.id;
  await env.DB.prepare(
    `INSERT INTO scan_events (id, org_id, occurred_at, key_ai, key_value, attributes, country, device_class, is_bot,
       outcome, link_type, scanner_hash, shard, app)
     SELECT id, org_id, occurred_at, key_ai, key_value, attributes, country, device_class, is_bot, outcome, link_type,
       scanner_hash, shard, app FROM scan_events_legacy WHERE id = ?`,
  )
    .bind(again.id)
    .run();
  ids = events.map((e) => e.id);
});

describe('moving pre-0018 raw events to the archive', () => {
  it('exports them from the legacy table meanwhile, each once and in order', async () => {
    const rows = await exported(org);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows[0]!.attributes).toBe('{"10":"L1"}');
  });

  it('moves them in bounded chunks, survives a failure mid-chunk, and the export does not change', async () => {
    const before = await exported(org);
    // A run whose D1 batch fails after its archive writes: nothing leaves D1, the next run redoes the chunk.
    const failingDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'batch') return () => Promise.reject(new Error('D1 is down (injected)'));
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(
      backfillLegacyEvents({ DB: failingDb, SCAN_ARCHIVE: env.SCAN_ARCHIVE }, now, {
        chunkRows: 3,
        chunks: 1,
      }),
    ).rejects.toThrow('injected');
    expect(await count('SELECT count(*) AS n FROM scan_events_legacy')).toBe(offsets.length + 1);
    const keysAfterFailure = (await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(org.orgId) })).objects.map(
      (o) => o.key,
    );

    let runs = 0;
    let result: Awaited<ReturnType<typeof backfillLegacyEvents>>;
    do {
      result = await backfillLegacyEvents(env, now, { chunkRows: 3, chunks: 1 });
      runs++;
    } while (result.remaining && runs < 10);
    expect(runs).toBeGreaterThan(2);
    expect(await count('SELECT count(*) AS n FROM scan_events_legacy')).toBe(0);

    const objects = (await env.SCAN_ARCHIVE.list({ prefix: orgPrefix(org.orgId) })).objects;
    expect(objects.every((o) => o.key.includes(`/${LEGACY_SEGMENT}`))).toBe(true);
    // The failed run's objects were rewritten under the same names, not added to.
    expect(objects.map((o) => o.key)).toEqual(expect.arrayContaining(keysAfterFailure));
    const archived = [];
    for (const o of objects)
      archived.push(...(await decodeArchive((await env.SCAN_ARCHIVE.get(o.key))!.body)));
    expect(archived.map((e) => e.id).sort()).toEqual(ids.filter((id) => id !== duplicateId).sort());
    expect(archived.find((e) => e.id === ids[0])).toMatchObject({ isBot: false, attributes: { 10: 'L1' } });

    // Recent ones (within 35 days) are in scan_events, once; the re-flushed one was not copied again.
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE org_id = ?', org.orgId)).toBe(
      offsets.filter((t) => t >= -35 * DAY).length,
    );
    expect(await count('SELECT count(*) AS n FROM scan_events WHERE id = ?', duplicateId)).toBe(1);

    expect(await exported(org)).toEqual(before);
    expect((await exported(other)).length).toBe(1);
  });
});
