// GET /v1/audit-log          the organisation's writes, newest first (filters, cursor)
// GET /v1/audit-log/export.csv  the same as CSV, streamed. Owners and managers only.
import { Hono } from 'hono';
import * as z from 'zod';
import { csvResponse } from '../analytics/csv';
import { csvStream } from '../analytics/csv-stream';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, encodeCursor } from '../http/page-cursor';
import { pageOf, timestamp } from '../http/response-schemas';
import { queryParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { API_KEY_ROLES } from './api-key-store';
import { type AuditEntry, type AuditQuery, listAuditEntries } from './audit-log-store';
import { requireRole } from './authenticate';

const filters = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  key_id: z.string().min(1).max(64).optional(),
  actor: z.string().trim().toLowerCase().min(1).max(320).optional(),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  route: z.string().min(1).max(200).optional(),
};
const listQuery = z.strictObject({
  ...filters,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});
const exportQuery = z.strictObject(filters);

function auditQuery(q: z.infer<typeof exportQuery>): Omit<AuditQuery, 'limit'> {
  return {
    fromMs: q.from ? Date.parse(q.from) : undefined,
    toMs: q.to ? Date.parse(q.to) : undefined,
    keyId: q.key_id,
    actor: q.actor,
    method: q.method,
    route: q.route,
  };
}

const auditEntryView = z
  .object({
    id: z.string(),
    at: timestamp,
    key_id: z.string().meta({ description: "The API key's id, or the Access member row's (access_members)" }),
    actor: z
      .string()
      .meta({ description: "Who acted: the key's id, or the person's email (Cloudflare Access)" }),
    role: z.enum(API_KEY_ROLES),
    method: z.string(),
    route: z.string().meta({ description: 'The route pattern, e.g. /v1/products/:id' }),
    path: z.string(),
    status: z.number().int(),
    resource_id: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()),
    client: z.string(),
  })
  .meta({ id: 'AuditEntry' });

const present = (e: AuditEntry) => ({
  id: e.id,
  at: isoOrNull(e.at),
  key_id: e.keyId,
  actor: e.actor,
  role: e.role,
  method: e.method,
  route: e.route,
  path: e.path,
  status: e.status,
  resource_id: e.resourceId,
  summary: e.summary,
  client: e.client,
});

const CSV_HEADER = [
  'id',
  'at',
  'key_id',
  'role',
  'method',
  'route',
  'path',
  'status',
  'resource_id',
  'summary',
  'client',
  // Last: CSV readers of the columns before it keep working.
  'actor',
];

export const auditLogRoutes = new Hono<AppEnv>()
  .use(requireRole('manager'))
  .get(
    '/',
    documented({
      summary: "The organisation's writes, newest first",
      responses: { 200: pageOf(auditEntryView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const before = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()])) : undefined;
      const rows = await listAuditEntries(c.env.DB, c.get('auth').orgId, {
        ...auditQuery(q),
        before,
        limit: q.limit + 1,
      });
      const more = rows.length > q.limit;
      const data = rows.slice(0, q.limit);
      const last = data[data.length - 1];
      return c.json({
        data: data.map(present),
        next_cursor: more && last ? encodeCursor([last.at, last.id]) : null,
      });
    },
  )
  .get(
    '/export.csv',
    documented({
      summary: 'The audit log as CSV, streamed',
      responses: { 200: { description: 'CSV with a header row', mediaType: 'text/csv' } },
    }),
    queryParams(exportQuery),
    (c) => {
      const db = c.env.DB;
      const orgId = c.get('auth').orgId;
      const q = auditQuery(c.req.valid('query'));
      return csvResponse(
        csvStream<AuditEntry, [number, string]>({
          header: CSV_HEADER,
          page: (before, limit) => listAuditEntries(db, orgId, { ...q, before, limit }),
          cursorOf: (e) => [e.at, e.id],
          cells: (e) => {
            const p = present(e);
            return CSV_HEADER.map((h) =>
              h === 'summary' ? JSON.stringify(p.summary) : p[h as keyof typeof p],
            );
          },
        }),
        'audit-log.csv',
      );
    },
  );
