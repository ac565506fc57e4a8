// How far to trust a stock figure, from how long ago the POS counted it (PRODUCT.md C5), and
// which stores count as active. Pure: `now` is always passed in.
const HOUR_MS = 60 * 60 * 1000;

export const CONFIRMED_WITHIN_MS = HOUR_MS;
export const LIKELY_WITHIN_MS = 24 * HOUR_MS;
/** A location is active when any of its inventory was synced this recently. */
export const ACTIVE_LOCATION_WITHIN_MS = 7 * 24 * HOUR_MS;

export const INVENTORY_CONFIDENCES = ['confirmed', 'likely', 'uncertain'] as const;
export type InventoryConfidence = (typeof INVENTORY_CONFIDENCES)[number];

export function inventoryConfidence(syncedAt: number, now: number): InventoryConfidence {
  const age = now - syncedAt;
  if (age <= CONFIRMED_WITHIN_MS) return 'confirmed';
  if (age <= LIKELY_WITHIN_MS) return 'likely';
  return 'uncertain';
}

/** The synced_at range (inclusive bounds, epoch ms) of rows with this confidence at `now`. */
export function syncedAtRange(confidence: InventoryConfidence, now: number): { min?: number; max?: number } {
  switch (confidence) {
    case 'confirmed':
      return { min: now - CONFIRMED_WITHIN_MS };
    case 'likely':
      return { min: now - LIKELY_WITHIN_MS, max: now - CONFIRMED_WITHIN_MS - 1 };
    case 'uncertain':
      return { max: now - LIKELY_WITHIN_MS - 1 };
  }
}

export function isActiveLocation(lastSyncedAt: number | null, now: number): boolean {
  return lastSyncedAt !== null && now - lastSyncedAt <= ACTIVE_LOCATION_WITHIN_MS;
}
