// One delivery attempt: the event's body POSTed to one endpoint with the Standard Webhooks headers,
// signed with every secret that is valid now, and logged in webhook_deliveries whatever happens.
// Deciding what comes next (a retry, the dead letter) is the caller's: the queue consumer's
// (alert-queue.ts) or, for a test event, nobody's.
import type { WebhookDelivery } from '../../db/schema';
import type { DeliveryMessage } from './alert-queue-message';
import { nextDelaySeconds, WEBHOOK_MAX_ATTEMPTS } from './delivery-backoff';
import { openWebhookSecret } from './webhook-secret';
import { signatureHeaders } from './webhook-signature';
import { disableWebhook, findWebhookForDelivery, recordDelivery } from './webhook-store';
import { webhookUrlProblem } from './webhook-url';

export type DeliveryEnv = Pick<Env, 'DB' | 'SECRETS_KEY'>;

/** An endpoint gets this long to answer (the spec recommends 15–30 s); a slower one has failed. */
const DELIVERY_TIMEOUT_MS = 15_000;
const MAX_ERROR_CHARS = 500;
const USER_AGENT = 'DigitalLinkEdge-Webhooks/1.0';

export interface AttemptOutcome {
  /** The logged attempt; undefined when the endpoint is gone or disabled (nothing sent). */
  delivery?: WebhookDelivery;
  /** Seconds until the next attempt, when there is one. */
  retryInSeconds?: number;
}

export interface AttemptOptions {
  /** False for test events: one attempt, never retried. */
  retries: boolean;
  now?: number;
  random?: () => number;
}

export async function attemptDelivery(
  env: DeliveryEnv,
  msg: DeliveryMessage,
  attempt: number,
  options: AttemptOptions,
): Promise<AttemptOutcome> {
  const webhook = await findWebhookForDelivery(env.DB, msg.orgId, msg.webhookId);
  if (!webhook?.enabled) return {}; // deleted or switched off since the fan-out

  const now = options.now ?? Date.now();
  const started = Date.now();
  let responseStatus: number | null = null;
  let retryAfter: string | null = null;
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
        ...(await signatureHeaders(secrets as string[], msg.eventId, Math.floor(now / 1000), msg.body)),
      },
      body: msg.body,
      redirect: 'manual', // a redirect is a misconfigured endpoint, not somewhere to re-send the payload
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    responseStatus = res.status;
    retryAfter = res.headers.get('retry-after');
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
  // 410 Gone: the receiver wants nothing more from us (the spec: disable the endpoint).
  const gone = responseStatus === 410;
  if (gone) {
    await disableWebhook(env.DB, msg.orgId, webhook.id, now);
    error = `${error}; the endpoint answered 410 Gone, so it was disabled`;
  }
  const last = !options.retries || gone || attempt >= WEBHOOK_MAX_ATTEMPTS;
  const retryInSeconds =
    succeeded || last
      ? undefined
      : nextDelaySeconds(attempt, retryAfter, now, (options.random ?? Math.random)());
  const delivery = await recordDelivery(env.DB, {
    orgId: msg.orgId,
    webhookId: msg.webhookId,
    eventId: msg.eventId,
    eventType: msg.eventType,
    alertId: msg.alertId ?? null,
    attempt,
    // A test event's failure is only failed: there is nothing to dead-letter.
    status: succeeded ? 'succeeded' : last && options.retries ? 'dead_lettered' : 'failed',
    responseStatus,
    error: error?.slice(0, MAX_ERROR_CHARS) ?? null,
    durationMs: Date.now() - started,
    nextAttemptAt: retryInSeconds === undefined ? null : now + retryInSeconds * 1000,
    createdAt: now,
  }).catch((err) => {
    console.error('webhook delivery not logged', { webhookId: msg.webhookId, attempt, error: String(err) });
    return undefined;
  });
  return { delivery, retryInSeconds };
}
