// compare= on the scan series and breakdowns: the period before, the same dates a year before, or
// any period, lined up by position with the range; scans recorded through the ScanCounter at
// chosen instants and flushed to D1.
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call } from '../support/http';
import { recordScans, type ScanSpec } from '../support/recorded-scans';

const GTIN = '09506000134352';

let reader: string;

interface Point {
  bucket: string | null;
  scans: number | null;
}
interface Series {
  total: number;
  points: { bucket: string; scans: number; partial?: true }[];
  previous?: { range: { from: string; to: string }; total: number; points: Point[] };
}
interface Breakdown {
  total: number;
  rows: {
    value: string;
    scans: number;
    previous?: number;
    change?: number;
    change_percent?: number | null;
  }[];
  previous?: { range: { from: string; to: string }; total: number };
}

async function get<T>(path: string): Promise<T> {
  const res = await call('GET', path, { key: reader });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json<T>();
}

const WEEK = 'from=2026-03-10&to=2026-03-16';

beforeAll(async () => {
  const org = await createOrganization('Comparison Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  const at = (iso: string, country: string, n: number): ScanSpec[] =>
    Array.from({ length: n }, (_, i) => ({
      orgId: org.orgId,
      keyValue: GTIN,
      occurredAt: Date.parse(iso) + i * 60_000,
      country,
    }));
  await recordScans([
    // The range, 10–16 March 2026.
    ...at('2026-03-10T09:00:00Z', 'FR', 3),
    ...at('2026-03-12T09:00:00Z', 'DE', 2),
    ...at('2026-03-16T23:00:00Z', 'FR', 1),
    // The week before.
    ...at('2026-03-03T09:00:00Z', 'FR', 1),
    ...at('2026-03-09T09:00:00Z', 'IT', 4),
    // A year before.
    ...at('2025-03-11T09:00:00Z', 'FR', 5),
    // A campaign week of February.
    ...at('2026-02-02T09:00:00Z', 'DE', 7),
    // Around the DST changes of Europe/Paris (29 March: 23 hours; 25 October: 25 hours).
    ...at('2026-03-28T22:30:00Z', 'FR', 2), // 23:30 on the 28th in Paris: the previous day's last hour
    ...at('2026-03-29T21:30:00Z', 'FR', 1), // 23:30 on the 29th: the range's last hour
    ...at('2026-10-25T22:30:00Z', 'FR', 3), // 23:30 on the 25th (CET): the 25th hour of that day
  ]);
});

describe('GET /v1/analytics/scans/timeseries?compare=', () => {
  it('answers no comparison unless asked', async () => {
    const s = await get<Series>(`/v1/analytics/scans/timeseries?${WEEK}`);
    expect(s.total).toBe(6);
    expect(s).not.toHaveProperty('previous');
  });

  it('previous: the seven days before, day by day', async () => {
    const s = await get<Series>(`/v1/analytics/scans/timeseries?${WEEK}&compare=previous`);
    expect(s.previous!.range).toMatchObject({
      from: '2026-03-03T00:00:00.000Z',
      to: '2026-03-10T00:00:00.000Z',
    });
    expect(s.previous!.points).toHaveLength(7);
    expect(s.previous!.points[0]).toEqual({ bucket: '2026-03-03', scans: 1 });
    expect(s.previous!.points[6]).toEqual({ bucket: '2026-03-09', scans: 4 });
    expect(s.previous!.total).toBe(5);
    expect(s.points.map((p) => p.scans)).toEqual([3, 0, 2, 0, 0, 0, 1]);
  });

  it('previous_year: the same dates a year before', async () => {
    const s = await get<Series>(`/v1/analytics/scans/timeseries?${WEEK}&compare=previous_year`);
    expect(s.previous!.range).toMatchObject({
      from: '2025-03-10T00:00:00.000Z',
      to: '2025-03-17T00:00:00.000Z',
    });
    expect(s.previous!.points.map((p) => p.scans)).toEqual([0, 5, 0, 0, 0, 0, 0]);
    expect(s.previous!.points[1]!.bucket).toBe('2025-03-11');
  });

  it('a custom period of as many days (campaign measurement)', async () => {
    const s = await get<Series>(`/v1/analytics/scans/timeseries?${WEEK}&compare=2026-02-01..2026-02-07`);
    expect(s.previous!.range).toMatchObject({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-02-08T00:00:00.000Z',
    });
    expect(s.previous!.points.map((p) => p.scans)).toEqual([0, 7, 0, 0, 0, 0, 0]);
    expect(s.previous!.total).toBe(7);
  });

  it('cuts the compared hours where a DST change made the range shorter', async () => {
    const s = await get<Series>(
      '/v1/analytics/scans/timeseries?from=2026-03-29&to=2026-03-29&tz=Europe/Paris&interval=hour&compare=previous',
    );
    expect(s.points).toHaveLength(23);
    expect(s.previous!.points).toHaveLength(23);
    expect(s.points[22]!.scans).toBe(1);
    // The previous day's 24 hours, cut after its 23rd: its last hour (2 scans) is not shown.
    expect(s.previous!.points[22]).toEqual({ bucket: '2026-03-28T22:00+01:00', scans: 0 });
    expect(s.previous!.total).toBe(2);
  });

  it('pads the compared hours where a DST change made the range longer', async () => {
    const s = await get<Series>(
      '/v1/analytics/scans/timeseries?from=2026-10-25&to=2026-10-25&tz=Europe/Paris&interval=hour&compare=previous',
    );
    expect(s.points).toHaveLength(25);
    expect(s.points[24]!.scans).toBe(3);
    expect(s.previous!.points).toHaveLength(25);
    expect(s.previous!.points[24]).toEqual({ bucket: null, scans: null });
    expect(s.previous!.points[23]!.bucket).toBe('2026-10-24T23:00+02:00');
  });

  it.each([
    ['yesterday', 'not a comparison'],
    ['2026-02-01', 'not a comparison'],
    ['2026-02-01..', 'not a comparison'],
    ['..2026-02-07', 'not a comparison'],
    ['2026-02-01..2026-02-03..2026-02-05', 'not a comparison'],
    ['2026-02-07..2026-02-01', 'start after end'],
    ['2026-02-30..2026-03-05', 'not a calendar date'],
    ['1999-01-01..1999-01-07', 'out of range'],
    ['2024-01-01..2026-01-01', 'range too long'],
    ['2026-02-01T00:00..2026-02-07', 'not a date'],
    ['2026-02-01..2026-02-10', 'not as long as the range'],
  ])('compare=%s is a 400 (%s)', async (compare, message) => {
    const res = await call(
      'GET',
      `/v1/analytics/scans/timeseries?${WEEK}&compare=${encodeURIComponent(compare)}`,
      { key: reader },
    );
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; details: { path: string; message: string }[] } }>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toContainEqual({ path: 'compare', message });
  });

  it('refuses an over-long compare value and an hourly comparison over 31 days', async () => {
    const long = await call('GET', `/v1/analytics/scans/timeseries?compare=${'x'.repeat(91)}`, {
      key: reader,
    });
    expect(long.status).toBe(400);
    const hourly = await call(
      'GET',
      `/v1/analytics/scans/timeseries?from=2026-03-10&to=2026-03-11&interval=hour&compare=2026-01-01..2026-02-15`,
      { key: reader },
    );
    expect(hourly.status).toBe(400);
    expect(await hourly.text()).toContain('compared period too long for hours');
  });
});

describe('GET /v1/analytics/scans/breakdown?compare=', () => {
  it('gives each row its previous value and change; "other" holds the rest of both periods', async () => {
    const b = await get<Breakdown>(`/v1/analytics/scans/breakdown?${WEEK}&by=country&compare=previous`);
    expect(b.previous).toMatchObject({ total: 5, range: { from: '2026-03-03T00:00:00.000Z' } });
    expect(b.rows).toEqual([
      { value: 'FR', scans: 4, unique_scanners: 4, previous: 1, change: 3, change_percent: 300 },
      { value: 'DE', scans: 2, unique_scanners: 2, previous: 0, change: 2, change_percent: null },
      { value: 'other', scans: 0, previous: 4, change: -4, change_percent: -100 },
    ]);
    expect(b.total).toBe(6);
  });

  it('keeps the top N of the range, comparing the rest as "other"', async () => {
    const b = await get<Breakdown>(
      `/v1/analytics/scans/breakdown?${WEEK}&by=country&limit=1&compare=previous`,
    );
    expect(b.rows).toEqual([
      { value: 'FR', scans: 4, unique_scanners: 4, previous: 1, change: 3, change_percent: 300 },
      { value: 'other', scans: 2, previous: 4, change: -2, change_percent: -50 },
    ]);
  });

  it('compares with a custom period, and stays as it was without compare', async () => {
    const b = await get<Breakdown>(
      `/v1/analytics/scans/breakdown?${WEEK}&by=country&compare=2026-02-01..2026-02-07`,
    );
    expect(b.rows.find((r) => r.value === 'DE')).toEqual({
      value: 'DE',
      scans: 2,
      unique_scanners: 2,
      previous: 7,
      change: -5,
      change_percent: -71.4,
    });
    const plain = await get<Breakdown>(`/v1/analytics/scans/breakdown?${WEEK}&by=country`);
    expect(plain.rows).toEqual([
      { value: 'FR', scans: 4, unique_scanners: 4 },
      { value: 'DE', scans: 2, unique_scanners: 2 },
    ]);
    expect(plain).not.toHaveProperty('previous');
  });

  it('refuses a comparison of serials and a malformed compare', async () => {
    for (const q of ['by=serial&compare=previous', 'by=country&compare=last_week']) {
      const res = await call('GET', `/v1/analytics/scans/breakdown?${WEEK}&${q}`, { key: reader });
      expect(res.status, q).toBe(400);
      expect((await res.json<{ error: { details: { path: string }[] } }>()).error.details[0]!.path).toBe(
        'compare',
      );
    }
  });
});

describe('partial buckets', () => {
  it('marks the hour and the day that are not over yet, and only those', async () => {
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const days = await get<Series>(
      `/v1/analytics/scans/timeseries?from=${new Date(now - 3 * 86_400_000).toISOString().slice(0, 10)}&to=${today}`,
    );
    expect(days.points.map((p) => p.partial ?? false)).toEqual([false, false, false, true]);
    expect(days.points.at(-1)!.bucket).toBe(today);
    const hours = await get<Series>(`/v1/analytics/scans/timeseries?interval=hour&from=${today}&to=${today}`);
    const partial = hours.points.filter((p) => p.partial);
    // The current hour and every hour after it today.
    expect(partial.length).toBe(24 - new Date(now).getUTCHours());
    expect(partial[0]!.bucket.slice(11, 13)).toBe(String(new Date(now).getUTCHours()).padStart(2, '0'));
    // A range wholly past has no partial point.
    const past = await get<Series>(`/v1/analytics/scans/timeseries?${WEEK}`);
    expect(past.points.some((p) => p.partial)).toBe(false);
  });
});
