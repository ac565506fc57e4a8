// The alert-events queue consumer (wrangler.toml [[queues.consumers]]), which delivers every
// webhook event.
// - `alert_opened` → reads the alert and publishes its event (publish-event.ts): one `delivery`
//   per subscribed endpoint, same event id and body for all (receivers dedupe by `id`).
// - `delivery` → one attempt (webhook-delivery.ts). A failure is followed by the next attempt of
//   Standard Webhooks' schedule (delivery-backoff.ts), sent as a new message that carries its
//   attempt number and due time: waits of up to 24 h exceed what a Queue message may be delayed,
//   so a message that arrives early is sent on again, attempting nothing. After the last attempt
//   the log row says `dead_lettered`, and `POST …/deliveries/:id/replay` can send it again.
// The queue's own retries (max_retries, then its dead-letter queue) are for this consumer's
// failures (D1 down), not the endpoint's. Delivery is at least once.
import { presentAlert } from '../alert-record';
import { findAlert } from '../alert-store';
import type { AlertOpenedMessage, AlertQueueMessage, DeliveryMessage } from './alert-queue-message';
import { MAX_QUEUE_DELAY_SECONDS } from './delivery-backoff';
import { publishEvent } from './publish-event';
import { attemptDelivery } from './webhook-delivery';
import { eventTypeOfAlert } from './webhook-event-types';

export type AlertQueueEnv = Pick<Env, 'DB' | 'ALERT_EVENTS' | 'SECRETS_KEY'>;

/** The event id of an alert's opening: stable across fan-out retries. */
export const eventIdOf = (alertId: string) => `evt_${alertId.replace(/^alt_/, '')}`;

/** The queue's wait before it hands this consumer a message it failed on again. */
const CONSUMER_RETRY_SECONDS = 30;

export async function handleAlertQueue(batch: MessageBatch<unknown>, env: AlertQueueEnv): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body as AlertQueueMessage;
      try {
        if (body?.kind === 'alert_opened') await fanOut(body, env);
        else if (body?.kind === 'delivery') await deliver(body, message.attempts, env);
        else console.error('alert queue: unknown message, dropped', { id: message.id });
        message.ack();
      } catch (err) {
        // D1 or the queue failed us: try again later (the queue's attempts bound this).
        console.error('alert queue: message failed; will retry', {
          id: message.id,
          kind: body?.kind,
          error: String(err),
        });
        message.retry({ delaySeconds: CONSUMER_RETRY_SECONDS * message.attempts });
      }
    }),
  );
}

async function fanOut(msg: AlertOpenedMessage, env: AlertQueueEnv): Promise<void> {
  const alert = await findAlert(env.DB, msg.orgId, msg.alertId).catch(() => undefined);
  if (!alert) return; // deleted with its organisation
  await publishEvent(env, msg.orgId, {
    id: eventIdOf(alert.id),
    type: eventTypeOfAlert(alert.type),
    at: alert.createdAt,
    data: presentAlert(alert),
    alertId: alert.id,
  });
}

async function deliver(msg: DeliveryMessage, queueAttempts: number, env: AlertQueueEnv): Promise<void> {
  const now = Date.now();
  if (msg.dueAt !== undefined && msg.dueAt > now + 1000) {
    await sendLater(env, msg, Math.ceil((msg.dueAt - now) / 1000));
    return;
  }
  const attempt = msg.attempt ?? queueAttempts;
  const { retryInSeconds } = await attemptDelivery(env, msg, attempt, { retries: true, now });
  if (retryInSeconds === undefined) return;
  await sendLater(env, { ...msg, attempt: attempt + 1, dueAt: now + retryInSeconds * 1000 }, retryInSeconds);
}

const sendLater = (env: AlertQueueEnv, msg: DeliveryMessage, seconds: number) =>
  env.ALERT_EVENTS.send(msg, {
    contentType: 'json',
    delaySeconds: Math.max(0, Math.min(seconds, MAX_QUEUE_DELAY_SECONDS)),
  });
