// Products of the caller's organisation (PRODUCT.md C4): CRUD, a filtered keyset-paginated list,
// and an all-or-nothing bulk upsert by GTIN. Reads: any key; writes: editor and above.

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf } from '../http/response-schemas';
import { bulkBody, jsonBody, pathParams, queryParams } from '../http/validate';
import { invalidateScanRules } from '../rules/scan-rules';
import { COMPLETENESS_BANDS } from './completeness-score';
import { gtinSchema } from './gtin';
import { productCsv } from './product-csv';
import { bulkProductsSchema, productInputSchema, productPatchSchema } from './product-input';
import { publishRecalls, recallOf, withRecallEvents } from './product-recall-events';
import { patchProduct, present, productFromInput, productView } from './product-record';
import {
  assertBrandsExist,
  bulkUpsertProducts,
  deleteProduct,
  findProduct,
  insertProduct,
  listProducts,
  PRODUCT_STATUSES,
  updateProduct,
} from './product-store';

const refParam = z.object({ id: z.string().min(1).max(64) });

const listQuery = z.strictObject({
  status: z.enum(PRODUCT_STATUSES).optional(),
  brand_id: z.string().min(1).max(64).optional(),
  category: z.string().min(1).max(200).optional(),
  band: z.enum(COMPLETENESS_BANDS).optional(),
  /** Case-insensitive substring of the product name. */
  q: z.string().trim().min(1).max(100).optional(),
  gtin: gtinSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

const bulkResult = z.object({
  received: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
});

export const productRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({
      summary: 'List products (filters, cursor pages by GTIN)',
      responses: { 200: pageOf(productView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listProducts(c.env.DB, c.get('auth').orgId, {
        status: q.status,
        brandId: q.brand_id,
        category: q.category,
        band: q.band,
        nameContains: q.q,
        gtin: q.gtin,
        afterGtin: q.cursor ? decodeCursor(q.cursor, z.tuple([z.string()]))[0] : undefined,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.gtin]);
      return c.json({ data: data.map(present), next_cursor });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One product', responses: { 200: productView } }),
    pathParams(refParam),
    async (c) => c.json(present(await findProduct(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .post(
    '/',
    documented({
      summary: 'Create a product',
      responses: { 201: productView },
      errors: ['conflict'],
    }),
    requireRole('editor'),
    jsonBody(productInputSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const input = c.req.valid('json');
      await assertMayPublish(c.env.DB, orgId, [{ ai: '01', value: input.gtin }]);
      await assertBrandsExist(c.env.DB, orgId, [input.brand_id]);
      const now = Date.now();
      const row = productFromInput(orgId, input, { id: newId('prd'), createdAt: now }, now);
      try {
        await insertProduct(c.env.DB, row);
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new ApiError(
            'conflict',
            `A product with GTIN ${row.gtin} already exists; update it, or use POST /v1/products/bulk to upsert`,
          );
        }
        throw err;
      }
      invalidateScanRules(row.gtin);
      await publishRecalls(c.env, orgId, [recallOf(undefined, row)]);
      return c.json(present(row), 201);
    },
  )
  .post(
    '/bulk',
    documented({
      summary: 'Create or update up to 10,000 products by GTIN, all or nothing (JSON or CSV)',
      responses: { 200: bulkResult },
    }),
    requireRole('editor'),
    bulkBody(bulkProductsSchema, productCsv),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const { items } = c.req.valid('json');
      await assertMayPublish(
        c.env.DB,
        orgId,
        items.map((item) => ({ ai: '01', value: item.gtin })),
      );
      await assertBrandsExist(
        c.env.DB,
        orgId,
        items.map((item) => item.brand_id),
      );
      const now = Date.now();
      const rows = items.map((item) =>
        productFromInput(orgId, item, { id: newId('prd'), createdAt: now }, now),
      );
      const { created, updated } = await withRecallEvents(c.env, orgId, rows, () =>
        bulkUpsertProducts(c.env.DB, rows),
      );
      for (const row of rows) invalidateScanRules(row.gtin);
      return c.json({ received: items.length, created, updated });
    },
  )
  .patch(
    '/:id',
    documented({
      summary: 'Change a product (a field set to null is removed; lists replace)',
      responses: { 200: productView },
    }),
    requireRole('editor'),
    pathParams(refParam),
    jsonBody(productPatchSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const patch = c.req.valid('json');
      const row = await findProduct(c.env.DB, orgId, c.req.valid('param').id);
      await assertBrandsExist(c.env.DB, orgId, [patch.brand_id]);
      const updated = patchProduct(row, patch, Date.now());
      await updateProduct(c.env.DB, orgId, updated);
      // Status and recalled lots steer brand rules and the recall notice: this isolate sees the change at once.
      invalidateScanRules(row.gtin);
      await publishRecalls(c.env, orgId, [recallOf(row, updated)]);
      return c.json(present(updated));
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete a product', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(refParam),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const row = await findProduct(c.env.DB, orgId, c.req.valid('param').id);
      await deleteProduct(c.env.DB, orgId, row.id);
      invalidateScanRules(row.gtin);
      return c.body(null, 204);
    },
  );
