import { describe, expect, it } from 'vitest';
import { RECENT_WINDOW_MAX_SCANS, recentWindowStart } from './recent-window';

const DAY = 86_400_000;
const TODAY = Date.parse('2026-12-15T00:00:00Z');
const NOW = TODAY + 10 * 3_600_000;
const CUT = TODAY - 35 * DAY;
/** Scans per day, by days before today (0 = today). */
const days = (entries: [number, number][]) => new Map(entries.map(([d, n]) => [TODAY - d * DAY, n]));

describe('recentWindowStart', () => {
  it.each([
    ['no scans', [], CUT],
    [
      'a small brand: raw_recent_days',
      [
        [0, 10],
        [1, 500],
        [34, 9_000],
        [35, 1],
      ],
      CUT,
    ],
    [
      'exactly the limit stays whole',
      [
        [0, 1_000_000],
        [10, 3_000_000],
      ],
      CUT,
    ],
    [
      'one past the limit starts after that day',
      [
        [0, 1_000_000],
        [10, 3_000_001],
      ],
      TODAY - 9 * DAY,
    ],
    [
      'a day past the cut-off is not counted',
      [
        [0, 10],
        [36, 9_000_000],
      ],
      CUT,
    ],
    [
      '100 M a month: today and yesterday',
      [
        [0, 1_600_000],
        [1, 3_300_000],
        [2, 3_300_000],
      ],
      TODAY - DAY,
    ],
    [
      'today alone past the limit: yesterday stays too',
      [
        [0, 5_000_000],
        [1, 3_000_000],
      ],
      TODAY - DAY,
    ],
    [
      'yesterday past the limit: it stays',
      [
        [1, 5_000_000],
        [2, 1],
      ],
      TODAY - DAY,
    ],
    [
      'the limit reached three days back',
      [
        [0, 1e6],
        [1, 1e6],
        [2, 1e6],
        [3, 1e6 + 1],
      ],
      TODAY - 2 * DAY,
    ],
  ] as [string, [number, number][], number][])('%s', (_, entries, expected) => {
    expect(recentWindowStart(CUT, NOW, days(entries))).toBe(expected);
  });

  it('never starts before the days cut-off, whatever the limit', () => {
    expect(recentWindowStart(TODAY - 7 * DAY, NOW, days([[3, 9e9]]), 10)).toBe(TODAY - 2 * DAY);
    expect(recentWindowStart(TODAY - DAY, NOW, days([[0, 9e9]]), 10)).toBe(TODAY - DAY);
    expect(recentWindowStart(TODAY, NOW, days([[0, 9e9]]), 10)).toBe(TODAY);
  });

  it('takes its limit from RECENT_WINDOW_MAX_SCANS by default', () => {
    const at = days([[5, RECENT_WINDOW_MAX_SCANS + 1]]);
    expect(recentWindowStart(CUT, NOW, at)).toBe(TODAY - 4 * DAY);
    expect(recentWindowStart(CUT, NOW, at, RECENT_WINDOW_MAX_SCANS + 1)).toBe(CUT);
  });
});
