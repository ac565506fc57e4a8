// Brands of one organisation in D1, for the brands routes. A duplicate name is D1's UNIQUE
// violation, left to the caller to turn into a conflict.
import { and, asc, eq } from 'drizzle-orm';
import { database } from '../db/client';
import { type Brand, brands } from '../db/schema';
import { notFound } from '../http/api-error';

export type { Brand } from '../db/schema';

/** By name. */
export async function listBrands(d1: D1Database, orgId: string): Promise<Brand[]> {
  return database(d1).select().from(brands).where(eq(brands.orgId, orgId)).orderBy(asc(brands.name)).all();
}

export async function brandById(d1: D1Database, orgId: string, id: string): Promise<Brand | undefined> {
  return database(d1).query.brands.findFirst({
    where: and(eq(brands.id, id), eq(brands.orgId, orgId)),
  });
}

/** The organisation's brand, or a 404 (another organisation's brand is not ours to tell of). */
export async function findBrand(d1: D1Database, orgId: string, id: string): Promise<Brand> {
  const row = await brandById(d1, orgId, id);
  if (!row) throw notFound('Brand');
  return row;
}

export async function insertBrand(d1: D1Database, row: Brand): Promise<void> {
  await database(d1).insert(brands).values(row).run();
}

/** Its name, contact and update time, as `row` has them. */
export async function updateBrand(d1: D1Database, row: Brand): Promise<void> {
  await database(d1)
    .update(brands)
    .set({ name: row.name, contact: row.contact, updatedAt: row.updatedAt })
    .where(and(eq(brands.id, row.id), eq(brands.orgId, row.orgId)))
    .run();
}

export async function deleteBrand(d1: D1Database, orgId: string, id: string): Promise<void> {
  await database(d1)
    .delete(brands)
    .where(and(eq(brands.id, id), eq(brands.orgId, orgId)))
    .run();
}
