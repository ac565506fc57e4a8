// Serials a brand issued, per GTIN, so scans of serials it never issued raise alerts:
//   POST   /v1/issued-serials        {kind:"range", gtin, first, last} | {kind:"list", gtin, serials:[…]}
//   GET    /v1/issued-serials        newest first (filter gtin; cursor), without the lists' serials
//   GET    /v1/issued-serials/:id    one registration, a list with its serials
//   DELETE /v1/issued-serials/:id
// Reads: any key; writes: editor and above. A GTIN must be the organisation's (404 otherwise).

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { ownsKey } from '../accounts/owns-key';
import { gtinSchema } from '../catalog/gtin';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf, timestamp } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { issuedSerialInputSchema } from './issued-serial-input';
import {
  createRegistration,
  deleteRegistration,
  findRegistration,
  listRegistrations,
  presentRegistration,
} from './issued-serial-store';

const idParam = z.object({ id: z.string().min(1).max(64) });
const listQuery = z.strictObject({
  gtin: gtinSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

const registrationView = z
  .object({
    id: z.string(),
    gtin: z.string(),
    kind: z.enum(['range', 'list']),
    first: z.string().optional().meta({ description: 'Ranges only' }),
    last: z.string().optional().meta({ description: 'Ranges only' }),
    serials: z.array(z.string()).optional().meta({ description: 'Lists, when fetched one by one' }),
    serial_count: z.number().int(),
    note: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'IssuedSerials' });

export const issuedSerialRoutes = new Hono<AppEnv>()
  .post(
    '/',
    documented({
      summary: 'Register serials issued for a GTIN: a range or a list',
      responses: { 201: registrationView },
      errors: ['not_found'],
    }),
    requireRole('editor'),
    jsonBody(issuedSerialInputSchema),
    async (c) => {
      const input = c.req.valid('json');
      const orgId = c.get('auth').orgId;
      await assertMayPublish(c.env.DB, orgId, [{ ai: '01', value: input.gtin }]);
      if (!(await ownsKey(c.env.DB, orgId, '01', input.gtin)))
        throw new ApiError('not_found', `No product or links for GTIN ${input.gtin} in this organisation`);
      return c.json(presentRegistration(await createRegistration(c.env.DB, orgId, input, Date.now())), 201);
    },
  )
  .get(
    '/',
    documented({
      summary: 'Registrations, newest first (lists without their serials)',
      responses: { 200: pageOf(registrationView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()])) : undefined;
      const rows = await listRegistrations(c.env.DB, c.get('auth').orgId, {
        gtin: q.gtin,
        after,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.createdAt, row.id]);
      return c.json({ data: data.map(presentRegistration), next_cursor });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One registration', responses: { 200: registrationView } }),
    pathParams(idParam),
    async (c) =>
      c.json(
        presentRegistration(await findRegistration(c.env.DB, c.get('auth').orgId, c.req.valid('param').id)),
      ),
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete a registration', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(idParam),
    async (c) => {
      await deleteRegistration(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
