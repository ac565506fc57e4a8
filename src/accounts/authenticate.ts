// Authentication for every /v1 route (Bearer API key or Cloudflare Access), and the role gate.
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { database } from '../db/client';
import { type ApiKeyRole, apiKeys } from '../db/schema';
import { ApiError } from '../http/api-error';
import type { AppEnv, AuthContext } from '../http/app-env';
import { failsWith } from '../http/openapi/route-doc';
import { accessConfigOf } from './access-config';
import { accessTokenOf, signInWithAccess } from './access-sign-in';
import { API_KEY_PATTERN, hashApiKey } from './api-key-secret';
import { hasRole } from './roles';

// last_used_at is a hint for people auditing keys, not an audit log: writing it at most once a
// minute per key keeps a busy integration from turning every read into a D1 write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Every /v1 request: a Bearer API key, else (when the operator turned it on) a Cloudflare Access
 * sign-in. A request carrying both is the key's: an integration's Authorization says what it meant.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const access = accessConfigOf(c.env);
  const accessToken = access && !header ? accessTokenOf(c) : undefined;
  if (access && accessToken) c.set('auth', await signInWithAccess(c, access, accessToken));
  else c.set('auth', await signInWithApiKey(c, header, access !== null));
  await next();
});
// An Access sign-in's own 403s (no member, csrf) are told once, in the security scheme.
failsWith(authenticate, ['unauthorized'], { authenticated: true });

async function signInWithApiKey(
  c: Context<AppEnv>,
  header: string | undefined,
  accessOn: boolean,
): Promise<AuthContext> {
  if (!header) {
    throw new ApiError(
      'unauthorized',
      `Missing Authorization header; send "Authorization: Bearer <API key>"${accessOn ? ' or sign in through Cloudflare Access' : ''}`,
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
  return { orgId: row.orgId, keyId: row.id, role: row.role, principal: { kind: 'api_key' } };
}

/** Lets the request through only when the caller's role is at least `role`. */
export const requireRole = (role: ApiKeyRole) =>
  failsWith(
    createMiddleware<AppEnv>(async (c, next) => {
      const { role: actual } = c.get('auth');
      if (!hasRole(actual, role)) {
        throw new ApiError(
          'forbidden',
          c.get('auth').principal.kind === 'access'
            ? `This needs the role ${role} or above; you are ${actual} in this organisation`
            : `This needs a key with role ${role} or above; this key is ${actual}`,
        );
      }
      await next();
    }),
    ['forbidden'],
    { requiredRole: role },
  );
