// Calendar arithmetic in a requested IANA timezone, from UTC hour buckets (pure).
// Roll-ups are per UTC hour, so a local day is the set of UTC hours that start on that local
// date: exact for every zone whose offset is a whole number of hours (DST included), and off by
// the fraction for the few zones with half-hour offsets (documented in the README).
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

interface LocalParts {
  date: string; // YYYY-MM-DD
  hour: string; // HH
  minute: string;
}

export function localParts(ms: number, tz: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour!, minute: parts.minute! };
}

/** Offset of `tz` from UTC at instant `ms`, in minutes (e.g. 60 for Paris in winter). */
export function offsetMinutes(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(
    Number(p.date.slice(0, 4)),
    Number(p.date.slice(5, 7)) - 1,
    Number(p.date.slice(8, 10)),
    Number(p.hour),
    Number(p.minute),
  );
  return Math.round((asUtc - (ms - (ms % 60_000))) / 60_000);
}

/** The UTC instant of local midnight starting `date` (YYYY-MM-DD) in `tz`. */
export function zonedMidnight(date: string, tz: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle the offset even when midnight is near a DST change.
  let guess = naive - offsetMinutes(naive, tz) * 60_000;
  guess = naive - offsetMinutes(guess, tz) * 60_000;
  return guess;
}

export type Interval = 'hour' | 'day';

/** The bucket label of the UTC hour starting at `hourMs`: local date, or local date and hour with its offset. */
export function bucketOf(hourMs: number, tz: string, interval: Interval): string {
  const p = localParts(hourMs, tz);
  if (interval === 'day') return p.date;
  const offset = offsetMinutes(hourMs, tz);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${p.date}T${p.hour}:${p.minute}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The bucket label of every UTC hour overlapping [fromMs, toMs), in order; its
 * distinct values are the range's buckets, each once (a 25-hour DST day is one day). The Intl
 * calls behind a label are most of a long series' cost, so a route labels each hour only once.
 */
export function hourBuckets(
  fromMs: number,
  toMs: number,
  tz: string,
  interval: Interval,
): Map<number, string> {
  const labels = new Map<number, string>();
  for (let h = fromMs - (fromMs % HOUR_MS); h < toMs; h += HOUR_MS) labels.set(h, bucketOf(h, tz, interval));
  return labels;
}
