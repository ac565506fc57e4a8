// Alerts fixtures: products with markets and recalls, alert and webhook calls through the API,
// scans recorded at chosen instants (recordScans), and the alert queue's handler called the way
// the Queue calls it.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { eventIdOf } from '../../src/alerts/webhooks/alert-queue';
import type { AlertQueueMessage, DeliveryMessage } from '../../src/alerts/webhooks/alert-queue-message';
import worker from '../../src/index';
import { call } from './http';
import { testGtin } from './rules';

/** GTINs of the alerts tests: testGtin(77_000 + n); each test file takes its own hundred. */
export const alertGtin = (n: number) => testGtin(77_000 + n);

export interface ProductFacts {
  markets?: string[];
  recalledLots?: { lot: string; reason?: string }[];
  status?: 'active' | 'recalled' | 'discontinued';
}

export async function addAlertProduct(key: string, gtin: string, facts: ProductFacts = {}): Promise<void> {
  const res = await call('POST', '/v1/products', {
    key,
    body: {
      gtin,
      status: facts.status ?? 'active',
      fields: { name: { value: `Product ${gtin}` } },
      authorised_markets: facts.markets ?? [],
      recalled_lots: facts.recalledLots ?? [],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

export interface AlertJson {
  id: string;
  type: string;
  severity: string;
  status: string;
  gtin: string;
  lot: string | null;
  serial: string | null;
  occurrences: number;
  first_seen_at: string;
  last_seen_at: string;
  evidence: Record<string, unknown> & { scans: Record<string, unknown>[] };
  created_at: string;
  acknowledged_at: string | null;
}

export async function listAlerts(
  key: string,
  query = '',
): Promise<{ data: AlertJson[]; next_cursor: string | null }> {
  const res = await call('GET', `/v1/alerts${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

export async function alertsOf(key: string, gtin: string): Promise<AlertJson[]> {
  return (await listAlerts(key, `?gtin=${gtin}&limit=200`)).data;
}

export async function putSettings(key: string, settings: Record<string, unknown>): Promise<void> {
  const res = await call('PUT', '/v1/alerts/settings', { key, body: settings });
  expect(res.status, await res.clone().text()).toBe(200);
}

export interface WebhookJson {
  id: string;
  url: string;
  event_types: string[];
  enabled: boolean;
  secret?: string;
  previous_secret_expires_at: string | null;
}

export async function createWebhook(
  key: string,
  body: Record<string, unknown>,
): Promise<WebhookJson & { secret: string }> {
  const res = await call('POST', '/v1/webhooks', { key, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** The delivery message the fan-out would enqueue for `alert` and one endpoint of `orgId`. */
export function deliveryMessage(
  alert: AlertJson,
  webhookId: string,
  orgId: string,
  attempt = 1,
): DeliveryMessage {
  const eventType = `alert.${alert.type}`;
  const body = JSON.stringify({
    id: eventIdOf(alert.id),
    type: eventType,
    timestamp: alert.created_at,
    data: alert,
  });
  return {
    kind: 'delivery',
    orgId,
    webhookId,
    eventId: eventIdOf(alert.id),
    eventType,
    alertId: alert.id,
    body,
    attempt,
  };
}

/** A stand-in for the alert-events queue that keeps what the consumer sends on (its retries). */
export function capturingQueue() {
  const sent: { body: DeliveryMessage; delaySeconds: number | undefined }[] = [];
  const queue = {
    async send(body: DeliveryMessage, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<DeliveryMessage>>) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds });
    },
  };
  return { sent, queue: queue as unknown as Queue };
}

/**
 * Runs the Worker's queue() handler on `messages` as delivery number `attempts`, and what it acked
 * or retried. `retryDelays` has the delay each retry asked for (getQueueResult does not keep it).
 * `vars` replaces bindings or vars for this run (another SECRETS_KEY, a failing D1).
 */
export async function runAlertQueue(
  messages: AlertQueueMessage[],
  attempts = 1,
  vars: Partial<Env> = {},
): Promise<QueueResult & { ids: string[]; retryDelays: Record<string, number | undefined> }> {
  const ids = messages.map((_, i) => `msg-${crypto.randomUUID()}-${i}`);
  const batch = createMessageBatch<AlertQueueMessage>(
    'dle-alert-events',
    messages.map((body, i) => ({ id: ids[i]!, timestamp: new Date(), attempts, body })),
  );
  const retryDelays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      retryDelays[message.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await (worker.queue as ExportedHandlerQueueHandler<Env>)(
    batch as MessageBatch<unknown>,
    { ...env, ...vars },
    ctx,
  );
  return { ...(await getQueueResult(batch, ctx)), ids, retryDelays };
}
