// Publishing webhook events: the organisation's enabled endpoints that subscribe to an event's type
// (and existed when it happened) each get one `delivery` message on the queue, all with the same id
// and body; the event is kept in webhook_events, so a dead-lettered delivery can be sent again.
import { isoOrNull } from '../../time/iso-time';
import type { DeliveryMessage } from './alert-queue-message';
import { subscribes } from './webhook-event-types';
import { insertEvents, webhooksForEvent } from './webhook-store';

export type PublishEnv = Pick<Env, 'DB' | 'ALERT_EVENTS'>;

export interface NewEvent {
  /** `evt_…`: stable for an event that may be published twice (an alert's opening). */
  id: string;
  type: string;
  /** When it happened, epoch ms: the payload's `timestamp`. */
  at: number;
  data: unknown;
  alertId?: string;
}

/** The body every endpoint receives (Standard Webhooks' payload structure: type, timestamp, data). */
export const eventBody = (event: NewEvent) =>
  JSON.stringify({ id: event.id, type: event.type, timestamp: isoOrNull(event.at), data: event.data });

// Queues take at most 100 messages and 256 KB per sendBatch; bodies here stay far below either.
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 200_000;

/** Sends each event to its subscribers; how many deliveries were queued (0: nobody subscribes, nothing kept). */
export async function publishEvents(env: PublishEnv, orgId: string, events: NewEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const endpoints = await webhooksForEvent(env.DB, orgId, Math.max(...events.map((e) => e.at)));
  const messages: DeliveryMessage[] = [];
  const kept: { id: string; orgId: string; type: string; body: string; createdAt: number }[] = [];
  for (const event of events) {
    const to = endpoints.filter((w) => w.createdAt <= event.at && subscribes(w.eventTypes, event.type));
    if (to.length === 0) continue;
    const body = eventBody(event);
    kept.push({ id: event.id, orgId, type: event.type, body, createdAt: event.at });
    for (const w of to)
      messages.push({
        kind: 'delivery',
        orgId,
        webhookId: w.id,
        eventId: event.id,
        eventType: event.type,
        alertId: event.alertId ?? null,
        body,
        attempt: 1,
      });
  }
  if (kept.length === 0) return 0;
  await insertEvents(env.DB, kept);
  let batch: { body: DeliveryMessage; contentType: 'json' }[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.body.length + 500;
    if (batch.length === MAX_BATCH_MESSAGES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      await env.ALERT_EVENTS.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ body: message, contentType: 'json' });
    bytes += size;
  }
  if (batch.length > 0) await env.ALERT_EVENTS.sendBatch(batch);
  return messages.length;
}

export const publishEvent = (env: PublishEnv, orgId: string, event: NewEvent) =>
  publishEvents(env, orgId, [event]);

/**
 * For writes through the API (a product recalled, links changed): the write has happened, so a
 * failure to publish is logged rather than turned into an error the client would retry the write for.
 */
export async function publishAfterWrite(env: PublishEnv, orgId: string, events: NewEvent[]): Promise<void> {
  await publishEvents(env, orgId, events).catch((err) =>
    console.error('webhook events not published', {
      orgId,
      types: [...new Set(events.map((e) => e.type))],
      error: String(err),
    }),
  );
}

/** Splits a long list into events of at most `size` entries each, so every body stays small. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
