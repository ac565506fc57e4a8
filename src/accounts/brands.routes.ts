// Brands belong to one organisation; products and rules may name a brand.
import { Hono } from 'hono';
import * as z from 'zod';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { listOf, timestamp } from '../http/response-schemas';
import { jsonBody, pathParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { requireRole } from './authenticate';
import { type Brand, deleteBrand, findBrand, insertBrand, listBrands, updateBrand } from './brand-store';

/**
 * Where consumers reach the brand: an email address or an https URL (the blocked-code warning
 * page links to it, so nothing else is accepted: no javascript:, no plain http).
 */
const contactSchema = z
  .string()
  .trim()
  .max(320)
  .refine(
    (v) => z.email().safeParse(v).success || z.url({ protocol: /^https$/ }).safeParse(v).success,
    'must be an email address or an https:// URL',
  )
  .nullable();

const name = z.string().trim().min(1).max(200);
const brandSchema = z.strictObject({ name, contact: contactSchema.optional() });
const brandPatchSchema = z
  .strictObject({ name: name.optional(), contact: contactSchema.optional() })
  .refine((b) => b.name !== undefined || b.contact !== undefined, 'give name, contact or both');
const idParam = z.object({ id: z.string().min(1).max(64) });

const brandView = z
  .object({
    id: z.string(),
    name: z.string(),
    contact: z
      .string()
      .nullable()
      .meta({ description: 'Email address or https URL shown on the blocked-code warning page' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Brand' });

function present(row: Brand) {
  return {
    id: row.id,
    name: row.name,
    contact: row.contact,
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}

const duplicateName = (name: string) => new ApiError('conflict', `A brand named "${name}" already exists`);

export const brandRoutes = new Hono<AppEnv>()
  .get('/', documented({ summary: 'List brands', responses: { 200: listOf(brandView) } }), async (c) => {
    const rows = await listBrands(c.env.DB, c.get('auth').orgId);
    return c.json({ data: rows.map(present) });
  })
  .get(
    '/:id',
    documented({ summary: 'One brand', responses: { 200: brandView } }),
    pathParams(idParam),
    async (c) => c.json(present(await findBrand(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .post(
    '/',
    documented({ summary: 'Create a brand', responses: { 201: brandView }, errors: ['conflict'] }),
    requireRole('manager'),
    jsonBody(brandSchema),
    async (c) => {
      const now = Date.now();
      const row: Brand = {
        id: newId('brd'),
        orgId: c.get('auth').orgId,
        name: c.req.valid('json').name,
        contact: c.req.valid('json').contact ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await insertBrand(c.env.DB, row);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName(row.name);
        throw err;
      }
      return c.json(present(row), 201);
    },
  )
  .patch(
    '/:id',
    documented({
      summary: 'Rename a brand or change its contact',
      responses: { 200: brandView },
      errors: ['conflict'],
    }),
    requireRole('manager'),
    pathParams(idParam),
    jsonBody(brandPatchSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const row = await findBrand(c.env.DB, orgId, c.req.valid('param').id);
      const patch = c.req.valid('json');
      const updated: Brand = {
        ...row,
        name: patch.name ?? row.name,
        contact: patch.contact === undefined ? row.contact : patch.contact,
        updatedAt: Date.now(),
      };
      try {
        await updateBrand(c.env.DB, updated);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName(updated.name);
        throw err;
      }
      return c.json(present(updated));
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete a brand', responses: { 204: null } }),
    requireRole('manager'),
    pathParams(idParam),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const row = await findBrand(c.env.DB, orgId, c.req.valid('param').id);
      await deleteBrand(c.env.DB, orgId, row.id);
      return c.body(null, 204);
    },
  );
