// What an alert shows of the scans behind it: where and when, never who. No client address or
// scanner hash leaves the ScanCounter; coordinates are the edge's city-level estimate, rounded.
import type { ScanEvent } from '../scans/scan-event-shape';

export interface EvidenceScan {
  at: string;
  country: string | null;
  region: string | null;
  city: string | null;
  /** Rounded to 0.01° (~1 km), coarser than anything that could place a person. */
  latitude: number | null;
  longitude: number | null;
  lot: string | null;
  serial: string | null;
}

/** Detector-specific figures (counts, distances, thresholds) plus the scans involved. */
export interface AlertEvidence {
  [figure: string]: unknown;
  scans: EvidenceScan[];
}

/** At most this many scans are kept as evidence of one detection. */
export const MAX_EVIDENCE_SCANS = 10;

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export type EvidenceSource = Pick<
  ScanEvent,
  'occurredAt' | 'country' | 'region' | 'city' | 'latitude' | 'longitude' | 'lot' | 'serial'
>;

export function evidenceScan(scan: EvidenceSource): EvidenceScan {
  return {
    at: new Date(scan.occurredAt).toISOString(),
    country: scan.country,
    region: scan.region,
    city: scan.city,
    latitude: round(scan.latitude),
    longitude: round(scan.longitude),
    lot: scan.lot,
    serial: scan.serial,
  };
}
