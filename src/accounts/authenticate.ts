// Bearer API-key authentication for every /v1 route, and the role gate used by writers.
import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { database } from '../db/client';
import { type ApiKeyRole, apiKeys } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { failsWith } from '../http/openapi/route-doc';
import { API_KEY_PATTERN, hashApiKey } from './api-key-secret';
import { hasRole } from './roles';

// last_used_at is a hint for people auditing keys, not an audit log: writing it at most once a
// minute per key keeps a busy integration from turning every read into a D1 write.
const LAST_USED_RESOLUTION_MS = 60_000;

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) {
    throw new ApiError(
      'unauthorized',
      'Missing Authorization header; send "Authorization: Bearer <API key>"',
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'Authorization header must be "Bearer <API key>"');
  const key = match[1]!;
  if (!API_KEY_PATTERN.test(key))
    throw new ApiError('unauthorized', 'That is not a Digital Link Edge API key');

  const db = database(c.env.DB);
  const row = await db.query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, await hashApiKey(key)) });
  const now = Date.now();
  if (!row || row.revokedAt !== null) throw new ApiError('unauthorized', 'Unknown or revoked API key');
  if (row.expiresAt !== null && row.expiresAt <= now) {
    // Not when: the expiry time would tell whoever holds a leaked key about the owner's habits.
    throw new ApiError('unauthorized', 'API key expired; ask a manager of the organisation for a new one');
  }

  c.set('auth', { orgId: row.orgId, keyId: row.id, role: row.role });
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    c.executionCtx.waitUntil(
      db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(eq(apiKeys.id, row.id))
        .run()
        .catch((err) => {
          console.warn('could not record api key use', row.id, err);
        }),
    );
  }
  await next();
});
failsWith(authenticate, ['unauthorized'], { authenticated: true });

/** Lets the request through only when the key's role is at least `role`. */
export const requireRole = (role: ApiKeyRole) =>
  failsWith(
    createMiddleware<AppEnv>(async (c, next) => {
      const { role: actual } = c.get('auth');
      if (!hasRole(actual, role)) {
        throw new ApiError('forbidden', `This needs a key with role ${role} or above; this key is ${actual}`);
      }
      await next();
    }),
    ['forbidden'],
    { requiredRole: role },
  );
