// Calendar arithmetic in a requested IANA timezone, from UTC quarter-hour buckets (pure).
// Roll-ups are per 15 minutes of UTC and every offset in use is a multiple of 15 minutes
// (+5:30 Kolkata, +5:45 Kathmandu, −3:30 St John's, +9:30/+10:30 Adelaide), so a local hour or a
// local day — 23, 24 or 25 hours around DST — is exactly the set of buckets whose local start
// falls in it, in every zone.
const MINUTE_MS = 60_000;
const BUCKET_MS = 900_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
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

/** Offset of `tz` from UTC at instant `ms`, in minutes (e.g. 60 for Paris in winter, 345 for Kathmandu). */
export function offsetMinutes(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(
    Number(p.date.slice(0, 4)),
    Number(p.date.slice(5, 7)) - 1,
    Number(p.date.slice(8, 10)),
    Number(p.hour),
    Number(p.minute),
  );
  return Math.round((asUtc - (ms - (ms % MINUTE_MS))) / MINUTE_MS);
}

/** The local date (YYYY-MM-DD) of the instant `ms` at offset `offset` minutes. */
const dateAt = (ms: number, offset: number) => new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 10);

/**
 * The UTC instant local `date` (YYYY-MM-DD) starts at in `tz`: its midnight, or where midnight
 * is skipped by a DST change (e.g. America/Santiago, America/Havana), the first instant of the
 * day; where midnight occurs twice, the first.
 */
export function zonedMidnight(date: string, tz: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`);
  // The offsets in force around that day: local midnight is naive − offset for one of them.
  const offsets = [
    ...new Set([
      offsetMinutes(naive - DAY_MS, tz),
      offsetMinutes(naive, tz),
      offsetMinutes(naive + DAY_MS, tz),
    ]),
  ];
  const midnights = offsets
    .map((o) => naive - o * MINUTE_MS)
    .filter((t) => offsetMinutes(t, tz) * MINUTE_MS === naive - t); // local time there is 00:00
  if (midnights.length > 0) return Math.min(...midnights);
  // Midnight skipped: the day starts at the change, a quarter-hour between the candidates.
  let t = naive - Math.max(...offsets) * MINUTE_MS;
  t -= ((t % BUCKET_MS) + BUCKET_MS) % BUCKET_MS;
  while (dateAt(t, offsetMinutes(t, tz)) < date) t += BUCKET_MS;
  return t;
}

/** The local date following `date` (YYYY-MM-DD), or preceding it for a negative `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export type Interval = 'hour' | 'day';

function formatOffset(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The label of the instant `ms` at `offset`: its local date, or its local hour with the offset. */
function label(ms: number, offset: number, interval: Interval): string {
  const local = new Date(ms + offset * MINUTE_MS).toISOString();
  if (interval === 'day') return local.slice(0, 10);
  return `${local.slice(0, 13)}:00${formatOffset(offset)}`;
}

/**
 * The bucket label of the instant `ms`: its local date, or the start of its local hour with the
 * offset in force (e.g. `2026-03-01T05:00+05:30`; during a DST fall-back the repeated hour comes
 * twice, told apart by the offset).
 */
export function bucketLabel(ms: number, tz: string, interval: Interval): string {
  return label(ms, offsetMinutes(ms, tz), interval);
}

/**
 * The offset of `tz` at each UTC quarter-hour from `fromMs` (a bucket start) until `toMs`. Intl
 * is asked once per UTC hour, and for each quarter of an hour only when the offset differs at its
 * two ends (a DST change, which may fall on a :30 UTC, as St John's does): a 400-day range costs
 * ~9,600 Intl calls, not 38,400.
 */
function bucketOffsets(fromMs: number, toMs: number, tz: string): Map<number, number> {
  const offsets = new Map<number, number>();
  let h = fromMs - (((fromMs % HOUR_MS) + HOUR_MS) % HOUR_MS);
  let atStart = offsetMinutes(h, tz);
  for (; h < toMs; h += HOUR_MS) {
    const atEnd = offsetMinutes(h + HOUR_MS, tz);
    for (let q = 0; q < 4; q++) {
      const b = h + q * BUCKET_MS;
      const offset = q === 0 || atStart === atEnd ? atStart : offsetMinutes(b, tz);
      if (b >= fromMs && b < toMs) offsets.set(b, offset);
    }
    atStart = atEnd;
  }
  return offsets;
}

/**
 * The bucket label of every UTC quarter-hour overlapping [fromMs, toMs), in order (keyed by the
 * bucket's start); its distinct values are the range's local hours or days, each once (a 25-hour
 * DST day is one day). A route labels each bucket once, from offsets computed per UTC hour.
 */
export function bucketLabels(
  fromMs: number,
  toMs: number,
  tz: string,
  interval: Interval,
): Map<number, string> {
  const first = fromMs - (((fromMs % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
  const labels = new Map<number, string>();
  for (const [b, offset] of bucketOffsets(first, toMs, tz)) labels.set(b, label(b, offset, interval));
  return labels;
}

/**
 * The period before [fromMs, toMs) to compare it with: when the range is whole local days (both
 * ends local midnights in `tz`), the same number of local days before it, so a 25-hour DST day
 * compares with the 24-hour day before it; otherwise the same duration before it.
 */
export function previousRange(fromMs: number, toMs: number, tz: string): { fromMs: number; toMs: number } {
  const fromDate = dateAt(fromMs, offsetMinutes(fromMs, tz));
  const toDate = dateAt(toMs, offsetMinutes(toMs, tz));
  if (zonedMidnight(fromDate, tz) === fromMs && zonedMidnight(toDate, tz) === toMs) {
    const days = Math.round((Date.parse(toDate) - Date.parse(fromDate)) / DAY_MS);
    return { fromMs: zonedMidnight(addDays(fromDate, -days), tz), toMs: fromMs };
  }
  return { fromMs: fromMs - (toMs - fromMs), toMs: fromMs };
}

/** `date` (YYYY-MM-DD) a year earlier; 29 February becomes the 28th. */
export function sameDateYearBefore(date: string): string {
  const year = String(Number(date.slice(0, 4)) - 1).padStart(4, '0');
  const candidate = `${year}${date.slice(4)}`;
  return new Date(Date.parse(`${candidate}T00:00:00Z`)).toISOString().slice(0, 10) === candidate
    ? candidate
    : `${year}-02-28`;
}

/**
 * The same period a year earlier: when the range is whole local days, the same number of local
 * days from the same local date a year before (a Monday-to-Sunday week then starts on another
 * weekday: it is the dates that compare); otherwise the same duration, 52 weeks earlier, so hours
 * of the day and weekdays line up.
 */
export function previousYearRange(
  fromMs: number,
  toMs: number,
  tz: string,
): { fromMs: number; toMs: number } {
  const fromDate = dateAt(fromMs, offsetMinutes(fromMs, tz));
  const toDate = dateAt(toMs, offsetMinutes(toMs, tz));
  if (zonedMidnight(fromDate, tz) === fromMs && zonedMidnight(toDate, tz) === toMs) {
    const days = Math.round((Date.parse(toDate) - Date.parse(fromDate)) / DAY_MS);
    const start = sameDateYearBefore(fromDate);
    return { fromMs: zonedMidnight(start, tz), toMs: zonedMidnight(addDays(start, days), tz) };
  }
  const weeks52 = 364 * DAY_MS;
  return { fromMs: fromMs - weeks52, toMs: toMs - weeks52 };
}
