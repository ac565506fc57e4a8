// A ranked result as the public API shows it. Public data only: what is on the product's label
// and the store's shop front. No organisation ids or names, no product or location ids, no
// stock quantities (a retailer's business), no POS details.
import { isoOrNull } from '../time/iso-time';
import type { RankedResult, RankedStore } from './rank-results';

const km = (distance: number) => Math.round(distance * 100) / 100;

function presentStore(s: RankedStore) {
  return {
    name: s.name,
    address: { line1: s.line1, city: s.city, postal_code: s.postalCode, country: s.country },
    latitude: s.lat,
    longitude: s.lng,
    distance_km: km(s.distanceKm),
    price: s.price,
    currency: s.price === null ? null : s.currency,
    stock_status: s.status,
    confidence: s.confidence,
    synced_at: isoOrNull(s.syncedAt),
  };
}

export function presentResult(r: RankedResult, position: number, clickUrl: string) {
  return {
    position,
    gtin: r.gtin,
    name: r.name,
    brand: r.brand,
    category: r.category,
    image: r.image,
    available_nearby: r.availableNearby,
    nearest_store_km: r.nearestStoreKm === null ? null : km(r.nearestStoreKm),
    stores: r.stores.map(presentStore),
    click_url: clickUrl,
  };
}
