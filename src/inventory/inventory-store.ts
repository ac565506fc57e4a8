// The one write path for inventory, shared by the sync API and the POS webhooks, and the
// inventory API's filtered list.
import { and, asc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { jsonChunks } from '../db/json-chunks';
import { type InventoryRow, type InventoryStatus, inventory } from '../db/schema';

export { INVENTORY_STATUSES, type InventoryRow } from '../db/schema';

/** A stock figure to store; price and currency null keep the stored ones (POS webhooks carry none). */
export type InventoryUpdate = Omit<InventoryRow, 'updatedAt'>;

// Idempotent by synced_at: a row is only replaced by a strictly newer count, so replays and
// out-of-order deliveries change nothing, whatever order they arrive in. The check is in SQL so
// two concurrent syncs cannot both read "older" and then overwrite each other.
const UPSERT_INVENTORY = `
  INSERT INTO inventory (location_id, org_id, gtin, quantity, price, currency, status, synced_at, source, updated_at)
  SELECT value ->> 'locationId', value ->> 'orgId', value ->> 'gtin', value ->> 'quantity', value ->> 'price',
    value ->> 'currency', value ->> 'status', value ->> 'syncedAt', value ->> 'source', ?1
  FROM json_each(?2) WHERE true
  ON CONFLICT (location_id, gtin) DO UPDATE SET
    quantity = excluded.quantity,
    price = coalesce(excluded.price, inventory.price),
    currency = CASE WHEN excluded.price IS NULL THEN inventory.currency ELSE excluded.currency END,
    status = excluded.status, synced_at = excluded.synced_at, source = excluded.source, updated_at = excluded.updated_at
  WHERE excluded.synced_at > inventory.synced_at`;

/**
 * Writes every update in one D1 batch (one transaction: all or nothing) and returns how many rows
 * changed; the rest were stale (an equal or newer count was already stored).
 */
export async function upsertInventory(
  d1: D1Database,
  updates: InventoryUpdate[],
  now: number,
): Promise<{ applied: number }> {
  if (updates.length === 0) return { applied: 0 };
  const statement = d1.prepare(UPSERT_INVENTORY);
  const results = await d1.batch(jsonChunks(updates).map((chunk) => statement.bind(now, chunk)));
  return { applied: results.reduce((n, r) => n + (r.meta.changes ?? 0), 0) };
}

/** In stock when there is some, unless the POS said otherwise. */
export const statusForQuantity = (quantity: number): InventoryStatus =>
  quantity > 0 ? 'in_stock' : 'out_of_stock';

export interface InventoryFilter {
  locationId?: string;
  gtin?: string;
  status?: InventoryStatus;
  /** Inclusive synced_at bounds, epoch ms. */
  syncedAt: { min?: number; max?: number };
  /** Keyset: the (gtin, location_id) of the last row of the previous page. */
  after?: [string, string];
  limit: number;
}

/** In (gtin, location_id) order; `limit + 1` rows so the caller can tell whether another page follows. */
export async function listInventory(
  d1: D1Database,
  orgId: string,
  f: InventoryFilter,
): Promise<InventoryRow[]> {
  const filters: (SQL | undefined)[] = [
    eq(inventory.orgId, orgId),
    f.locationId ? eq(inventory.locationId, f.locationId) : undefined,
    f.gtin ? eq(inventory.gtin, f.gtin) : undefined,
    f.status ? eq(inventory.status, f.status) : undefined,
    f.syncedAt.min !== undefined ? gte(inventory.syncedAt, f.syncedAt.min) : undefined,
    f.syncedAt.max !== undefined ? lte(inventory.syncedAt, f.syncedAt.max) : undefined,
    f.after && sql`(${inventory.gtin}, ${inventory.locationId}) > (${f.after[0]}, ${f.after[1]})`,
  ];
  return database(d1)
    .select()
    .from(inventory)
    .where(and(...filters))
    .orderBy(asc(inventory.gtin), asc(inventory.locationId))
    .limit(f.limit + 1)
    .all();
}
