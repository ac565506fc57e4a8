// API keys of one organisation in D1, for the key-management routes.
import { and, desc, eq, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { type ApiKey, apiKeys } from '../db/schema';

export { API_KEY_ROLES, type ApiKey } from '../db/schema';

export async function insertApiKey(d1: D1Database, row: ApiKey): Promise<void> {
  await database(d1).insert(apiKeys).values(row).run();
}

/** Newest first. */
export async function listApiKeys(d1: D1Database, orgId: string): Promise<ApiKey[]> {
  return database(d1)
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt))
    .all();
}

export async function apiKeyById(d1: D1Database, orgId: string, id: string): Promise<ApiKey | undefined> {
  return database(d1).query.apiKeys.findFirst({
    where: and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId)),
  });
}

/**
 * Revokes an active key; false when nothing changed: it was revoked meanwhile or, for an owner
 * key, no other active owner key exists. One conditional UPDATE keeps that check race-free.
 */
export async function revokeApiKey(
  d1: D1Database,
  orgId: string,
  key: Pick<ApiKey, 'id' | 'role'>,
  at: number,
): Promise<boolean> {
  const result = await database(d1).run(
    key.role === 'owner' ? sqlRevokeUnlessLastOwner(key.id, orgId, at) : sqlRevoke(key.id, at),
  );
  return result.meta.changes !== 0;
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
