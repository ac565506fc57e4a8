// zoned-time.ts against Intl by brute force (test/support/zone-oracle.ts), in the zones whose
// offsets are not whole hours, whose DST moves by 30 minutes, or whose midnight is skipped.
import { describe, expect, it } from 'vitest';
import { expectedBuckets, expectedDayStart, expectedLabel } from '../../test/support/zone-oracle';
import {
  addDays,
  bucketLabel,
  bucketLabels,
  offsetMinutes,
  previousRange,
  previousYearRange,
  sameDateYearBefore,
  zonedMidnight,
} from './zoned-time';

const Q = 900_000;
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata', // +5:30
  'Asia/Kathmandu', // +5:45
  'Asia/Tehran', // +3:30
  'America/St_Johns', // −3:30 / −2:30
  'Australia/Adelaide', // +9:30 / +10:30
  'Australia/Lord_Howe', // +10:30 / +11: DST of 30 minutes
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Kiritimati', // +14
  'Pacific/Pago_Pago', // −11
  'America/Santiago', // DST starts at midnight (skipped)
  'America/Havana', // DST starts at midnight (skipped)
  'Africa/Cairo', // DST starts at midnight (skipped)
];

/** Every 1st and 15th of 2026, and the days around the year's DST changes of the zones above. */
const DATES = [
  ...Array.from({ length: 12 }, (_, m) => [
    `2026-${String(m + 1).padStart(2, '0')}-01`,
    `2026-${String(m + 1).padStart(2, '0')}-15`,
  ]).flat(),
  ...[
    '2026-03-08',
    '2026-03-29',
    '2026-04-05',
    '2026-04-24',
    '2026-09-06',
    '2026-09-27',
    '2026-10-04',
    '2026-10-25',
    '2026-10-30',
    '2026-11-01',
  ].flatMap((d) => [addDays(d, -1), d, addDays(d, 1)]),
  '2025-12-31',
  '2028-02-29',
];

describe('zonedMidnight', () => {
  it.each([
    ['2026-03-01', 'Asia/Kolkata', '2026-02-28T18:30:00Z'],
    ['2026-03-01', 'Asia/Kathmandu', '2026-02-28T18:15:00Z'],
    ['2026-03-01', 'Asia/Tehran', '2026-02-28T20:30:00Z'],
    ['2026-03-08', 'America/St_Johns', '2026-03-08T03:30:00Z'], // NST, DST at 02:00 that day
    ['2026-03-09', 'America/St_Johns', '2026-03-09T02:30:00Z'], // NDT
    ['2026-11-01', 'America/St_Johns', '2026-11-01T02:30:00Z'], // NDT, back to NST at 02:00
    ['2026-11-02', 'America/St_Johns', '2026-11-02T03:30:00Z'],
    ['2026-04-05', 'Australia/Adelaide', '2026-04-04T13:30:00Z'], // ACDT, back to ACST at 03:00
    ['2026-04-06', 'Australia/Adelaide', '2026-04-05T14:30:00Z'],
    ['2026-10-04', 'Australia/Adelaide', '2026-10-03T14:30:00Z'], // ACST, ACDT from 02:00
    ['2026-10-05', 'Australia/Adelaide', '2026-10-04T13:30:00Z'],
    ['2026-10-25', 'Europe/Paris', '2026-10-24T22:00:00Z'],
    ['2026-10-26', 'Europe/Paris', '2026-10-25T23:00:00Z'],
    ['2026-01-01', 'Pacific/Kiritimati', '2025-12-31T10:00:00Z'],
    ['2026-01-01', 'Pacific/Pago_Pago', '2026-01-01T11:00:00Z'],
  ])('%s in %s starts at %s', (date, tz, iso) => {
    expect(new Date(zonedMidnight(date, tz)).toISOString()).toBe(new Date(at(iso)).toISOString());
  });

  it.each(ZONES)('is the first instant of each local day in %s (%# against Intl)', (tz) => {
    for (const date of DATES)
      expect(zonedMidnight(date, tz), `${date} ${tz}`).toBe(expectedDayStart(date, tz));
  });

  it('gives day lengths of 23, 24 and 25 hours around DST, also for 30-minute DST', () => {
    const length = (date: string, tz: string) =>
      (zonedMidnight(addDays(date, 1), tz) - zonedMidnight(date, tz)) / H;
    expect(length('2026-04-05', 'Australia/Adelaide')).toBe(25);
    expect(length('2026-10-04', 'Australia/Adelaide')).toBe(23);
    expect(length('2026-03-08', 'America/St_Johns')).toBe(23);
    expect(length('2026-11-01', 'America/St_Johns')).toBe(25);
    expect(length('2026-04-05', 'Australia/Lord_Howe')).toBe(24.5);
    expect(length('2026-10-04', 'Australia/Lord_Howe')).toBe(23.5);
    expect(length('2026-03-01', 'Asia/Kathmandu')).toBe(24);
    // Midnight skipped: the day starts at 01:00 and lasts 23 hours.
    expect(length('2026-03-08', 'America/Havana')).toBe(23);
    expect(length('2026-09-06', 'America/Santiago')).toBe(23);
    expect(length('2026-04-24', 'Africa/Cairo')).toBe(23);
  });

  it('lands on a 15-minute bucket start in every zone', () => {
    for (const tz of ZONES) for (const date of DATES) expect(zonedMidnight(date, tz) % Q).toBe(0);
  });
});

describe('offsetMinutes', () => {
  it.each([
    ['2026-03-01T00:00:00Z', 'Asia/Kolkata', 330],
    ['2026-03-01T00:00:00Z', 'Asia/Kathmandu', 345],
    ['2026-03-08T05:29:00Z', 'America/St_Johns', -210],
    ['2026-03-08T05:30:00Z', 'America/St_Johns', -150], // 02:00 NST becomes 03:00 NDT
    ['2026-04-04T16:29:00Z', 'Australia/Adelaide', 630],
    ['2026-04-04T16:30:00Z', 'Australia/Adelaide', 570], // 03:00 ACDT becomes 02:00 ACST
    ['2026-07-01T00:00:00Z', 'Pacific/Chatham', 765],
  ])('at %s in %s is %i', (iso, tz, minutes) => {
    expect(offsetMinutes(at(iso), tz)).toBe(minutes);
  });
});

describe('bucketLabel', () => {
  it.each([
    ['2026-02-28T23:30:00Z', 'Asia/Kolkata', 'hour', '2026-03-01T05:00+05:30'],
    ['2026-02-28T23:15:00Z', 'Asia/Kolkata', 'hour', '2026-03-01T04:00+05:30'],
    ['2026-03-01T00:15:00Z', 'Asia/Kathmandu', 'hour', '2026-03-01T06:00+05:45'],
    ['2026-03-01T00:00:00Z', 'Asia/Kathmandu', 'hour', '2026-03-01T05:00+05:45'],
    ['2026-02-28T18:00:00Z', 'Asia/Kathmandu', 'day', '2026-02-28'],
    ['2026-02-28T18:15:00Z', 'Asia/Kathmandu', 'day', '2026-03-01'],
    ['2026-03-08T05:15:00Z', 'America/St_Johns', 'hour', '2026-03-08T01:00-03:30'],
    ['2026-03-08T05:30:00Z', 'America/St_Johns', 'hour', '2026-03-08T03:00-02:30'],
    ['2026-04-04T16:15:00Z', 'Australia/Adelaide', 'hour', '2026-04-05T02:00+10:30'],
    ['2026-04-04T16:30:00Z', 'Australia/Adelaide', 'hour', '2026-04-05T02:00+09:30'],
    ['2026-04-05T14:15:00Z', 'Australia/Adelaide', 'day', '2026-04-05'],
    ['2026-04-05T14:30:00Z', 'Australia/Adelaide', 'day', '2026-04-06'],
    ['2026-10-25T01:00:00Z', 'Europe/Paris', 'hour', '2026-10-25T02:00+01:00'],
    ['2026-10-25T00:45:00Z', 'Europe/Paris', 'hour', '2026-10-25T02:00+02:00'],
    ['2026-01-01T00:00:00Z', 'UTC', 'hour', '2026-01-01T00:00+00:00'],
  ] as const)('labels %s in %s by %s as %s', (iso, tz, interval, label) => {
    expect(bucketLabel(at(iso), tz, interval)).toBe(label);
  });
});

describe('bucketLabels', () => {
  it('has every quarter-hour of the range, the one holding `from` first', () => {
    const labels = bucketLabels(
      at('2026-03-01T00:10:00Z'),
      at('2026-03-01T02:00:00Z'),
      'Asia/Kathmandu',
      'hour',
    );
    expect([...labels.keys()]).toEqual(
      Array.from({ length: 8 }, (_, i) => at('2026-03-01T00:00:00Z') + i * Q),
    );
    expect([...new Set(labels.values())]).toEqual([
      '2026-03-01T05:00+05:45',
      '2026-03-01T06:00+05:45',
      '2026-03-01T07:00+05:45',
    ]);
  });

  it.each(ZONES)('labels every quarter-hour as Intl does, around each DST change, in %s', (tz) => {
    for (const date of [
      '2026-03-08',
      '2026-03-29',
      '2026-04-05',
      '2026-09-06',
      '2026-10-04',
      '2026-10-25',
      '2026-11-01',
    ]) {
      const from = zonedMidnight(addDays(date, -1), tz);
      const to = zonedMidnight(addDays(date, 2), tz);
      for (const interval of ['hour', 'day'] as const) {
        const labels = bucketLabels(from, to, tz, interval);
        expect(labels.size).toBe((to - from) / Q);
        for (const [b, label] of labels)
          expect(label, `${tz} ${new Date(b).toISOString()}`).toBe(expectedLabel(b, tz, interval));
        expect([...new Set(labels.values())]).toEqual(expectedBuckets(from, to, tz, interval));
      }
    }
  });

  it('gives local days of 25 and 23 hours as one bucket each', () => {
    const day = (date: string, tz: string) => {
      const labels = bucketLabels(zonedMidnight(date, tz), zonedMidnight(addDays(date, 1), tz), tz, 'day');
      return { days: [...new Set(labels.values())], quarters: labels.size };
    };
    expect(day('2026-04-05', 'Australia/Adelaide')).toEqual({ days: ['2026-04-05'], quarters: 100 });
    expect(day('2026-03-08', 'America/St_Johns')).toEqual({ days: ['2026-03-08'], quarters: 92 });
  });

  it('gives the 25 local hours of a fall-back day, 02:00 twice with its offset', () => {
    const tz = 'Australia/Adelaide';
    const hours = [
      ...new Set(
        bucketLabels(zonedMidnight('2026-04-05', tz), zonedMidnight('2026-04-06', tz), tz, 'hour').values(),
      ),
    ];
    expect(hours).toHaveLength(25);
    expect(hours.filter((h) => h.startsWith('2026-04-05T02:00'))).toEqual([
      '2026-04-05T02:00+10:30',
      '2026-04-05T02:00+09:30',
    ]);
  });

  it('labels a 400-day range of quarter-hours', () => {
    const from = zonedMidnight('2025-01-01', 'Asia/Kathmandu');
    const labels = bucketLabels(from, from + 400 * 24 * H, 'Asia/Kathmandu', 'day');
    expect(labels.size).toBe(38_400);
    expect(new Set(labels.values()).size).toBe(400);
  });
});

describe('previousRange', () => {
  it('is the same number of local days before a range of whole days', () => {
    const tz = 'Australia/Adelaide';
    // The 25-hour day compares with the 24-hour day before it.
    expect(previousRange(zonedMidnight('2026-04-05', tz), zonedMidnight('2026-04-06', tz), tz)).toEqual({
      fromMs: zonedMidnight('2026-04-04', tz),
      toMs: zonedMidnight('2026-04-05', tz),
    });
    const stJohns = 'America/St_Johns';
    expect(
      previousRange(zonedMidnight('2026-03-09', stJohns), zonedMidnight('2026-03-16', stJohns), stJohns),
    ).toEqual({
      fromMs: zonedMidnight('2026-03-02', stJohns),
      toMs: zonedMidnight('2026-03-09', stJohns),
    });
  });

  it('is the same duration before any other range', () => {
    const from = at('2026-03-01T00:15:00Z');
    const to = at('2026-03-01T03:00:00Z');
    expect(previousRange(from, to, 'Asia/Kolkata')).toEqual({ fromMs: from - (to - from), toMs: from });
  });
});

describe('previousYearRange', () => {
  it.each([
    ['2026-03-10', '2025-03-10'],
    ['2024-02-29', '2023-02-28'],
    ['2025-01-01', '2024-01-01'],
    ['2000-12-31', '1999-12-31'],
  ])('sameDateYearBefore(%s) = %s', (date, expected) => expect(sameDateYearBefore(date)).toBe(expected));

  it('whole local days: the same dates a year before, as many days', () => {
    for (const tz of ['UTC', 'Europe/Paris', 'Asia/Kathmandu', 'America/St_Johns']) {
      const r = previousYearRange(zonedMidnight('2026-03-10', tz), zonedMidnight('2026-03-17', tz), tz);
      expect(r, tz).toEqual({
        fromMs: zonedMidnight('2025-03-10', tz),
        toMs: zonedMidnight('2025-03-17', tz),
      });
    }
    const leap = previousYearRange(
      zonedMidnight('2024-02-29', 'UTC'),
      zonedMidnight('2024-03-02', 'UTC'),
      'UTC',
    );
    expect(leap).toEqual({
      fromMs: zonedMidnight('2023-02-28', 'UTC'),
      toMs: zonedMidnight('2023-03-02', 'UTC'),
    });
  });

  it('other ranges: the same duration 52 weeks before (same weekday and hour)', () => {
    const from = Date.parse('2026-03-10T09:30:00Z');
    const to = Date.parse('2026-03-10T17:00:00Z');
    const r = previousYearRange(from, to, 'UTC');
    expect(r.toMs - r.fromMs).toBe(to - from);
    expect(new Date(r.fromMs).getUTCDay()).toBe(new Date(from).getUTCDay());
    expect(new Date(r.fromMs).toISOString()).toBe('2025-03-11T09:30:00.000Z');
  });
});
