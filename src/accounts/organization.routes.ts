// The caller's own organisation: who am I, (owners) rename it, its storage settings, and (owners)
// close it: DELETE /v1/organization?confirm=<its id> erases all its data (src/storage).
import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv, AuthContext } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { timestamp } from '../http/response-schemas';
import { jsonBody, queryParams } from '../http/validate';
import { eraseOrganization, mergeErasureReports } from '../storage/erase-organization';
import { storageSettingsRoutes } from '../storage/storage-settings.routes';
import { isoOrNull } from '../time/iso-time';
import { API_KEY_ROLES } from './api-key-store';
import { requireRole } from './authenticate';
import { type Organization, organizationById, renameOrganization } from './organization-store';

/** Bounded passes of the erasure in one request (each well inside one invocation's limits together). */
const ERASE_PASSES_PER_REQUEST = 3;

const organizationView = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: timestamp,
    key: z.object({ id: z.string(), role: z.enum(API_KEY_ROLES) }).meta({
      description: 'The calling key (for an Access sign-in: the member row that let the person in)',
    }),
    principal: z
      .object({
        kind: z.enum(['api_key', 'access']),
        email: z
          .string()
          .optional()
          .meta({ description: 'The person, when signed in through Cloudflare Access' }),
        role: z.enum(API_KEY_ROLES),
      })
      .meta({ description: 'Who is calling' }),
  })
  .meta({ id: 'Organization' });

const erasureReportView = z.object({
  organization: z.string(),
  d1: z.record(z.string(), z.number().int()).meta({ description: 'Rows deleted per table' }),
  r2: z.object({ objects: z.number().int(), bytes: z.number().int() }),
  durable_objects: z.object({ scan_counters: z.number().int(), pending_events: z.number().int() }),
  completed: z.boolean().meta({ description: 'false: call again to erase the rest' }),
});

function present(row: Organization, auth: AuthContext) {
  return {
    id: row.id,
    name: row.name,
    created_at: isoOrNull(row.createdAt),
    key: { id: auth.keyId, role: auth.role },
    principal:
      auth.principal.kind === 'access'
        ? { kind: 'access' as const, email: auth.principal.email, role: auth.role }
        : { kind: 'api_key' as const, role: auth.role },
  };
}

const CONFIRM_HINT = "add ?confirm=<this organisation's id> (GET /v1/organization shows it)";

const eraseQuery = z.strictObject({
  confirm: z.string({ error: `Erasing the organisation and all its data cannot be undone: ${CONFIRM_HINT}` }),
});

export const organizationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({
      summary: "The caller's organisation, key and principal",
      responses: { 200: organizationView },
    }),
    async (c) => {
      const auth = c.get('auth');
      const row = await organizationById(c.env.DB, auth.orgId);
      if (!row) throw notFound('Organisation');
      return c.json(present(row, auth));
    },
  )
  .patch(
    '/',
    documented({ summary: 'Rename the organisation', responses: { 200: organizationView } }),
    requireRole('owner'),
    jsonBody(z.strictObject({ name: z.string().trim().min(1).max(200) })),
    async (c) => {
      const auth = c.get('auth');
      const row = await renameOrganization(c.env.DB, auth.orgId, c.req.valid('json').name);
      if (!row) throw notFound('Organisation');
      return c.json(present(row, auth));
    },
  )
  .delete(
    '/',
    documented({
      summary: 'Close the account: erase all its data (confirm=<organisation id>)',
      responses: { 200: { description: 'What was erased', body: erasureReportView } },
      errors: ['bad_request'],
    }),
    requireRole('owner'),
    queryParams(eraseQuery),
    async (c) => {
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
    },
  )
  .route('/storage', storageSettingsRoutes);
