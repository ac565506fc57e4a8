// A scan whose own data attributes say the product is past its date: stock sold or kept after
// expiry, or a code copied from an old pack. One alert per GTIN and lot.
//
// Dates as src/digital-link/gs1-dates.ts reads them.
import { EXPIRY_AIS, gs1DateEnd } from '../../digital-link/gs1-dates';
import { evidenceScan } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert, DetectorScan } from './detected-alert';

const DAY_MS = 86_400_000;

export function detectExpiredProduct(
  scan: DetectorScan,
  settings: AlertSettings['expired_product'],
): DetectedAlert | null {
  const attributes = scan.attributes ?? {};
  for (const { ai, meaning } of EXPIRY_AIS) {
    const value = attributes[ai];
    if (value === undefined) continue;
    const end = gs1DateEnd(ai, value, scan.occurredAt);
    if (end === null || scan.occurredAt < end + settings.grace_days * DAY_MS) continue;
    return {
      type: 'expired_product',
      severity: 'medium',
      subject: scan.lot === null ? 'product' : `lot:${scan.lot}`,
      lot: scan.lot,
      serial: scan.serial,
      at: scan.occurredAt,
      evidence: {
        ai,
        date: value,
        meaning,
        ended_at: new Date(end).toISOString(),
        days_past: Math.floor((scan.occurredAt - end) / DAY_MS),
        scans: [evidenceScan(scan)],
      },
    };
  }
  return null;
}
