// How one scan event spreads over the roll-up counters (pure).
import type { ScanDimension } from './scan-counter-schema';
import type { ScanEvent } from './scan-event-shape';
import { scannerFingerprint, sketchCell } from './scanner-sketch';

export const HOUR_MS = 3_600_000;
export const hourOf = (ms: number) => ms - (ms % HOUR_MS);
/**
 * Roll-ups count per UTC quarter-hour: every IANA offset in use (+5:30 Kolkata, +5:45 Kathmandu,
 * −3:30 St John's...) is a multiple of 15 minutes, so a local hour or day is a union of buckets.
 */
export const BUCKET_MS = 900_000;
/** Start of the 15-minute bucket holding `ms` (epoch ms; floor, also before 1970). */
export const bucketOf = (ms: number) => ms - (((ms % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
/** Days since the epoch, in UTC: the day of per-day counts (unique scanners) and scanner hashes. */
export const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

/**
 * Map cells are 0.1° (about 11 km at the equator): fine enough for a city-level map, coarse
 * enough that a cell never pinpoints a person. Coarser zooms sum these cells when read.
 */
export const GEO_CELL_DEGREES = 0.1;

export function geoCell(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null) return null;
  const snap = (v: number) => (Math.floor(v / GEO_CELL_DEGREES) * GEO_CELL_DEGREES).toFixed(1);
  return `${snap(lat)},${snap(lon)}`;
}

/**
 * The map's roll-up value: the cell, then the region and city the edge located the scan in
 * ("48.8,2.3|IDF|Paris"), so a map point can be named; the country is the roll-up's own column.
 */
export function geoValue(
  event: Pick<ScanEvent, 'latitude' | 'longitude' | 'region' | 'city'>,
): string | null {
  const cell = geoCell(event.latitude, event.longitude);
  if (cell === null) return null;
  const part = (v: string | null) => (v ?? '').replaceAll('|', ' ');
  return `${cell}|${part(event.region)}|${part(event.city)}`;
}

export function dimensionValues(event: ScanEvent): [ScanDimension, string][] {
  const values: [ScanDimension, string | null][] = [
    ['region', event.country && event.region ? `${event.country}/${event.region}` : null],
    ['city', event.country && event.city ? `${event.country}/${event.city}` : null],
    ['referrer', event.referrer],
    ['app', event.app],
    ['device', event.deviceClass],
    ['link_type', event.linkType],
    ['outcome', event.outcome],
    ['rule', event.ruleId],
    ['geo', geoValue(event)],
  ];
  return values.filter((v): v is [ScanDimension, string] => v[1] !== null);
}

export interface BatchCounts {
  /** JSON [bucket, country, lot, is_bot] → scans (bucket: 15-minute start, bucketOf) */
  hourly: Map<string, number>;
  /** JSON [bucket, dim, value, country, is_bot] → scans */
  dims: Map<string, number>;
  serials: Map<string, { lot: string; scans: number; firstAt: number; lastAt: number }>;
  /** JSON [day, is_bot, scanner hash], each once */
  scanners: Set<string>;
  /** JSON [day, dim, value, is_bot, register] → highest rank (scanner-sketch.ts) */
  sketch: Map<string, number>;
  /** JSON [day, dim, value, is_bot, fingerprint], each once: the exact count of small days */
  exact: Set<string>;
}

/** The subjects unique scanners are counted for: the organisation, product, lot and country. */
export function sketchSubjects(e: ScanEvent): [string, string][] {
  const subjects: [string, string][] = [
    ['all', ''],
    ['product', e.keyValue],
  ];
  // A lot belongs to its GTIN (14 digits), so the value is the GTIN followed by the lot.
  if (e.lot) subjects.push(['lot', `${e.keyValue}${e.lot}`]);
  if (e.country) subjects.push(['country', e.country]);
  return subjects;
}

/** The counter increments a batch of scans implies, summed per counter (pure). */
export function countBatch(events: readonly ScanEvent[]): BatchCounts {
  const counts: BatchCounts = {
    hourly: new Map(),
    dims: new Map(),
    serials: new Map(),
    scanners: new Set(),
    sketch: new Map(),
    exact: new Set(),
  };
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const e of events) {
    const bot = e.isBot ? 1 : 0;
    const bucket = bucketOf(e.occurredAt);
    const country = e.country ?? '';
    add(counts.hourly, JSON.stringify([bucket, country, e.lot ?? '', bot]));
    for (const [dim, value] of dimensionValues(e))
      add(counts.dims, JSON.stringify([bucket, dim, value, country, bot]));
    if (e.serial !== null) {
      const s = counts.serials.get(e.serial);
      if (s) {
        s.scans++;
        s.firstAt = Math.min(s.firstAt, e.occurredAt);
        s.lastAt = Math.max(s.lastAt, e.occurredAt);
        s.lot = e.lot ?? '';
      } else
        counts.serials.set(e.serial, {
          lot: e.lot ?? '',
          scans: 1,
          firstAt: e.occurredAt,
          lastAt: e.occurredAt,
        });
    }
    const day = utcDay(e.occurredAt);
    counts.scanners.add(JSON.stringify([day, bot, e.scannerHash]));
    const [register, rank] = sketchCell(e.scannerHash);
    const fingerprint = scannerFingerprint(e.scannerHash);
    for (const [dim, value] of sketchSubjects(e)) {
      const key = JSON.stringify([day, dim, value, bot, register]);
      counts.sketch.set(key, Math.max(counts.sketch.get(key) ?? 0, rank));
      counts.exact.add(JSON.stringify([day, dim, value, bot, fingerprint]));
    }
  }
  return counts;
}
