// A scan series: the 15-minute roll-ups summed into local hours or days (zoned-time.ts: exact in
// every zone), and the points of a compared period lined up with it.
import type { Filters } from './analytics-filters';
import { scansPerBucket } from './scan-queries';
import { bucketLabels, type Interval } from './zoned-time';

const QUARTER_HOUR_MS = 900_000;

export interface SeriesPoint {
  bucket: string;
  scans: number;
  /** The hour or day is not over at `now` (or not begun): its count will still grow. */
  partial?: true;
}

export async function seriesPoints(
  db: D1Database,
  f: Filters,
  interval: Interval,
  now = Date.now(),
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
  return [...sums].map(([bucket, scans]) =>
    partial.has(bucket) ? { bucket, scans, partial: true } : { bucket, scans },
  );
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
