// A scan whose own data attributes say the product is past its date: stock sold or kept after
// expiry, or a code copied from an old pack. One alert per GTIN and lot.
//
// Dates as src/digital-link/gs1-dates.ts reads them.
import { firstPastDate } from '../../digital-link/gs1-dates';
import { evidenceScan } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert, DetectorScan } from './detected-alert';

const DAY_MS = 86_400_000;

export function detectExpiredProduct(
  scan: DetectorScan,
  settings: AlertSettings['expired_product'],
): DetectedAlert | null {
  const past = firstPastDate(scan.attributes ?? {}, scan.occurredAt, settings.grace_days * DAY_MS);
  if (!past) return null;
  return {
    type: 'expired_product',
    severity: 'medium',
    subject: scan.lot === null ? 'product' : `lot:${scan.lot}`,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      ai: past.ai,
      date: past.value,
      meaning: past.meaning,
      ended_at: new Date(past.endedAt).toISOString(),
      days_past: Math.floor((scan.occurredAt - past.endedAt) / DAY_MS),
      scans: [evidenceScan(scan)],
    },
  };
}
