// Local calendar facts straight from Intl.DateTimeFormat, by brute force, independently of
// src/analytics/zoned-time.ts: the expectation side of the timezone tests.
const QUARTER_MS = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The local date, hour, minute and offset ("+05:45") Intl shows for the instant `ms` in `tz`. */
export function wallClock(ms: number, tz: string) {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  const gmt = p.timeZoneName!.replace('GMT', '');
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: p.hour!,
    minute: p.minute!,
    offset: gmt === '' ? '+00:00' : gmt,
  };
}

/** The label the API should give the instant: its local day, or local hour start with offset. */
export function expectedLabel(ms: number, tz: string, interval: 'hour' | 'day'): string {
  const w = wallClock(ms, tz);
  return interval === 'day' ? w.date : `${w.date}T${w.hour}:00${w.offset}`;
}

/** The first quarter-hour whose local date is `date` or later, found by walking quarter-hours. */
export function expectedDayStart(date: string, tz: string): number {
  // No zone is ahead of UTC by more than 14 hours.
  let t = Date.parse(`${date}T00:00:00Z`) - 15 * 3_600_000;
  while (wallClock(t, tz).date < date) t += QUARTER_MS;
  return t;
}

/** Distinct labels of the quarter-hours of [fromMs, toMs), in order (the series' buckets). */
export function expectedBuckets(
  fromMs: number,
  toMs: number,
  tz: string,
  interval: 'hour' | 'day',
): string[] {
  const labels = new Set<string>();
  for (let t = fromMs - (fromMs % QUARTER_MS); t < toMs; t += QUARTER_MS)
    labels.add(expectedLabel(t, tz, interval));
  return [...labels];
}

/** Instants counted per label, every label of the range present (zero when none). */
export function expectedSeries(
  instants: number[],
  fromMs: number,
  toMs: number,
  tz: string,
  interval: 'hour' | 'day',
): { bucket: string; scans: number }[] {
  const counts = new Map(expectedBuckets(fromMs, toMs, tz, interval).map((b) => [b, 0]));
  for (const ms of instants) {
    if (ms < fromMs || ms >= toMs) continue;
    const label = expectedLabel(ms, tz, interval);
    counts.set(label, counts.get(label)! + 1);
  }
  return [...counts].map(([bucket, scans]) => ({ bucket, scans }));
}
