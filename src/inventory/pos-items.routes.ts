// Which GTIN each POS item is, per location: Shopify's inventory_levels/update and Square's
// inventory.count.updated carry only the platform's own item id (inventory_item_id,
// catalog_object_id), never a barcode, so webhooks look the GTIN up here.
// Mounted at /v1/locations/:id/pos-items. Reads: any key; writes: editor and above.
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { gtinSchema } from '../catalog/gtin';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf, timestamp } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { findLocation } from './location-store';
import {
  deletePosItem,
  listPosItems,
  POS_PLATFORMS,
  type PosItemMapping,
  upsertPosItems,
} from './pos-item-store';

export const MAX_POS_ITEMS_PER_REQUEST = 5_000;

const posItemId = z.union([
  z.string().trim().min(1).max(100),
  z.number().int().nonnegative().transform(String),
]);

const putSchema = z.strictObject({
  platform: z.enum(POS_PLATFORMS),
  items: z
    .array(z.strictObject({ pos_item_id: posItemId, gtin: gtinSchema }))
    .min(1)
    .max(MAX_POS_ITEMS_PER_REQUEST, `at most ${MAX_POS_ITEMS_PER_REQUEST} items per request`),
});

const listQuery = z.strictObject({
  platform: z.enum(POS_PLATFORMS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: cursorParam,
});

const locationParam = z.object({ id: z.string().min(1).max(64) });
const itemParam = locationParam.extend({
  platform: z.enum(POS_PLATFORMS),
  posItemId: z.string().min(1).max(100),
});

const posItemView = z.object({
  platform: z.enum(POS_PLATFORMS),
  pos_item_id: z.string(),
  gtin: z.string(),
  updated_at: timestamp,
});

const present = (row: PosItemMapping) => ({
  platform: row.platform,
  pos_item_id: row.posItemId,
  gtin: row.gtin,
  updated_at: isoOrNull(row.updatedAt),
});

export const posItemRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({ summary: "A store's POS item → GTIN mappings", responses: { 200: pageOf(posItemView) } }),
    pathParams(locationParam),
    queryParams(listQuery),
    async (c) => {
      const location = await findLocation(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      const q = c.req.valid('query');
      const after = q.cursor
        ? decodeCursor(q.cursor, z.tuple([z.enum(POS_PLATFORMS), z.string()]))
        : undefined;
      const rows = await listPosItems(c.env.DB, location.id, { platform: q.platform, after, limit: q.limit });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.platform, row.posItemId]);
      return c.json({ data: data.map(present), next_cursor });
    },
  )
  .put(
    '/',
    documented({
      summary: 'Map up to 5,000 POS items of one platform to GTINs',
      responses: { 200: z.object({ received: z.number().int() }) },
    }),
    requireRole('editor'),
    pathParams(locationParam),
    jsonBody(putSchema),
    async (c) => {
      const location = await findLocation(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      const { platform, items } = c.req.valid('json');
      await upsertPosItems(c.env.DB, location.id, platform, items, Date.now());
      return c.json({ received: items.length });
    },
  )
  .delete(
    '/:platform/:posItemId',
    documented({ summary: 'Remove one POS item mapping', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(itemParam),
    async (c) => {
      const { id, platform, posItemId } = c.req.valid('param');
      const location = await findLocation(c.env.DB, c.get('auth').orgId, id);
      await deletePosItem(c.env.DB, location.id, platform, posItemId);
      return c.body(null, 204);
    },
  );
