// A scanned serial the brand never issued: the strongest counterfeit signal there is, and only
// knowable when the brand registered what it issued for the GTIN (numeric ranges and/or explicit
// lists). Without any registration the detector says nothing.
//
// - A serial in a list, or numeric and inside a range, is issued.
// - A numeric serial outside every range and list was never issued.
// - An alphanumeric serial cannot be in a numeric range: it counts as never issued only when the
//   brand registered lists for the GTIN (and it is in none of them).
// Ranges compare numbers, so leading zeros do not matter: "000123" is inside 1–1000.
import { evidenceScan } from '../alert-evidence';
import type { DetectedAlert, DetectorScan } from './detected-alert';

export interface IssuedSerialRegistry {
  ranges: readonly (readonly [bigint, bigint])[];
  listed: ReadonlySet<string>;
}

export type IssueStatus = 'issued' | 'not_issued' | 'unknown';

const NUMERIC = /^\d{1,20}$/;

export const emptyRegistry = (): IssuedSerialRegistry => ({ ranges: [], listed: new Set() });

export function serialIssueStatus(serial: string, registry: IssuedSerialRegistry): IssueStatus {
  const hasLists = registry.listed.size > 0;
  if (registry.ranges.length === 0 && !hasLists) return 'unknown';
  if (registry.listed.has(serial)) return 'issued';
  if (NUMERIC.test(serial)) {
    const n = BigInt(serial);
    return registry.ranges.some(([first, last]) => n >= first && n <= last) ? 'issued' : 'not_issued';
  }
  return hasLists ? 'not_issued' : 'unknown';
}

export function detectSerialNotIssued(
  scan: DetectorScan & { serial: string },
  registry: IssuedSerialRegistry,
): DetectedAlert | null {
  if (serialIssueStatus(scan.serial, registry) !== 'not_issued') return null;
  return {
    type: 'serial_not_issued',
    severity: 'high',
    subject: scan.serial,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      registered_ranges: registry.ranges.length,
      registered_list_serials: registry.listed.size,
      scans: [evidenceScan(scan)],
    },
  };
}
