// The caller's own organisation: who am I, (owners) rename it, its storage settings, and (owners)
// close it: DELETE /v1/organization?confirm=<its id> erases all its data (src/storage).
import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { jsonBody, queryParams } from '../http/validate';
import { eraseOrganization, mergeErasureReports } from '../storage/erase-organization';
import { storageSettingsRoutes } from '../storage/storage-settings.routes';
import { isoOrNull } from '../time/iso-time';
import { requireRole } from './authenticate';
import { type Organization, organizationById, renameOrganization } from './organization-store';

/** Bounded passes of the erasure in one request (each well inside one invocation's limits together). */
const ERASE_PASSES_PER_REQUEST = 3;

function present(row: Organization, auth: { keyId: string; role: string }) {
  return {
    id: row.id,
    name: row.name,
    created_at: isoOrNull(row.createdAt),
    key: { id: auth.keyId, role: auth.role },
  };
}

const CONFIRM_HINT = "add ?confirm=<this organisation's id> (GET /v1/organization shows it)";

const eraseQuery = z.strictObject({
  confirm: z.string({ error: `Erasing the organisation and all its data cannot be undone: ${CONFIRM_HINT}` }),
});

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
  .delete('/', requireRole('owner'), queryParams(eraseQuery), async (c) => {
    const { orgId } = c.get('auth');
    if (c.req.valid('query').confirm !== orgId) {
      throw new ApiError('bad_request', `confirm is not this organisation's id: ${CONFIRM_HINT}`);
    }
    let report = await eraseOrganization(c.env, orgId);
    for (let pass = 1; pass < ERASE_PASSES_PER_REQUEST && !report.completed; pass++) {
      report = mergeErasureReports(report, await eraseOrganization(c.env, orgId));
    }
    // Nothing is left to hold the audit entry; an unfinished erasure is logged (and erased later).
    if (report.completed) c.set('noAuditEntry', true);
    return c.json(report);
  })
  .route('/storage', storageSettingsRoutes);
