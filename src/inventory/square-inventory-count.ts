// Square's inventory.count.updated webhook payload: data.object.inventory_counts[] of
// {catalog_object_id, location_id, state, quantity (decimal string), calculated_at}.
import * as z from 'zod';
import { type IgnoredPosItem, MAX_STOCK_QUANTITY, type PosCount, parsePayload, rfc3339Ms } from './pos-count';

export const SQUARE_EVENT_TYPE = 'inventory.count.updated';

const countSchema = z.object({
  catalog_object_id: z.string().min(1).max(100),
  location_id: z.string().min(1).max(100),
  state: z.string(),
  quantity: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string')
    .refine((q) => Math.abs(Number(q)) <= MAX_STOCK_QUANTITY, `must be at most ${MAX_STOCK_QUANTITY}`),
  calculated_at: z.iso.datetime({ offset: true }),
});

const eventSchema = z.object({
  type: z.string(),
  event_id: z.string().optional(),
  data: z.object({ object: z.object({ inventory_counts: z.array(countSchema).max(1000) }) }),
});

export function readSquareInventoryCounts(payload: unknown): {
  counts: PosCount[];
  ignored: IgnoredPosItem[];
} {
  const event = parsePayload(eventSchema, payload);
  const counts: PosCount[] = [];
  const ignored: IgnoredPosItem[] = [];
  for (const count of event.data.object.inventory_counts) {
    // Only IN_STOCK is on the shelf; SOLD, WASTE, RESERVED_FOR_SALE … are other buckets.
    if (count.state !== 'IN_STOCK') {
      ignored.push({
        pos_item_id: count.catalog_object_id,
        reason: `state ${count.state} is not stock on hand`,
      });
      continue;
    }
    counts.push({
      posLocationId: count.location_id,
      posItemId: count.catalog_object_id,
      quantity: Math.max(0, Math.floor(Number(count.quantity))), // Square counts may be fractional (sold by weight)
      syncedAt: rfc3339Ms(count.calculated_at),
    });
  }
  return { counts, ignored };
}
