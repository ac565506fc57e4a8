// Webhook endpoints (PRODUCT.md C9): alerts, recalls, stale stores and link changes, signed as
// Standard Webhooks. Owner or manager keys only: an endpoint receives the organisation's events,
// and its URL may carry a token.
// POST   /v1/webhooks                       {url, event_types, description?, enabled?} → 201, with `secret`
// (shown once)
//   GET    /v1/webhooks
//   GET    /v1/webhooks/:id
//   PATCH  /v1/webhooks/:id                   url, event_types, description, enabled
//   DELETE /v1/webhooks/:id
//   POST   /v1/webhooks/:id/rotate-secret     new `secret` (shown once); the old one keeps signing for 24 h
//   GET    /v1/webhooks/:id/deliveries        every attempt, newest first (filter status; cursor)
//   POST   /v1/webhooks/:id/test              sends a `webhook.test` event now; the attempt, logged
//   POST   /v1/webhooks/:id/deliveries/:delivery_id/replay   a dead-lettered event again → 202
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../../accounts/authenticate';
import type { AppEnv } from '../../http/app-env';
import { documented } from '../../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../../http/page-cursor';
import { listOf, pageOf, timestampOrNull } from '../../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../../http/validate';
import { isoOrNull } from '../../time/iso-time';
import { replayDelivery } from './replay-delivery';
import { sendTestEvent } from './send-test-event';
import { webhookInputSchema, webhookPatchSchema } from './webhook-input';
import { deliveryView, presentDelivery, presentWebhook, webhookView } from './webhook-record';
import { SIGNATURE_HEADER } from './webhook-signature';
import {
  createWebhook,
  deleteWebhook,
  findWebhook,
  listDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  WEBHOOK_DELIVERY_STATUSES,
} from './webhook-store';

const idParam = z.object({ id: z.string().min(1).max(64) });
const deliveryParams = z.object({ id: z.string().min(1).max(64), delivery_id: z.string().min(1).max(64) });
const deliveriesQuery = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

const secretNote = `Store this secret now: it is not shown again. Verify each delivery's ${SIGNATURE_HEADER} header with it, as Standard Webhooks defines (docs/alerts.md).`;

const withSecret = webhookView.extend({
  secret: z.string().meta({ description: 'whsec_…: shown this once' }),
  secret_note: z.string(),
});

export const webhookRoutes = new Hono<AppEnv>()
  .use(requireRole('manager'))
  .post(
    '/',
    documented({
      summary: 'Add a webhook endpoint; its signing secret is shown once',
      responses: { 201: withSecret },
      errors: ['conflict'],
    }),
    jsonBody(webhookInputSchema),
    async (c) => {
      const now = Date.now();
      const { row, secret } = await createWebhook(
        c.env.DB,
        c.env.SECRETS_KEY,
        c.get('auth').orgId,
        c.req.valid('json'),
        now,
      );
      return c.json({ ...presentWebhook(row, now), secret, secret_note: secretNote }, 201);
    },
  )
  .get(
    '/',
    documented({ summary: 'List webhook endpoints', responses: { 200: listOf(webhookView) } }),
    async (c) => {
      const now = Date.now();
      return c.json({
        data: (await listWebhooks(c.env.DB, c.get('auth').orgId)).map((row) => presentWebhook(row, now)),
      });
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One webhook endpoint', responses: { 200: webhookView } }),
    pathParams(idParam),
    async (c) =>
      c.json(
        presentWebhook(await findWebhook(c.env.DB, c.get('auth').orgId, c.req.valid('param').id), Date.now()),
      ),
  )
  .patch(
    '/:id',
    documented({
      summary: 'Change an endpoint (url, event_types, description, enabled)',
      responses: { 200: webhookView },
    }),
    pathParams(idParam),
    jsonBody(webhookPatchSchema),
    async (c) => {
      const now = Date.now();
      return c.json(
        presentWebhook(
          await updateWebhook(
            c.env.DB,
            c.get('auth').orgId,
            c.req.valid('param').id,
            c.req.valid('json'),
            now,
          ),
          now,
        ),
      );
    },
  )
  .delete(
    '/:id',
    documented({ summary: 'Delete an endpoint', responses: { 204: null } }),
    pathParams(idParam),
    async (c) => {
      await deleteWebhook(c.env.DB, c.get('auth').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/rotate-secret',
    documented({
      summary: 'A new signing secret (shown once); the old one keeps signing for 24 h',
      responses: { 200: withSecret.extend({ previous_secret_expires_at: timestampOrNull }) },
      errors: ['conflict'],
    }),
    pathParams(idParam),
    async (c) => {
      const now = Date.now();
      const { row, secret } = await rotateWebhookSecret(
        c.env.DB,
        c.env.SECRETS_KEY,
        c.get('auth').orgId,
        c.req.valid('param').id,
        now,
      );
      return c.json({
        ...presentWebhook(row, now),
        secret,
        secret_note: secretNote,
        previous_secret_expires_at: isoOrNull(row.previousSecretExpiresAt),
      });
    },
  )
  .get(
    '/:id/deliveries',
    documented({ summary: 'Delivery attempts, newest first', responses: { 200: pageOf(deliveryView) } }),
    pathParams(idParam),
    queryParams(deliveriesQuery),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const webhook = await findWebhook(c.env.DB, orgId, c.req.valid('param').id);
      const q = c.req.valid('query');
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()])) : undefined;
      const rows = await listDeliveries(c.env.DB, orgId, webhook.id, {
        status: q.status,
        after,
        limit: q.limit,
      });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.createdAt, row.id]);
      return c.json({ data: data.map(presentDelivery), next_cursor });
    },
  )
  .post(
    '/:id/test',
    documented({
      summary: 'Send a webhook.test event now; the attempt as logged',
      responses: { 200: z.object({ event_id: z.string(), delivery: deliveryView }) },
      errors: ['conflict'],
    }),
    pathParams(idParam),
    async (c) => {
      const { eventId, delivery } = await sendTestEvent(
        c.env,
        c.get('auth').orgId,
        c.req.valid('param').id,
        Date.now(),
      );
      return c.json({ event_id: eventId, delivery: presentDelivery(delivery) });
    },
  )
  .post(
    '/:id/deliveries/:delivery_id/replay',
    documented({
      summary: 'Send a dead-lettered event again',
      responses: {
        202: z.object({
          event_id: z.string(),
          event_type: z.string(),
          replay_of: z.string(),
          status: z.literal('queued'),
        }),
      },
      errors: ['conflict'],
    }),
    pathParams(deliveryParams),
    async (c) => {
      const { id, delivery_id } = c.req.valid('param');
      const replay = await replayDelivery(c.env, c.get('auth').orgId, id, delivery_id);
      return c.json(
        { event_id: replay.eventId, event_type: replay.eventType, replay_of: delivery_id, status: 'queued' },
        202,
      );
    },
  );
