// A ranked result as the public API shows it. Public data only: what is on the product's label
// and the store's shop front. No organisation ids or names, no product or location ids, no
// stock quantities (a retailer's business), no POS details.
import * as z from 'zod';
import { INVENTORY_STATUSES } from '../db/schema';
import { timestampOrNull } from '../http/response-schemas';
import { INVENTORY_CONFIDENCES } from '../inventory/inventory-confidence';
import { isoOrNull } from '../time/iso-time';
import type { RankedResult, RankedStore } from './rank-results';

const storeView = z.object({
  name: z.string(),
  address: z.object({
    line1: z.string(),
    city: z.string(),
    postal_code: z.string().nullable(),
    country: z.string(),
  }),
  latitude: z.number(),
  longitude: z.number(),
  distance_km: z.number(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  stock_status: z.enum(INVENTORY_STATUSES),
  confidence: z.enum(INVENTORY_CONFIDENCES),
  synced_at: timestampOrNull,
});

export const searchResultView = z
  .object({
    position: z.number().int(),
    gtin: z.string(),
    name: z.string().nullable(),
    brand: z.string().nullable(),
    category: z.string().nullable(),
    image: z.string().nullable(),
    available_nearby: z.boolean(),
    nearest_store_km: z.number().nullable(),
    stores: z.array(storeView),
    click_url: z.string().meta({ description: 'Follow it to open the product: the click is logged' }),
  })
  .meta({ id: 'SearchResult' });

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
