// One serial scanned by more distinct scanners, or from more distinct places, than one genuine
// pack plausibly is: the pattern of a copied code. Counted over a rolling window of scan time.
//
// A "place" is the 0.1° geo cell of the edge's coordinates (~11 km, the map's cells): coarse
// enough that one city's scans share a cell, fine enough to tell towns apart. Without coordinates
// the edge's country + city name stand in; a scan with neither has no place.

import { geoCell } from '../../scans/scan-dimensions';
import { type EvidenceSource, evidenceScan, MAX_EVIDENCE_SCANS } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert, DetectorScan } from './detected-alert';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
// Bounds on what one serial's state remembers: beyond these the alert has long fired, and a
// copied code scanned a million times must not grow without end.
const MAX_REMEMBERED_SCANNERS = 1_000;
const MAX_REMEMBERED_PLACES = 200;

export interface SerialSpreadState {
  /** Scanner hash → scan time it was last seen. */
  scanners: Record<string, number>;
  /** Place → the latest scan from there. */
  places: Record<string, EvidenceSource>;
  /**
   * Scanner hash → start of its current session (scanner_session_minutes): its repeat scans of the
   * serial within the session are one scan. Absent in state stored before sessions existed.
   */
  sessions?: Record<string, number>;
}

export const emptySpread = (): SerialSpreadState => ({ scanners: {}, places: {}, sessions: {} });

/**
 * Whether `scan` repeats its scanner's session (within `minutes` of the session's start, either
 * way: batches arrive out of order), else starts a new one. Pure apart from `sessions`.
 */
export function inScannerSession(
  sessions: Record<string, number>,
  scannerHash: string,
  occurredAt: number,
  minutes: number,
): boolean {
  const start = sessions[scannerHash];
  if (minutes > 0 && start !== undefined && Math.abs(occurredAt - start) < minutes * MINUTE_MS) return true;
  sessions[scannerHash] = occurredAt;
  return false;
}

export function scanPlace(
  scan: Pick<DetectorScan, 'latitude' | 'longitude' | 'country' | 'city'>,
): string | null {
  const cell = geoCell(scan.latitude, scan.longitude);
  if (cell) return `cell:${cell}`;
  if (scan.country && scan.city) return `city:${scan.country}/${scan.city}`;
  return null;
}

/** Drops entries older than the window (relative to `now`), then the oldest beyond `max`. */
function prune<V>(map: Record<string, V>, timeOf: (v: V) => number, since: number, max: number): void {
  const entries = Object.entries(map);
  for (const [k, v] of entries) if (timeOf(v) < since) delete map[k];
  const left = Object.entries(map);
  if (left.length > max) {
    left.sort((a, b) => timeOf(a[1]) - timeOf(b[1]));
    for (const [k] of left.slice(0, left.length - max)) delete map[k];
  }
}

/**
 * Adds `scan` to the serial's state (updated in place) and fires when this scan brought a new
 * scanner or place and the count in the window is then above the threshold.
 */
export function observeSerialSpread(
  state: SerialSpreadState,
  scan: DetectorScan & { serial: string },
  settings: AlertSettings['serial_overscanned'],
): DetectedAlert | null {
  const since = scan.occurredAt - settings.window_days * DAY_MS;
  state.sessions ??= {};
  // A retry (or a phone switching networks, which moves the edge's location) is the same scan:
  // it adds no place and raises nothing. The scanner itself is counted once anyway.
  if (inScannerSession(state.sessions, scan.scannerHash, scan.occurredAt, settings.scanner_session_minutes)) {
    state.scanners[scan.scannerHash] = Math.max(state.scanners[scan.scannerHash] ?? 0, scan.occurredAt);
    return null;
  }
  const newScanner = !(scan.scannerHash in state.scanners) || state.scanners[scan.scannerHash]! < since;
  state.scanners[scan.scannerHash] = Math.max(state.scanners[scan.scannerHash] ?? 0, scan.occurredAt);
  const place = scanPlace(scan);
  let newPlace = false;
  if (place) {
    const seen = state.places[place];
    newPlace = !seen || seen.occurredAt < since;
    if (!seen || seen.occurredAt <= scan.occurredAt) state.places[place] = evidenceSourceOf(scan);
  }
  prune(state.scanners, (at) => at, since, MAX_REMEMBERED_SCANNERS);
  prune(state.sessions, (at) => at, since, MAX_REMEMBERED_SCANNERS);
  prune(state.places, (p) => p.occurredAt, since, MAX_REMEMBERED_PLACES);

  const scanners = Object.keys(state.scanners).length;
  const places = Object.keys(state.places).length;
  const reasons: string[] = [];
  if (newScanner && scanners > settings.max_scanners) reasons.push('scanners');
  if (newPlace && places > settings.max_places) reasons.push('places');
  if (reasons.length === 0) return null;

  const latestPlaces = Object.values(state.places)
    .sort((a, b) => b.occurredAt - a.occurredAt)
    .slice(0, MAX_EVIDENCE_SCANS);
  return {
    type: 'serial_overscanned',
    severity: 'medium',
    subject: scan.serial,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      reasons,
      distinct_scanners: scanners,
      distinct_places: places,
      max_scanners: settings.max_scanners,
      max_places: settings.max_places,
      window_days: settings.window_days,
      // The latest scan from each place, newest first.
      scans: latestPlaces.map(evidenceScan),
    },
  };
}

function evidenceSourceOf(scan: DetectorScan): EvidenceSource {
  const { occurredAt, country, region, city, latitude, longitude, lot, serial } = scan;
  return { occurredAt, country, region, city, latitude, longitude, lot, serial };
}
