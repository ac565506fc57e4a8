// The rules API: where scans go, beyond the GS1 default link (PRODUCT.md C2, brand part).
//   POST   /v1/rules           create (order_index optional: appended to its scope)
//   POST   /v1/rules/bulk      create or replace up to 200 rules by client_key, all or nothing
//   POST   /v1/rules/reorder   a block of rules of one scope target in their new order, all or nothing
//   GET    /v1/rules           list in evaluation order (filter by scope, enabled, gtin, brand_id; cursor)
//   GET    /v1/rules/:id
//   PATCH  /v1/rules/:id       any field; conditions merge (null removes one)
//   DELETE /v1/rules/:id
// Reads: any key; writes: editor and above. Another organisation's rule is a 404.

import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { assertMayPublish } from '../accounts/company-prefix-store';
import { gtinSchema } from '../catalog/gtin';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { zodDetails } from '../http/on-error';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import {
  bulkRulesSchema,
  MAX_BULK_RULES,
  type RuleDraft,
  ruleInputSchema,
  rulePatchSchema,
  toDraft,
} from './rule-input';
import { mergePatch, present, ruleView } from './rule-record';
import {
  createRule,
  deleteRule,
  findRule,
  healthOf,
  listRules,
  RULE_SCOPES,
  reorderRules,
  updateRule,
  upsertRules,
} from './rule-store';

const idParam = z.object({ id: z.string().min(1).max(64) });

const listQuery = z.strictObject({
  scope: z.enum(RULE_SCOPES).optional(),
  enabled: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  gtin: gtinSchema.optional(),
  brand_id: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

const reorderSchema = z.strictObject({
  rule_ids: z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(MAX_BULK_RULES)
    .refine((ids) => new Set(ids).size === ids.length, 'each rule may be listed once'),
});

/** The GTINs rules are about (product, batch and serial scopes): only their prefix holder's rules. */
const ruleKeys = (drafts: readonly RuleDraft[]) =>
  drafts.flatMap((d) => (d.gtin === null ? [] : [{ ai: '01', value: d.gtin }]));

const bulkResult = z.object({
  created: z.number().int(),
  replaced: z.number().int(),
  data: z.array(
    z.object({
      id: z.string(),
      client_key: z.string().nullable(),
      scope: z.enum(RULE_SCOPES),
      order_index: z.number().int(),
      created: z.boolean(),
    }),
  ),
});
const reorderResult = z.object({
  data: z.array(z.object({ id: z.string(), scope: z.enum(RULE_SCOPES), order_index: z.number().int() })),
});

export const ruleRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({
      summary: 'List rules in evaluation order (filters, cursor)',
      responses: { 200: pageOf(ruleView) },
    }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor
        ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string(), z.number().int()]))
        : undefined;
      const rows = await listRules(c.env.DB, c.get('auth').orgId, {
        scope: q.scope,
        enabled: q.enabled,
        gtin: q.gtin,
        brandId: q.brand_id,
        after,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [
        row.scopeRank,
        row.scopeKey,
        row.orderIndex,
      ]);
      const health = await healthOf(c.env.DB, data);
      return c.json({
        data: data.map((row) => present(row, row.healthUrl ? health.get(row.healthUrl) : null)),
        next_cursor,
      });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One rule', responses: { 200: ruleView } }),
    pathParams(idParam),
    async (c) => {
      const row = await findRule(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      const health = await healthOf(c.env.DB, [row]);
      return c.json(present(row, row.healthUrl ? health.get(row.healthUrl) : null));
    },
  )
  .post(
    '/',
    documented({
      summary: 'Create a rule (appended to its scope without order_index)',
      responses: { 201: ruleView },
    }),
    requireRole('editor'),
    jsonBody(ruleInputSchema),
    async (c) => {
      const draft = toDraft(c.req.valid('json'));
      await assertMayPublish(c.env.DB, c.get('auth').orgId, ruleKeys([draft]));
      const row = await createRule(c.env.DB, c.get('auth').orgId, draft);
      return c.json(present(row), 201);
    },
  )
  .post(
    '/bulk',
    documented({
      summary: 'Create or replace up to 200 rules by client_key, all or nothing',
      responses: { 200: bulkResult },
    }),
    requireRole('editor'),
    jsonBody(bulkRulesSchema),
    async (c) => {
      const drafts = c.req.valid('json').rules.map(toDraft);
      await assertMayPublish(c.env.DB, c.get('auth').orgId, ruleKeys(drafts));
      const results = await upsertRules(c.env.DB, c.get('auth').orgId, drafts);
      return c.json({
        created: results.filter((r) => r.created).length,
        replaced: results.filter((r) => !r.created).length,
        data: results.map(({ row, created }) => ({
          id: row.id,
          client_key: row.clientKey,
          scope: row.scope,
          order_index: row.orderIndex,
          created,
        })),
      });
    },
  )
  .post(
    '/reorder',
    documented({
      summary: 'Put a block of rules of one scope target in a new order, all or nothing',
      responses: { 200: reorderResult },
    }),
    requireRole('editor'),
    jsonBody(reorderSchema),
    async (c) => {
      const rows = await reorderRules(c.env.DB, c.get('auth').orgId, c.req.valid('json').rule_ids);
      return c.json({
        data: rows.map((row) => ({ id: row.id, scope: row.scope, order_index: row.orderIndex })),
      });
    },
  )
  .patch(
    '/:id',
    documented({
      summary: 'Change a rule (conditions merge; null removes one)',
      responses: { 200: ruleView },
    }),
    requireRole('editor'),
    pathParams(idParam),
    jsonBody(rulePatchSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const row = await findRule(c.env.DB, orgId, c.req.valid('param').id);
      // The patch is applied to the rule as a client would write it, then checked whole: the same
      // rules (and the same field paths in errors) as a create.
      const merged = ruleInputSchema.safeParse(mergePatch(row, c.req.valid('json')));
      if (!merged.success)
        throw new ApiError('validation_failed', 'The request body is not valid', zodDetails(merged.error));
      const draft = toDraft(merged.data);
      await assertMayPublish(c.env.DB, orgId, ruleKeys([draft]));
      const updated = await updateRule(c.env.DB, orgId, row, draft);
      const health = await healthOf(c.env.DB, [updated]);
      return c.json(present(updated, updated.healthUrl ? health.get(updated.healthUrl) : null));
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete a rule', responses: { 204: null } }),
    requireRole('editor'),
    pathParams(idParam),
    async (c) => {
      await deleteRule(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
