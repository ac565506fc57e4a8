// Webhook endpoints and their delivery log in D1, always scoped to one organisation.
import { and, asc, desc, eq, lt, lte, or, type SQL } from 'drizzle-orm';
import { database } from '../../db/client';
import { newId } from '../../db/ids';
import {
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEvent,
  webhookDeliveries,
  webhookEvents,
  webhooks,
} from '../../db/schema';
import { ApiError, notFound } from '../../http/api-error';
import { subscribes } from './webhook-event-types';
import type { WebhookInput, WebhookPatch } from './webhook-input';
import { generateWebhookSecret, sealWebhookSecret } from './webhook-secret';

export { WEBHOOK_DELIVERY_STATUSES } from '../../db/schema';

export const MAX_WEBHOOKS_PER_ORG = 20;
/** After a rotation the previous secret keeps signing this long, so receivers can switch over. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;

export async function createWebhook(
  d1: D1Database,
  secretsKey: string | undefined,
  orgId: string,
  input: WebhookInput,
  now: number,
) {
  const db = database(d1);
  const existing = await db.$count(webhooks, eq(webhooks.orgId, orgId));
  if (existing >= MAX_WEBHOOKS_PER_ORG)
    throw new ApiError('conflict', `An organisation may have at most ${MAX_WEBHOOKS_PER_ORG} webhooks`);
  const id = newId('whk');
  const secret = generateWebhookSecret();
  const row: Webhook = {
    id,
    orgId,
    url: input.url,
    description: input.description ?? null,
    eventTypes: input.event_types,
    enabled: input.enabled,
    secretSealed: await sealWebhookSecret(secretsKey, id, secret),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(webhooks).values(row).run();
  return { row, secret };
}

export async function listWebhooks(d1: D1Database, orgId: string): Promise<Webhook[]> {
  return database(d1)
    .select()
    .from(webhooks)
    .where(eq(webhooks.orgId, orgId))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id))
    .all();
}

export async function findWebhook(d1: D1Database, orgId: string, id: string): Promise<Webhook> {
  const row = await database(d1).query.webhooks.findFirst({
    where: and(eq(webhooks.orgId, orgId), eq(webhooks.id, id)),
  });
  if (!row) throw notFound('Webhook');
  return row;
}

export async function updateWebhook(
  d1: D1Database,
  orgId: string,
  id: string,
  patch: WebhookPatch,
  now: number,
): Promise<Webhook> {
  const [row] = await database(d1)
    .update(webhooks)
    .set({
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.event_types !== undefined && { eventTypes: patch.event_types }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      updatedAt: now,
    })
    .where(and(eq(webhooks.orgId, orgId), eq(webhooks.id, id)))
    .returning();
  if (!row) throw notFound('Webhook');
  return row;
}

export async function deleteWebhook(d1: D1Database, orgId: string, id: string): Promise<void> {
  const deleted = await database(d1)
    .delete(webhooks)
    .where(and(eq(webhooks.orgId, orgId), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  if (deleted.length === 0) throw notFound('Webhook');
}

/** A new current secret; the old one becomes the previous secret, valid for another 24 hours. */
export async function rotateWebhookSecret(
  d1: D1Database,
  secretsKey: string | undefined,
  orgId: string,
  id: string,
  now: number,
) {
  const current = await findWebhook(d1, orgId, id);
  const secret = generateWebhookSecret();
  const [row] = await database(d1)
    .update(webhooks)
    .set({
      secretSealed: await sealWebhookSecret(secretsKey, id, secret),
      previousSecretSealed: current.secretSealed,
      previousSecretExpiresAt: now + PREVIOUS_SECRET_VALID_MS,
      updatedAt: now,
    })
    // Only if nobody rotated in between: two racing rotations must not drop a secret shown to someone.
    .where(
      and(eq(webhooks.orgId, orgId), eq(webhooks.id, id), eq(webhooks.secretSealed, current.secretSealed)),
    )
    .returning();
  if (!row)
    throw new ApiError(
      'conflict',
      'The secret was rotated by another request meanwhile; fetch the webhook and try again',
    );
  return { row, secret };
}

/** Enabled endpoints of the organisation that existed when the alert opened (fan-out). */
export async function webhooksForEvent(d1: D1Database, orgId: string, openedAt: number): Promise<Webhook[]> {
  return database(d1)
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.orgId, orgId), eq(webhooks.enabled, true), lte(webhooks.createdAt, openedAt)))
    .all();
}

/** Whether any enabled endpoint of the organisation receives `eventType` (spares work nobody would see). */
export async function hasSubscriber(d1: D1Database, orgId: string, eventType: string): Promise<boolean> {
  const rows = await database(d1)
    .select({ eventTypes: webhooks.eventTypes })
    .from(webhooks)
    .where(and(eq(webhooks.orgId, orgId), eq(webhooks.enabled, true)))
    .all();
  return rows.some((w) => subscribes(w.eventTypes, eventType));
}

export async function findWebhookForDelivery(
  d1: D1Database,
  orgId: string,
  id: string,
): Promise<Webhook | undefined> {
  return database(d1).query.webhooks.findFirst({
    where: and(eq(webhooks.orgId, orgId), eq(webhooks.id, id)),
  });
}

export async function recordDelivery(
  d1: D1Database,
  delivery: Omit<WebhookDelivery, 'id'>,
): Promise<WebhookDelivery> {
  const row = { id: newId('whd'), ...delivery };
  await database(d1).insert(webhookDeliveries).values(row).run();
  return row;
}

export async function findDelivery(
  d1: D1Database,
  orgId: string,
  webhookId: string,
  id: string,
): Promise<WebhookDelivery> {
  const row = await database(d1).query.webhookDeliveries.findFirst({
    where: and(
      eq(webhookDeliveries.orgId, orgId),
      eq(webhookDeliveries.webhookId, webhookId),
      eq(webhookDeliveries.id, id),
    ),
  });
  if (!row) throw notFound('Delivery');
  return row;
}

/** The receiver answered 410 Gone: no more deliveries until someone enables it again. */
export async function disableWebhook(d1: D1Database, orgId: string, id: string, now: number): Promise<void> {
  await database(d1)
    .update(webhooks)
    .set({ enabled: false, updatedAt: now })
    .where(and(eq(webhooks.orgId, orgId), eq(webhooks.id, id)))
    .run();
}

/** Keeps events' bodies for replays; publishing an event again (a retried fan-out) keeps the first. */
export async function insertEvents(d1: D1Database, events: WebhookEvent[]): Promise<void> {
  const db = database(d1);
  const [first, ...rest] = events.map((e) => db.insert(webhookEvents).values(e).onConflictDoNothing());
  if (first) await db.batch([first, ...rest]);
}

export async function findEvent(
  d1: D1Database,
  orgId: string,
  id: string,
): Promise<WebhookEvent | undefined> {
  return database(d1).query.webhookEvents.findFirst({
    where: and(eq(webhookEvents.orgId, orgId), eq(webhookEvents.id, id)),
  });
}

/** How long an event stays replayable. */
export const WEBHOOK_EVENT_RETENTION_MS = 30 * 24 * 3_600_000;

/** The hourly cron's: events past their retention, a bounded number per run. */
export async function pruneWebhookEvents(d1: D1Database, now: number): Promise<void> {
  await d1
    .prepare(
      'DELETE FROM webhook_events WHERE id IN (SELECT id FROM webhook_events WHERE created_at < ? LIMIT 5000)',
    )
    .bind(now - WEBHOOK_EVENT_RETENTION_MS)
    .run();
}

export interface DeliveryFilters {
  status?: WebhookDeliveryStatus;
  after?: [number, string];
  limit: number;
}

export async function listDeliveries(
  d1: D1Database,
  orgId: string,
  webhookId: string,
  f: DeliveryFilters,
): Promise<WebhookDelivery[]> {
  const where: (SQL | undefined)[] = [
    eq(webhookDeliveries.webhookId, webhookId),
    eq(webhookDeliveries.orgId, orgId),
    f.status && eq(webhookDeliveries.status, f.status),
    f.after &&
      or(
        lt(webhookDeliveries.createdAt, f.after[0]),
        and(eq(webhookDeliveries.createdAt, f.after[0]), lt(webhookDeliveries.id, f.after[1])),
      ),
  ];
  return database(d1)
    .select()
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(f.limit + 1)
    .all();
}
