// Shopify's inventory_levels/update webhook payload (an InventoryLevel, Admin REST API):
// {"inventory_item_id":…,"location_id":…,"available":6,"updated_at":"2026-01-05T10:15:30-05:00",…}.
import * as z from 'zod';
import {
  type IgnoredPosItem,
  MAX_STOCK_QUANTITY,
  type PosCount,
  parseJsonKeepingIds,
  parsePayload,
  posIdSchema,
  rfc3339Ms,
} from './pos-count';

export const SHOPIFY_TOPIC = 'inventory_levels/update';

const inventoryLevelSchema = z.object({
  inventory_item_id: posIdSchema,
  location_id: posIdSchema,
  /** null when Shopify does not track this item's inventory. */
  available: z.number().int().min(-MAX_STOCK_QUANTITY).max(MAX_STOCK_QUANTITY).nullable(),
  updated_at: z.iso.datetime({ offset: true }),
});

export function readShopifyInventoryLevel(body: string): { counts: PosCount[]; ignored: IgnoredPosItem[] } {
  const level = parsePayload(
    inventoryLevelSchema,
    parseJsonKeepingIds(body, new Set(['inventory_item_id', 'location_id'])),
  );
  if (level.available === null) {
    return {
      counts: [],
      ignored: [
        { pos_item_id: level.inventory_item_id, reason: "Shopify does not track this item's inventory" },
      ],
    };
  }
  return {
    counts: [
      {
        posLocationId: level.location_id,
        posItemId: level.inventory_item_id,
        quantity: Math.max(0, level.available),
        syncedAt: rfc3339Ms(level.updated_at),
      },
    ],
    ignored: [],
  };
}
