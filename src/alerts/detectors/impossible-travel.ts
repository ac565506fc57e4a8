// Two scans of one serial that no parcel could connect: the implied ground speed between them is
// above `max_speed_kmh` (default 1,000 km/h, faster than a scheduled airliner's average). Pairs
// closer than `min_distance_km` (default 50 km) are ignored: IP geolocation of a single place can
// be tens of kilometres off, and two scans in one metro area say nothing.

import { haversineKm } from '../../search/great-circle';
import { type EvidenceSource, evidenceScan } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert } from './detected-alert';

/** Half the Earth's circumference: no two points are further apart. */
const MAX_SURFACE_KM = 20_016;
const HOUR_MS = 3_600_000;
/** Simultaneous scans would mean infinite speed; time differences are floored at one second. */
const MIN_INTERVAL_MS = 1_000;
/** Located scans remembered per serial (newest kept). */
export const MAX_LOCATED_SCANS = 10;

export type LocatedScan = EvidenceSource & { latitude: number; longitude: number };

export const isLocated = (scan: EvidenceSource): scan is LocatedScan =>
  scan.latitude !== null && scan.longitude !== null;

/** Beyond this time apart, any two places on Earth are reachable below the speed limit. */
export const travelWindowMs = (settings: AlertSettings['impossible_travel']) =>
  (MAX_SURFACE_KM / settings.max_speed_kmh) * HOUR_MS;

export interface TravelLeg {
  distanceKm: number;
  hours: number;
  speedKmh: number;
}

export function travelLeg(a: LocatedScan, b: LocatedScan): TravelLeg {
  const distanceKm = haversineKm(
    { lat: a.latitude, lng: a.longitude },
    { lat: b.latitude, lng: b.longitude },
  );
  const hours = Math.max(Math.abs(b.occurredAt - a.occurredAt), MIN_INTERVAL_MS) / HOUR_MS;
  return { distanceKm, hours, speedKmh: distanceKm / hours };
}

/** The fastest impossible leg between `scan` and the serial's recent located scans, if any. */
export function detectImpossibleTravel(
  recent: readonly LocatedScan[],
  scan: LocatedScan & { serial: string },
  settings: AlertSettings['impossible_travel'],
): DetectedAlert | null {
  let worst: { other: LocatedScan; leg: TravelLeg } | null = null;
  for (const other of recent) {
    const leg = travelLeg(other, scan);
    if (leg.distanceKm < settings.min_distance_km || leg.speedKmh <= settings.max_speed_kmh) continue;
    if (!worst || leg.speedKmh > worst.leg.speedKmh) worst = { other, leg };
  }
  if (!worst) return null;
  const [from, to] = worst.other.occurredAt <= scan.occurredAt ? [worst.other, scan] : [scan, worst.other];
  return {
    type: 'impossible_travel',
    severity: 'high',
    subject: scan.serial,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      distance_km: Math.round(worst.leg.distanceKm),
      hours: Math.round(worst.leg.hours * 100) / 100,
      speed_kmh: Math.round(worst.leg.speedKmh),
      max_speed_kmh: settings.max_speed_kmh,
      min_distance_km: settings.min_distance_km,
      scans: [evidenceScan(from), evidenceScan(to)],
    },
  };
}

/** The serial's located scans with `scan` added: the newest few within the travel window. */
export function rememberLocated(
  recent: readonly LocatedScan[],
  scan: LocatedScan,
  settings: AlertSettings['impossible_travel'],
): LocatedScan[] {
  const latest = Math.max(scan.occurredAt, ...recent.map((r) => r.occurredAt));
  const since = latest - travelWindowMs(settings);
  const { occurredAt, country, region, city, latitude, longitude, lot, serial } = scan; // nothing else is kept
  return [...recent, { occurredAt, country, region, city, latitude, longitude, lot, serial }]
    .filter((r) => r.occurredAt >= since)
    .sort((a, b) => a.occurredAt - b.occurredAt)
    .slice(-MAX_LOCATED_SCANS);
}
