// The audit log in D1: one row per successful /v1 write, listed newest first by (at, id).
import type { ApiKeyRole } from '../db/schema';

export interface AuditEntry {
  id: string;
  orgId: string;
  at: number;
  keyId: string;
  /** The person's email for a Cloudflare Access sign-in, the key's id for an API key. */
  actor: string;
  role: ApiKeyRole;
  method: string;
  route: string;
  path: string;
  status: number;
  resourceId: string | null;
  summary: Record<string, unknown>;
  client: string;
}

interface Row {
  id: string;
  org_id: string;
  at: number;
  key_id: string;
  actor: string | null;
  role: ApiKeyRole;
  method: string;
  route: string;
  path: string;
  status: number;
  resource_id: string | null;
  summary: string;
  client: string;
}

export async function insertAuditEntry(db: D1Database, e: AuditEntry): Promise<void> {
  await db
    .prepare(
      `INSERT INTO audit_log (id, org_id, at, key_id, actor, role, method, route, path, status, resource_id, summary, client)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      e.id,
      e.orgId,
      e.at,
      e.keyId,
      e.actor,
      e.role,
      e.method,
      e.route,
      e.path,
      e.status,
      e.resourceId,
      JSON.stringify(e.summary),
      e.client,
    )
    .run();
}

export interface AuditQuery {
  fromMs?: number;
  toMs?: number;
  keyId?: string;
  actor?: string;
  method?: string;
  route?: string;
  /** The (at, id) of the last entry already seen: the page continues below it. */
  before?: [number, string];
  limit: number;
}

export async function listAuditEntries(db: D1Database, orgId: string, q: AuditQuery): Promise<AuditEntry[]> {
  const where = ['org_id = ?'];
  const params: (string | number)[] = [orgId];
  const add = (condition: string, ...values: (string | number)[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (q.fromMs !== undefined) add('at >= ?', q.fromMs);
  if (q.toMs !== undefined) add('at < ?', q.toMs);
  if (q.keyId) add('key_id = ?', q.keyId);
  if (q.actor) add('COALESCE(actor, key_id) = ?', q.actor);
  if (q.method) add('method = ?', q.method);
  if (q.route) add('route = ?', q.route);
  if (q.before) add('(at, id) < (?, ?)', ...q.before);
  const { results } = await db
    .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`)
    .bind(...params, q.limit)
    .all<Row>();
  return results.map((r) => ({
    id: r.id,
    orgId: r.org_id,
    at: r.at,
    keyId: r.key_id,
    // Entries from before Access sign-in were all made by keys.
    actor: r.actor ?? r.key_id,
    role: r.role,
    method: r.method,
    route: r.route,
    path: r.path,
    status: r.status,
    resourceId: r.resource_id,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
    client: r.client,
  }));
}
