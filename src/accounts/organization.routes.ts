// The caller's own organisation: who am I, (owners) rename it, and its storage settings.
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { jsonBody } from '../http/validate';
import { storageSettingsRoutes } from '../storage/storage-settings.routes';
import { isoOrNull } from '../time/iso-time';
import { requireRole } from './authenticate';
import { type Organization, organizationById, renameOrganization } from './organization-store';

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
    const row = await organizationById(c.env.DB, auth.orgId);
    if (!row) throw notFound('Organisation');
    return c.json(present(row, auth));
  })
  .patch(
    '/',
    requireRole('owner'),
    jsonBody(z.strictObject({ name: z.string().trim().min(1).max(200) })),
    async (c) => {
      const auth = c.get('auth');
      const row = await renameOrganization(c.env.DB, auth.orgId, c.req.valid('json').name);
      if (!row) throw notFound('Organisation');
      return c.json(present(row, auth));
    },
  )
  .route('/storage', storageSettingsRoutes);
