import { describe, expect, it } from 'vitest';
import { topN, topNCompared } from './top-n';

const c = (value: string, scans: number) => ({ value, scans });

describe('topNCompared', () => {
  it.each([
    ['no previous scans', [c('FR', 3)], [], 5, [{ value: 'FR', scans: 3, previous: 0 }]],
    [
      'a value only before',
      [c('FR', 3)],
      [c('IT', 2)],
      5,
      [
        { value: 'FR', scans: 3, previous: 0 },
        { value: 'other', scans: 0, previous: 2 },
      ],
    ],
    [
      'the rest as other, both sides',
      [c('FR', 5), c('DE', 2), c('IT', 1)],
      [c('FR', 1), c('DE', 4), c('ES', 6)],
      1,
      [
        { value: 'FR', scans: 5, previous: 1 },
        { value: 'other', scans: 3, previous: 10 },
      ],
    ],
    [
      'exactly N rows, nothing before',
      [c('FR', 2), c('DE', 1)],
      [],
      2,
      [
        { value: 'FR', scans: 2, previous: 0 },
        { value: 'DE', scans: 1, previous: 0 },
      ],
    ],
    ['nothing in either', [], [], 3, []],
    [
      'duplicate previous values add up',
      [c('FR', 1)],
      [c('FR', 1), c('FR', 2)],
      3,
      [{ value: 'FR', scans: 1, previous: 3 }],
    ],
  ])('%s', (_name, counts, previous, n, expected) => {
    const rows = topNCompared(counts, previous, n);
    expect(rows).toEqual(expected);
    // The named rows are topN's, and both columns add up to their periods' totals.
    expect(rows.map((r) => r.value).slice(0, topN(counts, n).length)).toEqual(
      topN(counts, n).map((r) => r.value),
    );
    const sum = (list: { scans: number }[]) => list.reduce((a, r) => a + r.scans, 0);
    expect(sum(rows)).toBe(sum(counts));
    expect(rows.reduce((a, r) => a + r.previous, 0)).toBe(sum(previous));
  });
});
