// Key management: owners and managers create, list and revoke the keys of their organisation.
import { and, desc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { API_KEY_ROLES, type ApiKey, apiKeys } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { jsonBody, pathParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { generateApiKey } from './api-key-secret';
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
  .post('/', jsonBody(createKeySchema), async (c) => {
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
    await database(c.env.DB).insert(apiKeys).values(row).run();
    // The only time the key is ever shown.
    return c.json({ ...present(row), key: secret.key }, 201);
  })
  .get('/', async (c) => {
    const rows = await database(c.env.DB)
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.orgId, c.get('auth').orgId))
      .orderBy(desc(apiKeys.createdAt))
      .all();
    return c.json({ data: rows.map(present) });
  })
  .get('/:id', pathParams(idParam), async (c) => {
    return c.json(present(await findKey(c.env.DB, c.get('auth').orgId, c.req.valid('param').id)));
  })
  .delete('/:id', pathParams(idParam), async (c) => {
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
    // One conditional UPDATE keeps the "never revoke the last owner key" check race-free:
    // the row is only touched when another active owner key still exists.
    const result = await database(c.env.DB).run(
      row.role === 'owner'
        ? sqlRevokeUnlessLastOwner(row.id, auth.orgId, revokedAt)
        : sqlRevoke(row.id, revokedAt),
    );
    if (result.meta.changes === 0) {
      throw new ApiError(
        'conflict',
        "This is the organisation's last active owner key; create another owner key first",
      );
    }
    return c.json(present({ ...row, revokedAt }));
  });

async function findKey(d1: D1Database, orgId: string, id: string): Promise<ApiKey> {
  const row = await database(d1).query.apiKeys.findFirst({
    where: and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId)),
  });
  if (!row) throw notFound('API key');
  return row;
}

function sqlRevoke(id: string, at: number) {
  return sql`UPDATE api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`;
}

function sqlRevokeUnlessLastOwner(id: string, orgId: string, at: number) {
  return sql`UPDATE api_keys SET revoked_at = ${at}
    WHERE id = ${id} AND revoked_at IS NULL
      AND EXISTS (SELECT 1 FROM api_keys other
                  WHERE other.org_id = ${orgId} AND other.id <> ${id} AND other.role = 'owner'
                    AND other.revoked_at IS NULL
                    AND (other.expires_at IS NULL OR other.expires_at > ${at}))`;
}
