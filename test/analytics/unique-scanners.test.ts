// Unique scanners in the overview, the daily series and the breakdowns: one person scanning two
// products, or reaching two shards of one product, counts once a day for the organisation.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EXACT_SCANNER_LIMIT,
  estimateDistinct,
  sketchCell,
  sketchSums,
} from '../../src/scans/scanner-sketch';
import { createOrganization, type TestOrg } from '../support/accounts';
import { call } from '../support/http';
import { type ScanSpec, scanEvent } from '../support/recorded-scans';
import { count, counter, flush } from '../support/scans';

const OIL = '09506000134376';
const SALT = '09506000134383';
const at = (iso: string) => Date.parse(iso);
const RANGE = 'from=2026-06-08&to=2026-06-08&tz=UTC'; // the whole of 8 June
let org: TestOrg;
let other: TestOrg;

async function get<T>(path: string, key = org.ownerKey): Promise<T> {
  const res = await call('GET', path, { key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

async function record(specs: (ScanSpec & { shard?: number })[]) {
  const byCounter = new Map<string, ReturnType<typeof scanEvent>[]>();
  for (const spec of specs) {
    const e = scanEvent(spec);
    const name = `${e.keyValue}|${e.shard}`;
    (byCounter.get(name) ?? byCounter.set(name, []).get(name)!).push(e);
  }
  for (const events of byCounter.values())
    await counter('01', events[0]!.keyValue, events[0]!.shard).record(events);
  for (const gtin of new Set(specs.map((s) => s.keyValue))) await flush('01', gtin, 2);
}

beforeAll(async () => {
  org = await createOrganization('Unique Foods');
  other = await createOrganization('Elsewhere Foods');
  for (const gtin of [OIL, SALT]) {
    const res = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: { gtin, fields: { name: { value: gtin } } },
    });
    expect(res.status).toBe(201);
  }
  const o = org.orgId;
  const scan = (iso: string, scannerHash: string, extra: Partial<ScanSpec> & { shard?: number } = {}) => ({
    orgId: o,
    keyValue: OIL,
    occurredAt: at(iso),
    scannerHash,
    country: 'FR',
    lot: 'L1',
    ...extra,
  });
  await record([
    // 8 June: alice scans oil on both shards and salt; bob scans oil in Germany; a bot twice.
    scan('2026-06-08T08:00:00Z', 'alice'),
    scan('2026-06-08T09:00:00Z', 'alice', { shard: 1 }),
    scan('2026-06-08T10:00:00Z', 'alice', { keyValue: SALT, lot: 'L1' }),
    scan('2026-06-08T11:00:00Z', 'bob', { country: 'DE', lot: 'L2' }),
    scan('2026-06-08T12:00:00Z', 'bot', { isBot: true, deviceClass: 'bot', app: null }),
    scan('2026-06-08T13:00:00Z', 'bot', { isBot: true, deviceClass: 'bot', app: null, shard: 1 }),
    // 7 June (the previous day): carol alone.
    scan('2026-06-07T09:00:00Z', 'carol'),
    // 9 June, outside the range: dave.
    scan('2026-06-09T09:00:00Z', 'dave'),
  ]);
  // Another organisation's scanner of the same day counts for it alone.
  await record([
    {
      orgId: other.orgId,
      keyValue: '09506000134390',
      occurredAt: at('2026-06-08T08:00:00Z'),
      scannerHash: 'zed',
    },
  ]);
});

type Change = { value: number | null; previous: number | null; change: number | null };

describe('unique scanners', () => {
  it('counts each scanner once a day across keys and shards, with the previous period', async () => {
    const body = await get<{ total_scans: Change; unique_scanners: Change }>(
      `/v1/analytics/overview?${RANGE}`,
    );
    expect(body.total_scans).toMatchObject({ value: 4, previous: 1 });
    expect(body.unique_scanners).toEqual({ value: 2, previous: 1, change: 1, change_percent: 100 });
  });

  it('counts bots apart, and together when asked', async () => {
    const only = await get<{ unique_scanners: Change }>(`/v1/analytics/overview?${RANGE}&bots=only`);
    expect(only.unique_scanners).toMatchObject({ value: 1, previous: 0 });
    const all = await get<{ unique_scanners: Change }>(`/v1/analytics/overview?${RANGE}&bots=include`);
    expect(all.unique_scanners).toMatchObject({ value: 3, previous: 1 });
  });

  it('narrows to a product, a lot or a country, and says null for crossed filters', async () => {
    const unique = async (q: string) =>
      (await get<{ unique_scanners: Change }>(`/v1/analytics/overview?${RANGE}&${q}`)).unique_scanners.value;
    expect(await unique(`gtin=${OIL}`)).toBe(2);
    expect(await unique(`gtin=${SALT}`)).toBe(1);
    expect(await unique(`gtin=${OIL}&lot=L2`)).toBe(1);
    expect(await unique('lot=L1')).toBe(1);
    expect(await unique('country=DE')).toBe(1);
    expect(await unique(`gtin=${OIL}&country=FR`)).toBeNull();
  });

  it('gives each day of the series its scanners, and no figure per hour', async () => {
    const days = await get<{ points: { bucket: string; scans: number; unique_scanners?: number }[] }>(
      '/v1/analytics/scans/timeseries?from=2026-06-07&to=2026-06-09&tz=UTC&interval=day',
    );
    expect(days.points).toEqual([
      { bucket: '2026-06-07', scans: 1, unique_scanners: 1 },
      { bucket: '2026-06-08', scans: 4, unique_scanners: 2 },
      { bucket: '2026-06-09', scans: 1, unique_scanners: 1 },
    ]);
    const hours = await get<{ points: { unique_scanners?: number }[] }>(
      `/v1/analytics/scans/timeseries?${RANGE}&interval=hour`,
    );
    expect(hours.points.some((p) => 'unique_scanners' in p)).toBe(false);
  });

  it('puts scanners on breakdown rows by product, lot and country, none on "other"', async () => {
    const rows = async (q: string) =>
      (
        await get<{ rows: { value: string; scans: number; unique_scanners?: number }[] }>(
          `/v1/analytics/scans/breakdown?${RANGE}&${q}`,
        )
      ).rows;
    expect(await rows('by=product')).toEqual([
      { value: OIL, scans: 3, unique_scanners: 2 },
      { value: SALT, scans: 1, unique_scanners: 1 },
    ]);
    expect(await rows('by=lot')).toEqual([
      { value: 'L1', scans: 3, unique_scanners: 1 },
      { value: 'L2', scans: 1, unique_scanners: 1 },
    ]);
    expect(await rows(`by=lot&gtin=${OIL}`)).toEqual([
      { value: 'L1', scans: 2, unique_scanners: 1 },
      { value: 'L2', scans: 1, unique_scanners: 1 },
    ]);
    expect(await rows('by=country&limit=1')).toEqual([
      { value: 'FR', scans: 3, unique_scanners: 1 },
      { value: 'other', scans: 1 },
    ]);
    expect(await rows('by=country&compare=previous')).toEqual([
      expect.objectContaining({ value: 'FR', scans: 3, unique_scanners: 1, previous: 1 }),
      expect.objectContaining({ value: 'DE', scans: 1, unique_scanners: 1, previous: 0 }),
    ]);
    // Dimensions without sketches carry no figure.
    expect((await rows('by=device'))[0]).not.toHaveProperty('unique_scanners');
  });

  it('counts a day under the fingerprint limit exactly, and estimates one past it', async () => {
    const busy = await createOrganization('Busy Foods');
    const hashes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const small = hashes('small', 700);
    const large = hashes('large', EXACT_SCANNER_LIMIT + 500);
    const scansOf = (list: string[], day: string) =>
      list.map((h, i) => ({
        orgId: busy.orgId,
        keyValue: OIL,
        occurredAt: at(`${day}T08:00:00Z`) + i,
        scannerHash: h,
      }));
    await record([...scansOf(small, '2026-06-10'), ...scansOf(large.slice(0, 1200), '2026-06-11')]);
    // A later flush adds no fingerprints to a set already at the limit (one batch may pass it).
    await record(scansOf(large.slice(1200), '2026-06-11'));
    const unique = async (day: string) =>
      (await get<{ unique_scanners: Change }>(`/v1/analytics/overview?from=${day}&to=${day}`, busy.ownerKey))
        .unique_scanners.value!;
    // The sketch alone would be off for these 700: the exact count is what answers.
    const sketch = new Map<number, number>();
    for (const h of small) {
      const [register, rank] = sketchCell(h);
      sketch.set(register, Math.max(sketch.get(register) ?? 0, rank));
    }
    expect(Math.round(estimateDistinct(sketchSums(sketch)))).not.toBe(700);
    expect(await unique('2026-06-10')).toBe(700);
    const estimate = await unique('2026-06-11');
    expect(Math.abs(estimate - large.length) / large.length).toBeLessThan(0.025);
    expect(
      await count(
        'SELECT count(*) AS n FROM scan_rollup_scanner_exact WHERE org_id = ? AND dim = ? AND day = ?',
        busy.orgId,
        'all',
        Math.floor(at('2026-06-11T00:00:00Z') / 86_400_000),
      ),
    ).toBe(1200);
  });

  it('keeps every register at its highest rank over flushes, in any order', async () => {
    const sketchy = await createOrganization('Sketchy Foods');
    const hashes = Array.from({ length: 3000 }, (_, i) => `sk-${i}`);
    const scans = (list: string[]) =>
      list.map((h, i) => ({
        orgId: sketchy.orgId,
        keyValue: SALT,
        occurredAt: at('2026-06-12T09:00:00Z') + i,
        scannerHash: h,
      }));
    // Three flushes: later ones bring both higher and lower ranks for registers already stored.
    for (const part of [hashes.slice(0, 1000), hashes.slice(1000, 2000), hashes.slice(2000)])
      await record(scans(part));
    const expected = new Map<number, number>();
    for (const h of hashes) {
      const [register, rank] = sketchCell(h);
      expected.set(register, Math.max(expected.get(register) ?? 0, rank));
    }
    const { results } = await env.DB.prepare(
      'SELECT register, rank FROM scan_rollup_scanner_sketch WHERE org_id = ? AND dim = ? AND day = ?',
    )
      .bind(sketchy.orgId, 'all', Math.floor(at('2026-06-12T00:00:00Z') / 86_400_000))
      .all<{ register: number; rank: number }>();
    expect(new Map(results.map((r) => [r.register, r.rank]))).toEqual(expected);
  });

  it("counts only the caller's organisation", async () => {
    const body = await get<{ unique_scanners: Change }>(`/v1/analytics/overview?${RANGE}`, other.ownerKey);
    expect(body.unique_scanners).toMatchObject({ value: 1, previous: 0 });
  });
});
