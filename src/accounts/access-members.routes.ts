// GET/POST/DELETE /v1/access-members: who may sign in to the organisation through Cloudflare
// Access, by email or identity-provider group, and with which role. Owners and managers only.
import { Hono } from 'hono';
import * as z from 'zod';
import { newId } from '../db/ids';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { listOf, timestamp } from '../http/response-schemas';
import { jsonBody, pathParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import {
  type AccessMember,
  accessMemberById,
  deleteAccessMember,
  insertAccessMember,
  listAccessMembers,
} from './access-member-store';
import { accessEmail, accessGroup } from './access-member-subject';
import { API_KEY_ROLES } from './api-key-store';
import { requireRole } from './authenticate';
import { article, hasRole } from './roles';

const createMemberSchema = z
  .strictObject({
    email: accessEmail.optional(),
    group: accessGroup.optional(),
    role: z.enum(API_KEY_ROLES),
  })
  .refine((m) => (m.email === undefined) !== (m.group === undefined), {
    error: 'Give either email or group, not both',
    path: ['email'],
  });

const idParam = z.object({ id: z.string().min(1).max(64) });

const accessMemberView = z
  .object({
    id: z.string(),
    email: z.string().nullable().meta({ description: 'The person (lowercased), or null for a group' }),
    group: z
      .string()
      .nullable()
      .meta({ description: "An identity-provider group of the token's groups claim" }),
    role: z.enum(API_KEY_ROLES),
    created_at: timestamp,
  })
  .meta({ id: 'AccessMember' });

const present = (row: AccessMember) => ({
  id: row.id,
  email: row.kind === 'email' ? row.subject : null,
  group: row.kind === 'group' ? row.subject : null,
  role: row.role,
  created_at: isoOrNull(row.createdAt),
});

export const accessMemberRoutes = new Hono<AppEnv>()
  .use(requireRole('manager'))
  .get(
    '/',
    documented({
      summary: 'Who may sign in through Cloudflare Access, newest first',
      responses: { 200: listOf(accessMemberView) },
    }),
    async (c) => c.json({ data: (await listAccessMembers(c.env.DB, c.get('auth').orgId)).map(present) }),
  )
  .post(
    '/',
    documented({
      summary: "Let an email or group sign in with a role (at most the caller's)",
      responses: { 201: accessMemberView },
      errors: ['conflict'],
    }),
    jsonBody(createMemberSchema),
    async (c) => {
      const auth = c.get('auth');
      const input = c.req.valid('json');
      if (!hasRole(auth.role, input.role)) {
        throw new ApiError('forbidden', `A ${auth.role} cannot make ${article(input.role)} ${input.role}`);
      }
      const row: AccessMember = {
        id: newId('acm'),
        orgId: auth.orgId,
        kind: input.email === undefined ? 'group' : 'email',
        subject: (input.email ?? input.group)!,
        role: input.role,
        createdAt: Date.now(),
      };
      if (!(await insertAccessMember(c.env.DB, row))) {
        throw new ApiError(
          'conflict',
          `${row.subject} is already a member; remove it first to change its role`,
        );
      }
      return c.json(present(row), 201);
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Stop an email or group signing in', responses: { 204: null } }),
    pathParams(idParam),
    async (c) => {
      const auth = c.get('auth');
      const row = await accessMemberById(c.env.DB, auth.orgId, c.req.valid('param').id);
      if (!row) throw notFound('Access member');
      if (!hasRole(auth.role, row.role)) {
        throw new ApiError('forbidden', `A ${auth.role} cannot remove ${article(row.role)} ${row.role}`);
      }
      await deleteAccessMember(c.env.DB, auth.orgId, row.id);
      return c.body(null, 204);
    },
  );
