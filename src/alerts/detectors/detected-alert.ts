// What every detector returns when it fires, and the scan shape detectors read (pure data).

import type { AlertSeverity, AlertType } from '../../db/schema/alerts';
import type { AlertEvidence, EvidenceSource } from '../alert-evidence';

/** A scan as the detectors see it: place, time, lot/serial and the day's scanner hash. */
export type DetectorScan = EvidenceSource & {
  scannerHash: string;
  /** The scan's data attributes by AI (e.g. {"17": "261231"}), for the dated ones. */
  attributes?: Readonly<Record<string, string>>;
  /** The block the resolver matched (outcome `blocked`), else null/absent. */
  blockId?: string | null;
};

export interface DetectedAlert {
  type: AlertType;
  severity: AlertSeverity;
  /** What repeats (serial, lot, country; '' for the GTIN as a whole): the dedupe key is type + GTIN + subject. */
  subject: string;
  lot: string | null;
  serial: string | null;
  /** Scan time (epoch ms) of the detection. */
  at: number;
  evidence: AlertEvidence;
}
