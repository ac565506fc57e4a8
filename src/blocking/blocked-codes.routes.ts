// Blocked codes: scans of them are sent to this resolver's warning page, never the brand's links.
//   POST   /v1/blocked-codes        {digital_link, reason}: a GTIN, a lot (10) or a serial (21)
//   GET    /v1/blocked-codes        newest first (filter gtin; cursor)
//   GET    /v1/blocked-codes/:id
//   DELETE /v1/blocked-codes/:id
// Reads: any key; writes: editor and above. The GTIN must be under the organisation's company
// prefix (403 otherwise, as for links and products); another organisation's ids are 404.

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { gtinSchema } from '../catalog/gtin';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { blockedCodeInputSchema } from './blocked-code-input';
import { blockedCodeView, presentBlockedCode } from './blocked-code-record';
import {
  createBlockedCode,
  deleteBlockedCode,
  findBlockedCode,
  listBlockedCodes,
} from './blocked-code-store';

const idParam = z.object({ id: z.string().min(1).max(64) });
const listQuery = z.strictObject({
  gtin: gtinSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

export const blockedCodeRoutes = new Hono<AppEnv>()
  .post(
    '/',
    documented({
      summary: 'Block a GTIN, a lot or a serial: its scans go to the warning page',
      responses: { 201: blockedCodeView },
      errors: ['forbidden', 'conflict'],
    }),
    requireRole('editor'),
    jsonBody(blockedCodeInputSchema),
    async (c) => {
      const { digital_link: target, reason } = c.req.valid('json');
      const orgId = c.get('auth').orgId;
      await assertMayPublish(c.env.DB, orgId, [{ ai: '01', value: target.gtin }]);
      const row = await createBlockedCode(c.env.DB, orgId, { target, reason }, Date.now());
      return c.json(presentBlockedCode(row), 201);
    },
  )
  .get(
    '/',
    documented({ summary: 'Blocked codes, newest first', responses: { 200: pageOf(blockedCodeView) } }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()])) : undefined;
      const rows = await listBlockedCodes(c.env.DB, c.get('auth').orgId, {
        gtin: q.gtin,
        after,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.createdAt, row.id]);
      return c.json({ data: data.map(presentBlockedCode), next_cursor });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One blocked code', responses: { 200: blockedCodeView } }),
    pathParams(idParam),
    async (c) =>
      c.json(
        presentBlockedCode(await findBlockedCode(c.env.DB, c.get('auth').orgId, c.req.valid('param').id)),
      ),
  )
  .delete(
    '/:id',
    documented({ summary: 'Unblock a code', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(idParam),
    async (c) => {
      await deleteBlockedCode(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
