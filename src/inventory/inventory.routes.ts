// Inventory per (location, GTIN) (PRODUCT.md C5): a bulk, idempotent sync and a filtered list
// with each figure's confidence. Reads: any key; sync: editor and above.

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { gtinSchema } from '../catalog/gtin';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf, timestamp } from '../http/response-schemas';
import { bulkBody, queryParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { currencyCodeSchema } from './currency-code';
import { INVENTORY_CONFIDENCES, inventoryConfidence, syncedAtRange } from './inventory-confidence';
import { inventoryCsv } from './inventory-csv';
import {
  INVENTORY_STATUSES,
  type InventoryRow,
  listInventory,
  statusForQuantity,
  upsertInventory,
} from './inventory-store';
import { assertLocationsExist, findLocation } from './location-store';
import { MAX_STOCK_QUANTITY } from './pos-count';

export const MAX_SYNC_ITEMS = 10_000;
/** A POS clock may run a little fast; a count further in the future would block every later one. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const itemSchema = z
  .strictObject({
    location_id: z.string().min(1).max(64),
    gtin: gtinSchema,
    quantity: z.number().int().min(0).max(MAX_STOCK_QUANTITY),
    price: z.number().min(0).max(1_000_000_000).optional(),
    currency: currencyCodeSchema.optional(),
    /** Defaults from quantity: in_stock above 0, else out_of_stock. */
    status: z.enum(INVENTORY_STATUSES).optional(),
    synced_at: z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  })
  .refine((i) => (i.price === undefined) === (i.currency === undefined), {
    message: 'price and currency go together: send both or neither',
    path: ['currency'],
  })
  .refine((i) => i.status === undefined || (i.status === 'out_of_stock') === (i.quantity === 0), {
    message: 'status out_of_stock goes with quantity 0, in_stock and low_stock with more',
    path: ['status'],
  })
  // Written so an unreadable synced_at (NaN; already an issue of its own) is not also "in the future".
  .refine((i) => !(i.synced_at > Date.now() + MAX_CLOCK_SKEW_MS), {
    message: 'synced_at is in the future',
    path: ['synced_at'],
  });

const syncSchema = z.strictObject({
  items: z
    .array(itemSchema)
    .min(1)
    .max(MAX_SYNC_ITEMS, `at most ${MAX_SYNC_ITEMS} items per request; split larger syncs`)
    .superRefine((items, ctx) => {
      const seen = new Map<string, number>();
      items.forEach((item, i) => {
        const key = `${item.location_id} ${item.gtin}`;
        const first = seen.get(key);
        if (first !== undefined)
          ctx.addIssue({ code: 'custom', path: [i], message: `same location and GTIN as item ${first}` });
        else seen.set(key, i);
      });
    }),
});

const listQuery = z.strictObject({
  location_id: z.string().min(1).max(64).optional(),
  gtin: gtinSchema.optional(),
  status: z.enum(INVENTORY_STATUSES).optional(),
  confidence: z.enum(INVENTORY_CONFIDENCES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorParam,
});

const inventoryView = z
  .object({
    location_id: z.string(),
    gtin: z.string(),
    quantity: z.number().int(),
    price: z.number().nullable(),
    currency: z.string().nullable(),
    status: z.enum(INVENTORY_STATUSES),
    synced_at: timestamp,
    confidence: z.enum(INVENTORY_CONFIDENCES).meta({ description: 'From the age of synced_at' }),
    source: z.string().meta({ description: 'api, shopify or square' }),
    updated_at: timestamp,
  })
  .meta({ id: 'InventoryItem' });

const syncResult = z.object({
  received: z.number().int(),
  applied: z.number().int(),
  stale: z.number().int().meta({ description: 'Items older than what is stored: ignored' }),
});

function present(row: InventoryRow, now: number) {
  return {
    location_id: row.locationId,
    gtin: row.gtin,
    quantity: row.quantity,
    price: row.price,
    currency: row.currency,
    status: row.status,
    synced_at: isoOrNull(row.syncedAt),
    confidence: inventoryConfidence(row.syncedAt, now),
    source: row.source,
    updated_at: isoOrNull(row.updatedAt),
  };
}

export const inventoryRoutes = new Hono<AppEnv>()
  .post(
    '/bulk',
    documented({
      summary: 'Sync up to 10,000 stock figures (JSON or CSV); an older figure never replaces a newer one',
      responses: { 200: syncResult },
    }),
    requireRole('editor'),
    bulkBody(syncSchema, inventoryCsv(MAX_SYNC_ITEMS)),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const { items } = c.req.valid('json');
      await assertLocationsExist(
        c.env.DB,
        orgId,
        items.map((i) => i.location_id),
      );
      const updates = items.map((i) => ({
        locationId: i.location_id,
        orgId,
        gtin: i.gtin,
        quantity: i.quantity,
        price: i.price ?? null,
        currency: i.currency ?? null,
        status: i.status ?? statusForQuantity(i.quantity),
        syncedAt: i.synced_at,
        source: 'api' as const,
      }));
      const { applied } = await upsertInventory(c.env.DB, updates, Date.now());
      return c.json({ received: items.length, applied, stale: items.length - applied });
    },
  )
  .get(
    '/',
    documented({
      summary: 'Stock per store and GTIN, with confidence',
      responses: { 200: pageOf(inventoryView) },
      errors: ['not_found'],
    }),
    queryParams(listQuery),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const q = c.req.valid('query');
      if (q.location_id) await findLocation(c.env.DB, orgId, q.location_id); // another organisation's: 404
      const now = Date.now();
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.string(), z.string()])) : undefined;
      const rows = await listInventory(c.env.DB, orgId, {
        locationId: q.location_id,
        gtin: q.gtin,
        status: q.status,
        syncedAt: q.confidence ? syncedAtRange(q.confidence, now) : {},
        after,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.gtin, row.locationId]);
      return c.json({ data: data.map((row) => present(row, now)), next_cursor });
    },
  );
