// A scan of a code the brand blocked (src/blocking/): the resolver already sent it to the warning
// page; the alert tells the brand where and when the blocked code is still turning up. High
// severity: someone holds a code the brand has reason to think is copied.
import { evidenceScan } from '../alert-evidence';
import type { DetectedAlert, DetectorScan } from './detected-alert';

export function detectBlockedCodeScanned(scan: DetectorScan): DetectedAlert | null {
  if (!scan.blockId) return null;
  return {
    type: 'blocked_code_scanned',
    severity: 'high',
    // One open alert per block, counting its scans.
    subject: `block:${scan.blockId}`,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      block_id: scan.blockId,
      rule: 'the scanned code matches a blocked GTIN, lot or serial; the scan was sent to the warning page',
      scans: [evidenceScan(scan)],
    },
  };
}
