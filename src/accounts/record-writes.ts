// Keeps an audit entry for every successful write through /v1 (PRODUCT.md: a changed link is
// where phishing starts). Written before the answer goes out, so a write the client saw succeed
// is never missing from the log.
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { newId } from '../db/ids';
import { type AppEnv, actorOf } from '../http/app-env';
import { clientKey } from '../search/client-key';
import { insertAuditEntry } from './audit-log-store';
import { auditSummary } from './audit-summary';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The written resource's id: the path's, else the answer's top-level `id` (never other fields). */
async function resourceIdOf(pathId: string | undefined, res: Response): Promise<string | null> {
  if (pathId) return pathId;
  if (!res.headers.get('content-type')?.includes('json')) return null;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { id?: unknown } | null;
  return typeof body?.id === 'string' ? body.id : null;
}

export const recordWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!WRITES.has(c.req.method) || c.res.status >= 400 || c.get('noAuditEntry')) return;
  const auth = c.get('auth');
  const now = Date.now();
  const body = c.req.header('content-type')?.includes('json') ? await c.req.json().catch(() => null) : null;
  try {
    await insertAuditEntry(c.env.DB, {
      id: newId('aud'),
      orgId: auth.orgId,
      at: now,
      keyId: auth.keyId,
      actor: actorOf(auth),
      role: auth.role,
      method: c.req.method,
      route: routePath(c, -1),
      path: c.req.path.slice(0, 500),
      status: c.res.status,
      resourceId: await resourceIdOf(c.req.param('id'), c.res),
      summary: auditSummary(body),
      client: await clientKey(
        c.env.SCANNER_HASH_SECRET ?? '',
        now,
        c.req.header('cf-connecting-ip') ?? 'unknown',
      ),
    });
  } catch (err) {
    // The write itself has happened; failing its answer now would only make the client retry it.
    console.error('audit entry not written', auth.orgId, c.req.method, c.req.path, String(err));
  }
});
