// `compare=` on series and breakdowns (campaign measurement): the period a range is compared
// with, as the overview's cards compare theirs. `previous` is the period just before, `previous_year`
// the same dates a year earlier, `<from>..<to>` any period, its bounds written as `from`/`to` are.
import * as z from 'zod';
import { ApiError } from '../http/api-error';
import { type Filters, instant, MAX_RANGE_DAYS } from './analytics-filters';
import { previousRange, previousYearRange } from './zoned-time';

const DAY_MS = 86_400_000;

export const compareParam = z.string().max(90).optional().meta({
  description:
    'Compare with `previous` (the period before), `previous_year`, or `<from>..<to>` (dates or ISO instants with an offset, as `from` and `to`)',
});

/** The filters of the period to compare with, or undefined when none was asked for. */
export function comparisonFilters(f: Filters, compare: string | undefined): Filters | undefined {
  if (compare === undefined) return undefined;
  if (compare === 'previous') return { ...f, ...previousRange(f.fromMs, f.toMs, f.tz) };
  if (compare === 'previous_year') return { ...f, ...previousYearRange(f.fromMs, f.toMs, f.tz) };
  const bounds = compare.split('..');
  if (bounds.length !== 2 || !bounds[0] || !bounds[1]) {
    throw new ApiError(
      'validation_failed',
      'compare must be previous, previous_year, or <from>..<to> such as 2025-11-01..2025-11-30',
      [{ path: 'compare', message: 'not a comparison' }],
    );
  }
  const fromMs = instant(bounds[0], f.tz, 'compare', false);
  const toMs = instant(bounds[1], f.tz, 'compare', true);
  if (fromMs >= toMs) {
    throw new ApiError('validation_failed', 'The compared period must start before it ends', [
      { path: 'compare', message: 'start after end' },
    ]);
  }
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new ApiError('validation_failed', `The compared period may span at most ${MAX_RANGE_DAYS} days`, [
      { path: 'compare', message: 'range too long' },
    ]);
  }
  return { ...f, fromMs, toMs };
}
