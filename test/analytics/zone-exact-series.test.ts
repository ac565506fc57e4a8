// Scan series and totals exact in zones whose offsets are not whole hours, across their DST
// changes: scans recorded through the ScanCounter and flushed to D1 at instants on and around
// local midnights, :15/:30/:45 boundaries and DST changes, read back per local day and hour,
// and compared with the same instants bucketed here by Intl.DateTimeFormat (zone-oracle.ts, not
// src/analytics/zoned-time.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call } from '../support/http';
import { recordScans, type ScanSpec } from '../support/recorded-scans';
import { expectedDayStart, expectedSeries, wallClock } from '../support/zone-oracle';

const RICE = '09506000134611';
const PASTA = '09506000134628';
const MIN = 60_000;
const DAY = 86_400_000;

interface Case {
  tz: string;
  /** The local day under test; the day series covers the day before and after it too. */
  date: string;
  hours: number;
  /** The DST change that day (UTC), if any. */
  change?: string;
}

const CASES: Case[] = [
  { tz: 'Asia/Kolkata', date: '2026-03-01', hours: 24 },
  { tz: 'Asia/Kathmandu', date: '2026-03-01', hours: 24 },
  // DST starts 02:00 NST → 03:00 NDT (05:30 UTC): a 23-hour day.
  { tz: 'America/St_Johns', date: '2026-03-08', hours: 23, change: '2026-03-08T05:30:00Z' },
  // DST ends 02:00 NDT → 01:00 NST (04:30 UTC): a 25-hour day.
  { tz: 'America/St_Johns', date: '2026-11-01', hours: 25, change: '2026-11-01T04:30:00Z' },
  // DST ends 03:00 ACDT → 02:00 ACST (16:30 UTC the day before): a 25-hour day.
  { tz: 'Australia/Adelaide', date: '2026-04-05', hours: 25, change: '2026-04-04T16:30:00Z' },
  // DST starts 02:00 ACST → 03:00 ACDT (16:30 UTC the day before): a 23-hour day.
  { tz: 'Australia/Adelaide', date: '2026-10-04', hours: 23, change: '2026-10-03T16:30:00Z' },
];

const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * DAY).toISOString().slice(0, 10);
/** Around each boundary: just before it, on it, and either side of every quarter-hour of its hour. */
const AROUND = [
  -1,
  0,
  1,
  14 * MIN,
  15 * MIN - 1,
  15 * MIN,
  29 * MIN,
  30 * MIN,
  44 * MIN,
  45 * MIN,
  59 * MIN + 59_999,
];

const instants: number[] = [];
const inIndia: number[] = [];
let reader: string;

async function get<T>(path: string): Promise<T> {
  const res = await call('GET', path, { key: reader });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

beforeAll(async () => {
  const org = await createOrganization('Zone Exact Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  const boundaries = new Set<number>();
  for (const c of CASES) {
    // Local midnights from the comparison period's first day to the day after the range.
    for (let d = -4; d <= 2; d++) boundaries.add(expectedDayStart(addDays(c.date, d), c.tz));
    if (c.change) {
      const change = Date.parse(c.change);
      for (const h of [-2, -1, 0, 1, 2]) boundaries.add(change + h * 3_600_000);
    }
    // Local noon and its hours either side (:30 or :45 past the UTC hour in Kolkata, Kathmandu).
    const noon = expectedDayStart(c.date, c.tz) + 12 * 3_600_000;
    for (const h of [-1, 0, 1]) boundaries.add(noon + h * 3_600_000);
  }
  // A different number of scans at each boundary (1–3 per instant): a series shifted by a bucket
  // (what hour roll-ups gave in these zones) cannot come out right by symmetry.
  const specs: ScanSpec[] = [];
  let i = 0;
  for (const [k, b] of [...boundaries].sort((x, y) => x - y).entries()) {
    for (const d of AROUND) {
      for (let repeat = 0; repeat <= (((k + d) % 3) + 3) % 3; repeat++) {
        const occurredAt = b + d;
        instants.push(occurredAt);
        const country = i % 3 === 0 ? 'IN' : i % 3 === 1 ? 'NP' : null;
        if (country === 'IN') inIndia.push(occurredAt);
        specs.push({
          orgId: org.orgId,
          keyValue: i % 2 ? RICE : PASTA,
          occurredAt,
          country,
          lot: `L${i % 4}`,
        });
        i++;
      }
    }
  }
  await recordScans(specs);
});

type Series = { total: number; points: { bucket: string; scans: number }[] };

describe.each(CASES)('$tz on $date ($hours hours)', ({ tz, date, hours }) => {
  const q = (params: string) => `tz=${encodeURIComponent(tz)}&${params}`;
  const from = addDays(date, -1);
  const to = addDays(date, 1);
  const fromMs = expectedDayStart(from, tz);
  const toMs = expectedDayStart(addDays(to, 1), tz);

  it('counts each local day exactly', async () => {
    const body = await get<Series>(
      `/v1/analytics/scans/timeseries?${q(`interval=day&from=${from}&to=${to}`)}`,
    );
    const expected = expectedSeries(instants, fromMs, toMs, tz, 'day');
    expect(expected.map((p) => p.bucket)).toEqual([from, date, to]);
    // Scans only: unique scanners are per UTC day (test/analytics/unique-scanners.test.ts).
    expect(body.points.map(({ bucket, scans }) => ({ bucket, scans }))).toEqual(expected);
    expect(body.total).toBe(expected.reduce((a, p) => a + p.scans, 0));
  });

  it(`counts each of the day's ${hours} local hours exactly`, async () => {
    const body = await get<Series>(
      `/v1/analytics/scans/timeseries?${q(`interval=hour&from=${date}&to=${date}`)}`,
    );
    const dayFrom = expectedDayStart(date, tz);
    const dayTo = expectedDayStart(to, tz);
    const expected = expectedSeries(instants, dayFrom, dayTo, tz, 'hour');
    expect(expected).toHaveLength(hours);
    expect(body.points).toEqual(expected);
    // Every hour label is the local hour start with the offset in force.
    const first = wallClock(dayFrom, tz);
    expect(body.points[0]!.bucket).toBe(`${date}T${first.hour}:00${first.offset}`);
  });

  it('filters by country from the per-key roll-ups, exactly too', async () => {
    const body = await get<Series>(
      `/v1/analytics/scans/timeseries?${q(`interval=hour&from=${date}&to=${date}&country=IN`)}`,
    );
    const expected = expectedSeries(
      [...inIndia],
      expectedDayStart(date, tz),
      expectedDayStart(to, tz),
      tz,
      'hour',
    );
    expect(body.points).toEqual(expected);
  });

  it('totals the range and the same number of local days before it', async () => {
    const body = await get<{
      range: { from: string; to: string };
      previous_range: { from: string; to: string };
      total_scans: { value: number; previous: number };
    }>(`/v1/analytics/overview?${q(`from=${from}&to=${to}`)}`);
    const prevFromMs = expectedDayStart(addDays(from, -3), tz);
    const within = (a: number, b: number) => instants.filter((t) => t >= a && t < b).length;
    expect(body.range).toMatchObject({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    });
    expect(body.previous_range).toMatchObject({
      from: new Date(prevFromMs).toISOString(),
      to: new Date(fromMs).toISOString(),
    });
    expect(body.total_scans).toMatchObject({
      value: within(fromMs, toMs),
      previous: within(prevFromMs, fromMs),
    });
    expect(body.total_scans.value).toBeGreaterThan(0);
    expect(body.total_scans.previous).toBeGreaterThan(0);
  });
});
