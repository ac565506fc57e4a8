// The alert-events queue consumer (wrangler.toml [[queues.consumers]]).
// - `alert_opened` → reads the alert and the organisation's enabled endpoints subscribed to its
//   type that existed when it opened, and enqueues one `delivery` per endpoint (same event id and
//   body for all: receivers dedupe by `id`).
// - `delivery` → POSTs the body, signed, to the endpoint; logs the attempt in webhook_deliveries;
//   acks on 2xx, otherwise retries with backoff (delivery-backoff.ts). After the last attempt the
//   retry hands the message to the dead-letter queue and the log row says `dead_lettered`.
// Delivery is at least once: a retried fan-out or a lost ack can repeat an event.
import { isoOrNull } from '../../time/iso-time';
import { presentAlert } from '../alert-record';
import { findAlert } from '../alert-store';
import type { AlertOpenedMessage, AlertQueueMessage, DeliveryMessage } from './alert-queue-message';
import { retryDelaySeconds, WEBHOOK_MAX_ATTEMPTS } from './delivery-backoff';
import { eventTypeOf, subscribes } from './webhook-input';
import { openWebhookSecret } from './webhook-secret';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';
import { findWebhookForDelivery, recordDelivery, webhooksForEvent } from './webhook-store';
import { webhookUrlProblem } from './webhook-url';

export type AlertQueueEnv = Pick<Env, 'DB' | 'ALERT_EVENTS' | 'SECRETS_KEY'>;

/** An endpoint gets this long to answer; a slow one counts as failed and is retried. */
const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 500;
const USER_AGENT = 'DigitalLinkEdge-Webhooks/1.0';

/** The event id of an alert's opening: stable across fan-out retries. */
export const eventIdOf = (alertId: string) => `evt_${alertId.replace(/^alt_/, '')}`;

export async function handleAlertQueue(batch: MessageBatch<unknown>, env: AlertQueueEnv): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body as AlertQueueMessage;
      try {
        if (body?.kind === 'alert_opened') await fanOut(body, env);
        else if (body?.kind === 'delivery') {
          const outcome = await deliver(body, message.attempts, env);
          if (outcome === 'retry') {
            message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
            return;
          }
        } else console.error('alert queue: unknown message, dropped', { id: message.id });
        message.ack();
      } catch (err) {
        // D1 or the queue failed us: try again later (the queue's attempts bound this).
        console.error('alert queue: message failed; will retry', {
          id: message.id,
          kind: body?.kind,
          error: String(err),
        });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}

async function fanOut(msg: AlertOpenedMessage, env: AlertQueueEnv): Promise<void> {
  const alert = await findAlert(env.DB, msg.orgId, msg.alertId).catch(() => undefined);
  if (!alert) return; // deleted with its organisation
  const eventType = eventTypeOf(alert.type);
  const endpoints = (await webhooksForEvent(env.DB, msg.orgId, alert.createdAt)).filter((w) =>
    subscribes(w.eventTypes, eventType),
  );
  if (endpoints.length === 0) return;
  const eventId = eventIdOf(alert.id);
  const body = JSON.stringify({
    id: eventId,
    type: eventType,
    created_at: isoOrNull(alert.createdAt),
    data: presentAlert(alert),
  });
  const deliveries = endpoints.map((w): { body: DeliveryMessage; contentType: 'json' } => ({
    body: {
      kind: 'delivery',
      orgId: msg.orgId,
      webhookId: w.id,
      eventId,
      eventType,
      alertId: alert.id,
      body,
    },
    contentType: 'json',
  }));
  for (let i = 0; i < deliveries.length; i += 100)
    await env.ALERT_EVENTS.sendBatch(deliveries.slice(i, i + 100));
}

type DeliveryOutcome = 'done' | 'retry';

async function deliver(msg: DeliveryMessage, attempt: number, env: AlertQueueEnv): Promise<DeliveryOutcome> {
  const webhook = await findWebhookForDelivery(env.DB, msg.orgId, msg.webhookId);
  if (!webhook?.enabled) return 'done'; // deleted or switched off since the fan-out

  const now = Date.now();
  const started = Date.now();
  let responseStatus: number | null = null;
  let error: string | null = null;
  try {
    const secrets = [await openWebhookSecret(env.SECRETS_KEY, webhook.id, webhook.secretSealed)];
    if (webhook.previousSecretSealed && (webhook.previousSecretExpiresAt ?? 0) > now) {
      secrets.push(await openWebhookSecret(env.SECRETS_KEY, webhook.id, webhook.previousSecretSealed));
    }
    if (secrets.some((s) => s === undefined))
      throw new Error('the signing secret does not open with SECRETS_KEY; rotate the secret');
    const problem = webhookUrlProblem(webhook.url);
    if (problem) throw new Error(`the endpoint URL ${problem}`);
    const res = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': msg.eventId,
        [SIGNATURE_HEADER]: await signatureHeader(secrets as string[], Math.floor(now / 1000), msg.body),
      },
      body: msg.body,
      redirect: 'manual', // a redirect is a misconfigured endpoint, not somewhere to re-send the payload
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    responseStatus = res.status;
    if (res.status < 200 || res.status > 299) {
      const text = (await res.text().catch(() => '')).slice(0, 200);
      error = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
    } else await res.body?.cancel();
  } catch (err) {
    error =
      err instanceof Error
        ? `${err.name === 'TimeoutError' ? 'timed out: ' : ''}${err.message}`
        : String(err);
  }

  const succeeded = error === null;
  const last = attempt >= WEBHOOK_MAX_ATTEMPTS;
  const delay = retryDelaySeconds(attempt);
  await recordDelivery(env.DB, {
    orgId: msg.orgId,
    webhookId: msg.webhookId,
    eventId: msg.eventId,
    eventType: msg.eventType,
    alertId: msg.alertId,
    attempt,
    status: succeeded ? 'succeeded' : last ? 'dead_lettered' : 'failed',
    responseStatus,
    error: error?.slice(0, MAX_ERROR_CHARS) ?? null,
    durationMs: Date.now() - started,
    nextAttemptAt: succeeded || last ? null : now + delay * 1000,
    createdAt: now,
  }).catch((err) =>
    console.error('webhook delivery not logged', { webhookId: msg.webhookId, attempt, error: String(err) }),
  );
  // The last failure is retried too: the queue, out of attempts, moves it to the dead-letter queue.
  return succeeded ? 'done' : 'retry';
}
