// Scans of a recalled lot (or of a product recalled as a whole): not a counterfeit signal but
// awareness — someone holds recalled stock, and where. Low severity unless the brand says otherwise.
import type { AlertSeverity } from '../../db/schema/alerts';
import type { RecalledLot } from '../../db/schema/catalog';
import { evidenceScan } from '../alert-evidence';
import type { DetectedAlert, DetectorScan } from './detected-alert';

export interface RecallFacts {
  productRecalled: boolean;
  recalledLots: readonly RecalledLot[];
}

export function detectRecalledLot(
  scan: DetectorScan,
  facts: RecallFacts,
  severity: AlertSeverity = 'low',
): DetectedAlert | null {
  const lot = scan.lot === null ? undefined : facts.recalledLots.find((r) => r.lot === scan.lot);
  if (!lot && !facts.productRecalled) return null;
  return {
    type: 'recalled_lot',
    severity,
    // One open alert per recalled lot; a whole-product recall groups scans without a listed lot.
    subject: lot ? `lot:${lot.lot}` : 'product',
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      recall: lot ? 'lot' : 'product',
      recalled_at: lot?.recalledAt == null ? null : new Date(lot.recalledAt).toISOString(),
      reason: lot?.reason ?? null,
      scans: [evidenceScan(scan)],
    },
  };
}
