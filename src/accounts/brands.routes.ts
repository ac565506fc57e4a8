// Brands belong to one organisation; products and rules may name a brand.
import { and, asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { database } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { type Brand, brands } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { jsonBody, pathParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { requireRole } from './authenticate';

const brandSchema = z.strictObject({ name: z.string().trim().min(1).max(200) });
const idParam = z.object({ id: z.string().min(1).max(64) });

function present(row: Brand) {
  return {
    id: row.id,
    name: row.name,
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}

async function findBrand(d1: D1Database, orgId: string, id: string): Promise<Brand> {
  const row = await database(d1).query.brands.findFirst({
    where: and(eq(brands.id, id), eq(brands.orgId, orgId)),
  });
  if (!row) throw notFound('Brand');
  return row;
}

const duplicateName = (name: string) => new ApiError('conflict', `A brand named "${name}" already exists`);

export const brandRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const rows = await database(c.env.DB)
      .select()
      .from(brands)
      .where(eq(brands.orgId, c.get('auth').orgId))
      .orderBy(asc(brands.name))
      .all();
    return c.json({ data: rows.map(present) });
  })
  .get('/:id', pathParams(idParam), async (c) =>
    c.json(present(await findBrand(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .post('/', requireRole('manager'), jsonBody(brandSchema), async (c) => {
    const now = Date.now();
    const row: Brand = {
      id: newId('brd'),
      orgId: c.get('auth').orgId,
      name: c.req.valid('json').name,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await database(c.env.DB).insert(brands).values(row).run();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateName(row.name);
      throw err;
    }
    return c.json(present(row), 201);
  })
  .patch('/:id', requireRole('manager'), pathParams(idParam), jsonBody(brandSchema), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = await findBrand(c.env.DB, orgId, c.req.valid('param').id);
    const updated = { ...row, name: c.req.valid('json').name, updatedAt: Date.now() };
    try {
      await database(c.env.DB)
        .update(brands)
        .set({ name: updated.name, updatedAt: updated.updatedAt })
        .where(and(eq(brands.id, row.id), eq(brands.orgId, orgId)))
        .run();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateName(updated.name);
      throw err;
    }
    return c.json(present(updated));
  })
  .delete('/:id', requireRole('manager'), pathParams(idParam), async (c) => {
    const orgId = c.get('auth').orgId;
    const row = await findBrand(c.env.DB, orgId, c.req.valid('param').id);
    await database(c.env.DB)
      .delete(brands)
      .where(and(eq(brands.id, row.id), eq(brands.orgId, orgId)))
      .run();
    return c.body(null, 204);
  });
