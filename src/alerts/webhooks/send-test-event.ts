// `POST /v1/webhooks/:id/test`: one `webhook.test` event to one endpoint, sent at once and signed
// like any other, so a receiver can check its verification; the attempt is logged and returned.
// Never retried: the caller sees the outcome and tries again when ready.
import { newId } from '../../db/ids';
import { ApiError } from '../../http/api-error';
import { eventBody } from './publish-event';
import { attemptDelivery, type DeliveryEnv } from './webhook-delivery';
import { TEST_EVENT_TYPE } from './webhook-event-types';
import { findWebhook, insertEvents } from './webhook-store';

export async function sendTestEvent(env: DeliveryEnv, orgId: string, webhookId: string, now: number) {
  const webhook = await findWebhook(env.DB, orgId, webhookId);
  if (!webhook.enabled)
    throw new ApiError('conflict', 'The webhook is disabled; enable it (PATCH "enabled": true) to test it');
  const event = {
    id: newId('evt'),
    type: TEST_EVENT_TYPE,
    at: now,
    data: { webhook_id: webhook.id, message: 'A test event: nothing happened.' },
  };
  const body = eventBody(event);
  await insertEvents(env.DB, [{ id: event.id, orgId, type: event.type, body, createdAt: now }]);
  const { delivery } = await attemptDelivery(
    env,
    { kind: 'delivery', orgId, webhookId: webhook.id, eventId: event.id, eventType: event.type, body },
    1,
    { retries: false, now },
  );
  if (!delivery) throw new ApiError('unavailable', 'The attempt could not be logged; try again');
  return { eventId: event.id, delivery };
}
