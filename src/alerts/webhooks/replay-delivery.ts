// `POST /v1/webhooks/:id/deliveries/:delivery_id/replay`: a dead-lettered event goes to its endpoint
// again, with the same id and body (receivers dedupe by id) and the whole retry schedule ahead of it.
import { ApiError } from '../../http/api-error';
import type { DeliveryMessage } from './alert-queue-message';
import { findDelivery, findEvent, findWebhook } from './webhook-store';

export async function replayDelivery(
  env: Pick<Env, 'DB' | 'ALERT_EVENTS'>,
  orgId: string,
  webhookId: string,
  deliveryId: string,
) {
  const webhook = await findWebhook(env.DB, orgId, webhookId);
  const delivery = await findDelivery(env.DB, orgId, webhook.id, deliveryId);
  if (delivery.status !== 'dead_lettered')
    throw new ApiError(
      'conflict',
      `Only a dead-lettered delivery can be replayed; this one ${delivery.status === 'succeeded' ? 'succeeded' : 'is still being retried'}`,
    );
  if (!webhook.enabled)
    throw new ApiError('conflict', 'The webhook is disabled; enable it (PATCH "enabled": true) to replay');
  const event = await findEvent(env.DB, orgId, delivery.eventId);
  if (!event)
    throw new ApiError(
      'conflict',
      'The event is no longer kept (events are kept 30 days); it cannot be replayed',
    );
  const message: DeliveryMessage = {
    kind: 'delivery',
    orgId,
    webhookId: webhook.id,
    eventId: event.id,
    eventType: event.type,
    alertId: delivery.alertId,
    body: event.body,
    attempt: 1,
  };
  await env.ALERT_EVENTS.send(message, { contentType: 'json' });
  return { eventId: event.id, eventType: event.type };
}
