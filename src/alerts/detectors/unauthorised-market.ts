// A scan in a country outside the product's authorised markets: grey-market diversion or a
// counterfeit sold where the genuine product is not. An empty list means "no restriction".
import { evidenceScan } from '../alert-evidence';
import type { DetectedAlert, DetectorScan } from './detected-alert';

// Cloudflare's country codes that are not places: XX (unknown) and T1 (Tor exit).
const NOT_A_COUNTRY = new Set(['XX', 'T1']);

export function detectUnauthorisedMarket(
  scan: DetectorScan,
  authorisedMarkets: readonly string[],
): DetectedAlert | null {
  if (authorisedMarkets.length === 0 || !scan.country || NOT_A_COUNTRY.has(scan.country)) return null;
  if (authorisedMarkets.includes(scan.country)) return null;
  return {
    type: 'unauthorised_market',
    severity: 'medium',
    subject: scan.country,
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      country: scan.country,
      authorised_markets: [...authorisedMarkets],
      scans: [evidenceScan(scan)],
    },
  };
}
