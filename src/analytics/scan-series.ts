// A scan series: the 15-minute roll-ups summed into local hours or days (zoned-time.ts: exact in
// every zone), and the points of a compared period lined up with it.
import type { Filters } from './analytics-filters';
import { scansPerBucket } from './scan-queries';
import { bucketLabels, type Interval } from './zoned-time';

const QUARTER_HOUR_MS = 900_000;
const HALF_DAY_MS = 43_200_000;

export interface SeriesPoint {
  bucket: string;
  scans: number;
  /** Days only: the scanners of the UTC day most of whose hours the point holds (unique-scanners.ts). */
  unique_scanners?: number;
  /** The hour or day is not over at `now` (or not begun): its count will still grow. */
  partial?: true;
}

export async function seriesPoints(
  db: D1Database,
  f: Filters,
  interval: Interval,
  now = Date.now(),
  uniquesPerDay: ReadonlyMap<number, number> | null = null,
): Promise<SeriesPoint[]> {
  const perBucket = await scansPerBucket(db, f);
  const labels = bucketLabels(f.fromMs, f.toMs, f.tz, interval);
  const sums = new Map([...labels.values()].map((b) => [b, 0]));
  // A point is partial when one of its quarter-hours ends after now: today, so far.
  const partial = new Set<string>();
  for (const [start, bucket] of labels) if (start + QUARTER_HOUR_MS > now) partial.add(bucket);
  for (const [start, scans] of perBucket) {
    const bucket = labels.get(start);
    if (bucket !== undefined) sums.set(bucket, sums.get(bucket)! + scans);
  }
  const uniques = new Map<string, number>();
  for (const [dayStart, n] of uniquesPerDay ?? []) {
    const bucket = labels.get(dayStart + HALF_DAY_MS) ?? labels.get(dayStart);
    if (bucket !== undefined) uniques.set(bucket, (uniques.get(bucket) ?? 0) + n);
  }
  return [...sums].map(([bucket, scans]) => {
    const point: SeriesPoint = { bucket, scans };
    if (uniquesPerDay) point.unique_scanners = uniques.get(bucket) ?? 0;
    if (partial.has(bucket)) point.partial = true;
    return point;
  });
}

/**
 * The compared period's points, one per point of the range, by position: the n-th day against
 * the n-th day. Where a DST change gives the two periods a different number of hours, the
 * compared side is cut, or padded with points that have no bucket.
 */
export function alignedPoints(
  points: readonly SeriesPoint[],
  length: number,
): { bucket: string | null; scans: number | null }[] {
  return Array.from({ length }, (_, i) => {
    const point = points[i];
    return point ? { bucket: point.bucket, scans: point.scans } : { bucket: null, scans: null };
  });
}
