// The caller's own organisation: who am I, and (owners) rename it.
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { database } from '../db/client';
import { type Organization, organizations } from '../db/schema';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { jsonBody } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { requireRole } from './authenticate';

function present(row: Organization, auth: { keyId: string; role: string }) {
  return {
    id: row.id,
    name: row.name,
    created_at: isoOrNull(row.createdAt),
    key: { id: auth.keyId, role: auth.role },
  };
}

export const organizationRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const auth = c.get('auth');
    const row = await database(c.env.DB).query.organizations.findFirst({
      where: eq(organizations.id, auth.orgId),
    });
    if (!row) throw notFound('Organisation');
    return c.json(present(row, auth));
  })
  .patch(
    '/',
    requireRole('owner'),
    jsonBody(z.strictObject({ name: z.string().trim().min(1).max(200) })),
    async (c) => {
      const auth = c.get('auth');
      const db = database(c.env.DB);
      const rows = await db
        .update(organizations)
        .set({ name: c.req.valid('json').name })
        .where(eq(organizations.id, auth.orgId))
        .returning()
        .all();
      if (!rows[0]) throw notFound('Organisation');
      return c.json(present(rows[0], auth));
    },
  );
