// Key management: owners and managers create, list and revoke the keys of their organisation.
import { Hono } from 'hono';
import * as z from 'zod';
import { newId } from '../db/ids';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { listOf, timestamp, timestampOrNull } from '../http/response-schemas';
import { jsonBody, pathParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { generateApiKey } from './api-key-secret';
import {
  API_KEY_ROLES,
  type ApiKey,
  apiKeyById,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from './api-key-store';
import { requireRole } from './authenticate';
import { article, hasRole } from './roles';

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(API_KEY_ROLES),
  expires_at: z.iso
    .datetime({ offset: true })
    .transform((s) => Date.parse(s))
    .refine((ms) => ms > Date.now(), 'expires_at must be in the future')
    .optional(),
});

const idParam = z.object({ id: z.string().min(1).max(64) });

/** A key as listed: never its secret, which only the create response shows. */
const apiKeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart' }),
    role: z.enum(API_KEY_ROLES),
    expires_at: timestampOrNull,
    last_used_at: timestampOrNull,
    revoked_at: timestampOrNull,
    created_at: timestamp,
  })
  .meta({ id: 'ApiKey' });
const createdKeyView = apiKeyView.extend({
  key: z.string().meta({ description: 'The key itself, shown this once' }),
});

function present(row: ApiKey) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    expires_at: isoOrNull(row.expiresAt),
    last_used_at: isoOrNull(row.lastUsedAt),
    revoked_at: isoOrNull(row.revokedAt),
    created_at: isoOrNull(row.createdAt),
  };
}

export const apiKeyRoutes = new Hono<AppEnv>()
  .use(requireRole('manager'))
  .post(
    '/',
    documented({
      summary: "Create a key (at most as powerful as the caller's); the key is shown once",
      responses: { 201: createdKeyView },
    }),
    jsonBody(createKeySchema),
    async (c) => {
      const auth = c.get('auth');
      const input = c.req.valid('json');
      // No key can mint a key more powerful than itself.
      if (!hasRole(auth.role, input.role)) {
        throw new ApiError(
          'forbidden',
          `A ${auth.role} key cannot create ${article(input.role)} ${input.role} key`,
        );
      }
      const secret = await generateApiKey();
      const row: ApiKey = {
        id: newId('key'),
        orgId: auth.orgId,
        name: input.name,
        prefix: secret.prefix,
        keyHash: secret.hash,
        role: input.role,
        expiresAt: input.expires_at ?? null,
        lastUsedAt: null,
        revokedAt: null,
        createdAt: Date.now(),
        createdByKeyId: auth.keyId,
      };
      await insertApiKey(c.env.DB, row);
      // The only time the key is ever shown.
      return c.json({ ...present(row), key: secret.key }, 201);
    },
  )
  .get(
    '/',
    documented({ summary: "List the organisation's keys", responses: { 200: listOf(apiKeyView) } }),
    async (c) => {
      const rows = await listApiKeys(c.env.DB, c.get('auth').orgId);
      return c.json({ data: rows.map(present) });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One key', responses: { 200: apiKeyView } }),
    pathParams(idParam),
    async (c) => {
      return c.json(present(await findKey(c.env.DB, c.get('auth').orgId, c.req.valid('param').id)));
    },
  )
  .delete(
    '/:id',
    documented({
      summary: 'Revoke a key (never the last owner key); revoking twice is harmless',
      responses: { 200: { description: 'The revoked key', body: apiKeyView } },
      errors: ['conflict'],
    }),
    pathParams(idParam),
    async (c) => {
      const auth = c.get('auth');
      const row = await findKey(c.env.DB, auth.orgId, c.req.valid('param').id);
      if (!hasRole(auth.role, row.role)) {
        throw new ApiError(
          'forbidden',
          `A ${auth.role} key cannot revoke ${article(row.role)} ${row.role} key`,
        );
      }
      if (row.revokedAt !== null) return c.json(present(row)); // revoking twice is harmless
      const revokedAt = Date.now();
      // The store checks "never revoke the last owner key" in the same UPDATE, race-free.
      if (!(await revokeApiKey(c.env.DB, auth.orgId, row, revokedAt))) {
        throw new ApiError(
          'conflict',
          "This is the organisation's last active owner key; create another owner key first",
        );
      }
      return c.json(present({ ...row, revokedAt }));
    },
  );

async function findKey(d1: D1Database, orgId: string, id: string): Promise<ApiKey> {
  const row = await apiKeyById(d1, orgId, id);
  if (!row) throw notFound('API key');
  return row;
}
