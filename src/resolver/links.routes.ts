// The links API: what the resolver answers for each key and level of the organisation.
//   PUT    /v1/links          create or replace one entity (by anchor) with its links
//   POST   /v1/links/bulk     the same for up to 500 entities, all or nothing
//   GET    /v1/links          list (filter by key, cursor pagination)
//   GET    /v1/links/:id      one entity with its links
//   DELETE /v1/links/:id

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { gs1Key, pageOf, timestamp } from '../http/response-schemas';
import { bulkBody, jsonBody, pathParams, queryParams } from '../http/validate';
import { isoOrNull } from '../time/iso-time';
import { linkCsv } from './link-csv';
import { publishLinkChanges, publishLinkDeleted } from './link-events';
import { entityInputSchema, type InputProblem, type NormalizedEntity, normalizeEntity } from './link-input';
import {
  anchorOf,
  type DlLinkRow,
  deleteEntity,
  findEntity,
  listEntities,
  type StoredEntity,
  upsertEntities,
} from './link-store';
import { linkView } from './link-view';

export const MAX_BULK_ENTITIES = 500;

/** One identification level of a GS1 key with its links (`present`). */
const entityView = z
  .object({
    id: z.string(),
    anchor: z
      .string()
      .meta({ description: "The entity's Digital Link path, e.g. /01/09506000134352/10/ABC" }),
    key: gs1Key,
    item_description: z.string().nullable(),
    links: z.array(linkView),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'LinkEntity' });

const bulkResult = z.object({
  created: z.number().int(),
  replaced: z.number().int(),
  data: z.array(z.object({ id: z.string(), anchor: z.string(), created: z.boolean() })),
});

function presentLink(l: DlLinkRow) {
  return {
    id: l.id,
    link_type: l.linkType,
    href: l.href,
    title: l.title,
    hreflang: JSON.parse(l.hreflang) as string[],
    context: JSON.parse(l.context) as string[],
    media_type: l.mediaType,
    default: l.isDefault,
    forward_query: l.forwardQuery,
  };
}

function present({ entity, links }: StoredEntity) {
  return {
    id: entity.id,
    anchor: anchorOf(entity),
    key: { ai: entity.keyAi, value: entity.keyValue },
    item_description: entity.itemDescription,
    links: links.map(presentLink),
    created_at: isoOrNull(entity.createdAt),
    updated_at: isoOrNull(entity.updatedAt),
  };
}

function normalizeAll(
  inputs: z.infer<typeof entityInputSchema>[],
  prefix: (i: number) => string,
): NormalizedEntity[] {
  const problems: InputProblem[] = [];
  const entities: NormalizedEntity[] = [];
  inputs.forEach((input, i) => {
    const result = normalizeEntity(input, prefix(i));
    if (result.ok) entities.push(result.value);
    else problems.push(...result.problems);
  });
  if (problems.length > 0) throw new ApiError('validation_failed', 'The links are not valid', problems);
  return entities;
}

const bulkLinksSchema = z.strictObject({
  entries: z.array(entityInputSchema).min(1).max(MAX_BULK_ENTITIES),
});

const idParam = z.object({ id: z.string().min(1).max(64) });
const listQuery = z.strictObject({
  key_ai: z
    .string()
    .regex(/^\d{2,4}$/)
    .optional(),
  key_value: z.string().min(1).max(90).optional(),
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const linkRoutes = new Hono<AppEnv>()
  .put(
    '/',
    documented({
      summary: 'Create or replace one entity (by its anchor) with its links',
      responses: { 200: { description: 'Replaced', body: entityView }, 201: entityView },
    }),
    requireRole('editor'),
    jsonBody(entityInputSchema),
    async (c) => {
      const [entity] = normalizeAll([c.req.valid('json')], () => '');
      await assertMayPublish(c.env.DB, c.get('auth').orgId, [entity!.primaryKey]);
      const [result] = await upsertEntities(c.env.DB, c.get('auth').orgId, [entity!]);
      await publishLinkChanges(c.env, c.get('auth').orgId, [result!]);
      return c.json(present(result!.stored), result!.created ? 201 : 200);
    },
  )
  .post(
    '/bulk',
    documented({
      summary: 'Create or replace up to 500 entities, all or nothing (JSON, or CSV with a row per link)',
      responses: { 200: bulkResult },
    }),
    requireRole('editor'),
    bulkBody(bulkLinksSchema, linkCsv(MAX_BULK_ENTITIES)),
    async (c) => {
      const entities = normalizeAll(c.req.valid('json').entries, (i) => `entries.${i}.`);
      await assertMayPublish(
        c.env.DB,
        c.get('auth').orgId,
        entities.map((e) => e.primaryKey),
      );
      const results = await upsertEntities(c.env.DB, c.get('auth').orgId, entities);
      await publishLinkChanges(c.env, c.get('auth').orgId, results);
      return c.json({
        created: results.filter((r) => r.created).length,
        replaced: results.filter((r) => !r.created).length,
        data: results.map((r) => ({
          id: r.stored.entity.id,
          anchor: anchorOf(r.stored.entity),
          created: r.created,
        })),
      });
    },
  )
  .get(
    '/',
    documented({
      summary: 'List entities (filter by key; cursor `after`)',
      responses: { 200: pageOf(entityView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listEntities(c.env.DB, c.get('auth').orgId, {
        keyAi: q.key_ai,
        keyValue: q.key_value,
        after: q.after,
        limit: q.limit,
      });
      const next = page.length === q.limit ? page[page.length - 1]!.entity.id : null;
      return c.json({ data: page.map(present), next_cursor: next });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One entity with its links', responses: { 200: entityView } }),
    pathParams(idParam),
    async (c) => c.json(present(await findEntity(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete an entity and its links', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(idParam),
    async (c) => {
      const entity = await deleteEntity(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      await publishLinkDeleted(c.env, c.get('auth').orgId, entity);
      return c.body(null, 204);
    },
  );
