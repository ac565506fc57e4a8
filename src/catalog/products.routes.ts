// Products of the caller's organisation (PRODUCT.md C4): CRUD, a filtered keyset-paginated list,
// and an all-or-nothing bulk upsert by GTIN. Reads: any key; writes: editor and above.
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole } from '../accounts/authenticate';
import { database } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { PRODUCT_STATUSES, products } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { invalidateScanRules } from '../rules/scan-rules';
import { COMPLETENESS_BANDS } from './completeness-score';
import { gtinSchema } from './gtin';
import { bulkProductsSchema, productInputSchema, productPatchSchema } from './product-input';
import { patchProduct, present, productFromInput } from './product-record';
import { assertBrandsExist, bulkUpsertProducts, findProduct } from './product-store';

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

export const productRoutes = new Hono<AppEnv>()
  .get('/', queryParams(listQuery), async (c) => {
    const q = c.req.valid('query');
    const filters: (SQL | undefined)[] = [
      eq(products.orgId, c.get('auth').orgId),
      q.status ? eq(products.status, q.status) : undefined,
      q.brand_id ? eq(products.brandId, q.brand_id) : undefined,
      q.category ? eq(products.category, q.category) : undefined,
      q.band ? eq(products.completenessBand, q.band) : undefined,
      q.q ? sql`instr(lower(${products.name}), lower(${q.q})) > 0` : undefined,
      q.gtin ? eq(products.gtin, q.gtin) : undefined,
      q.cursor ? gt(products.gtin, decodeCursor(q.cursor, z.tuple([z.string()]))[0]) : undefined,
    ];
    const rows = await database(c.env.DB)
      .select()
      .from(products)
      .where(and(...filters))
      .orderBy(asc(products.gtin))
      .limit(q.limit + 1)
      .all();
    const { data, next_cursor } = page(rows, q.limit, (row) => [row.gtin]);
    return c.json({ data: data.map(present), next_cursor });
  })
  .get('/:id', pathParams(refParam), async (c) =>
    c.json(present(await findProduct(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .post('/', requireRole('editor'), jsonBody(productInputSchema), async (c) => {
    const orgId = c.get('auth').orgId;
    const input = c.req.valid('json');
    await assertBrandsExist(c.env.DB, orgId, [input.brand_id]);
    const now = Date.now();
    const row = productFromInput(orgId, input, { id: newId('prd'), createdAt: now }, now);
    try {
      await database(c.env.DB).insert(products).values(row).run();
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
    return c.json(present(row), 201);
  })
  .post('/bulk', requireRole('editor'), jsonBody(bulkProductsSchema), async (c) => {
    const orgId = c.get('auth').orgId;
    const { items } = c.req.valid('json');
    await assertBrandsExist(
      c.env.DB,
      orgId,
      items.map((item) => item.brand_id),
    );
    const now = Date.now();
    const rows = items.map((item) =>
      productFromInput(orgId, item, { id: newId('prd'), createdAt: now }, now),
    );
    const { created, updated } = await bulkUpsertProducts(c.env.DB, rows);
    for (const row of rows) invalidateScanRules(row.gtin);
    return c.json({ received: items.length, created, updated });
  })
  .patch('/:id', requireRole('editor'), pathParams(refParam), jsonBody(productPatchSchema), async (c) => {
    const orgId = c.get('auth').orgId;
    const patch = c.req.valid('json');
    const row = await findProduct(c.env.DB, orgId, c.req.valid('param').id);
    await assertBrandsExist(c.env.DB, orgId, [patch.brand_id]);
    const updated = patchProduct(row, patch, Date.now());
    const { id, orgId: _org, gtin: _gtin, createdAt: _created, ...changes } = updated;
    await database(c.env.DB)
      .update(products)
      .set(changes)
      .where(and(eq(products.id, id), eq(products.orgId, orgId)))
      .run();
    // Status and recalled lots steer brand rules and the recall notice: this isolate sees the change at once.
    invalidateScanRules(row.gtin);
    return c.json(present(updated));
  })
  .delete('/:id', requireRole('editor'), pathParams(refParam), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = await findProduct(c.env.DB, orgId, c.req.valid('param').id);
    await database(c.env.DB)
      .delete(products)
      .where(and(eq(products.id, row.id), eq(products.orgId, orgId)))
      .run();
    invalidateScanRules(row.gtin);
    return c.body(null, 204);
  });
