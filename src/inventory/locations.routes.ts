// Stores of the caller's organisation (PRODUCT.md C5). Reads: any key; writes: manager and
// above, since a location holds the POS webhook secrets.

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { countryCodeSchema } from '../catalog/country-code';
import { newId } from '../db/ids';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { publicOrigin } from '../http/request-url';
import { pageOf } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { locationInputSchema, locationPatchSchema } from './location-input';
import { locationFromInput, locationView, patchLocation, present } from './location-record';
import {
  deleteLocation,
  findLocation,
  insertLocation,
  listLocations,
  updateLocation,
} from './location-store';
import { posItemRoutes } from './pos-items.routes';

const idParam = z.object({ id: z.string().min(1).max(64) });

const listQuery = z.strictObject({
  country: countryCodeSchema.optional(),
  /** true: inventory synced within the last 7 days; false: the others. */
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

export const locationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({
      summary: 'List stores (by name; filters country, active)',
      responses: { 200: pageOf(locationView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const now = Date.now();
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.string(), z.string()])) : undefined;
      const rows = await listLocations(
        c.env.DB,
        c.get('auth').orgId,
        { country: q.country, active: q.active, after, limit: q.limit },
        now,
      );
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.name, row.id]);
      const origin = publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url);
      return c.json({ data: data.map((row) => present(row, origin, now)), next_cursor });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One store', responses: { 200: locationView } }),
    pathParams(idParam),
    async (c) => {
      const row = await findLocation(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      return c.json(present(row, publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url), Date.now()));
    },
  )
  .post(
    '/',
    documented({
      summary: 'Add a store (with its POS webhook secrets, sealed)',
      responses: { 201: locationView },
    }),
    requireRole('manager'),
    jsonBody(locationInputSchema),
    async (c) => {
      const now = Date.now();
      const row = await locationFromInput(
        { id: newId('loc'), orgId: c.get('auth').orgId },
        c.req.valid('json'),
        now,
        c.env.SECRETS_KEY,
      );
      await insertLocation(c.env.DB, row);
      return c.json(
        present({ ...row, lastSyncedAt: null }, publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url), now),
        201,
      );
    },
  )
  .patch(
    '/:id',
    documented({
      summary: 'Change a store (a POS part set to null is removed)',
      responses: { 200: locationView },
    }),
    requireRole('manager'),
    pathParams(idParam),
    jsonBody(locationPatchSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const { lastSyncedAt: synced, ...row } = await findLocation(c.env.DB, orgId, c.req.valid('param').id);
      const now = Date.now();
      const updated = await patchLocation(row, c.req.valid('json'), now, c.env.SECRETS_KEY);
      await updateLocation(c.env.DB, orgId, updated);
      return c.json(
        present({ ...updated, lastSyncedAt: synced }, publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url), now),
      );
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete a store and its inventory', responses: { 204: null } }),
    requireRole('manager'),
    pathParams(idParam),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const row = await findLocation(c.env.DB, orgId, c.req.valid('param').id);
      await deleteLocation(c.env.DB, orgId, row.id);
      return c.body(null, 204);
    },
  )
  .route('/:id/pos-items', posItemRoutes);
