// A scan far from every store that stocks the GTIN, in a country where the product is not sold:
// stock turning up where the brand never shipped it (diversion, or a copy). Medium severity. The
// product counts as sold in a country named in its authorised markets or holding a stocking store.
import { haversineKm } from '../../search/great-circle';
import { evidenceScan } from '../alert-evidence';
import type { AlertSettings } from '../alert-settings';
import type { DetectedAlert, DetectorScan } from './detected-alert';

/** A store with the GTIN in stock (inventory quantity > 0). */
export interface StockingStore {
  id: string;
  name: string;
  country: string;
  latitude: number;
  longitude: number;
}

const NOT_A_COUNTRY = new Set(['XX', 'T1']);

export function detectUnexpectedLocation(
  scan: DetectorScan,
  stores: readonly StockingStore[],
  authorisedMarkets: readonly string[],
  settings: AlertSettings['unexpected_location'],
): DetectedAlert | null {
  // Without stock data there is nothing to expect; without a place, nothing to compare.
  if (stores.length === 0 || scan.latitude === null || scan.longitude === null) return null;
  if (!scan.country || NOT_A_COUNTRY.has(scan.country)) return null;
  if (authorisedMarkets.includes(scan.country) || stores.some((s) => s.country === scan.country)) return null;
  const here = { lat: scan.latitude, lng: scan.longitude };
  let nearest: { store: StockingStore; km: number } | null = null;
  for (const store of stores) {
    const km = haversineKm(here, { lat: store.latitude, lng: store.longitude });
    if (km <= settings.km) return null;
    if (!nearest || km < nearest.km) nearest = { store, km };
  }
  return {
    type: 'unexpected_location',
    severity: 'medium',
    subject: scan.country, // one open alert per GTIN and country
    lot: scan.lot,
    serial: scan.serial,
    at: scan.occurredAt,
    evidence: {
      country: scan.country,
      km: settings.km,
      nearest_store: { id: nearest!.store.id, name: nearest!.store.name, country: nearest!.store.country },
      nearest_store_km: Math.round(nearest!.km),
      stocking_stores: stores.length,
      authorised_markets: [...authorisedMarkets],
      rule: 'farther than km from every store stocking the GTIN, in a country with neither a stocking store nor an authorised market',
      scans: [evidenceScan(scan)],
    },
  };
}
