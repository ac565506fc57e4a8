// The whole alert path through the Worker: a scan resolved by the fetch handler (with the edge's
// geography) → the ScanCounter's detectors → an alert row in D1 → the alert-events queue → fan-out
// → a signed POST to the brand's endpoint (outbound fetch mocked; the Worker shares this isolate's
// globals), verified here as a receiver would. Failures retry with backoff and end dead-lettered.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventIdOf } from '../../src/alerts/webhooks/alert-queue';
import type { DeliveryMessage } from '../../src/alerts/webhooks/alert-queue-message';
import { retryDelaySeconds, WEBHOOK_MAX_ATTEMPTS } from '../../src/alerts/webhooks/delivery-backoff';
import { verifySignature } from '../../src/alerts/webhooks/webhook-signature';
import { createOrganization, type TestOrg } from '../support/accounts';
import {
  type AlertJson,
  addAlertProduct,
  alertGtin,
  alertsOf,
  createWebhook,
  deliveryMessage,
  runAlertQueue,
} from '../support/alerts';
import { call } from '../support/http';
import { recordScans } from '../support/recorded-scans';
import { addDefaultLink } from '../support/rules';
import { flush, scan } from '../support/scans';

const gtin = (n: number) => alertGtin(100 + n); // this file: 100–199
const TOKYO = {
  country: 'JP',
  region: 'Tokyo',
  city: 'Tokyo',
  latitude: '35.6762',
  longitude: '139.6503',
  timezone: 'Asia/Tokyo',
  colo: 'NRT',
};

interface Received {
  url: string;
  headers: Headers;
  body: string;
}

/** Every request the Worker sent out; `status` decides the mocked endpoint's answer per host. */
const received: Received[] = [];
const answers = new Map<string, number | 'network-error'>();

function mockEndpoints() {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push({ url: request.url, headers: request.headers, body: await request.text() });
    const answer = answers.get(new URL(request.url).host) ?? 200;
    if (answer === 'network-error') throw new TypeError('Network connection lost.');
    return new Response(answer === 200 ? 'ok' : 'endpoint is down', { status: answer });
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  received.length = 0;
  answers.clear();
});

let org: TestOrg;
beforeAll(async () => {
  org = await createOrganization('Hooked Foods');
});

async function deliveries(key: string, webhookId: string) {
  const res = await call('GET', `/v1/webhooks/${webhookId}/deliveries`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ data: Record<string, unknown>[] }>()).data;
}

/** An alert of `org` opened by scans recorded directly (before any webhook exists). */
async function openedAlert(n: number, owner: TestOrg = org): Promise<AlertJson> {
  const g = gtin(n);
  await addAlertProduct(owner.ownerKey, g, { markets: ['FR'] });
  await recordScans([
    {
      keyValue: g,
      orgId: owner.orgId,
      occurredAt: Date.now() - 60_000,
      country: 'JP',
      city: 'Tokyo',
      latitude: 35.68,
      longitude: 139.65,
    },
  ]);
  const [alert] = await alertsOf(owner.ownerKey, g);
  return alert!;
}

describe('alert webhooks', () => {
  it('delivers scan → alert → queue → signed POST, which the receiver verifies', async () => {
    mockEndpoints();
    const g = gtin(1);
    await addAlertProduct(org.ownerKey, g, { markets: ['DE', 'FR'] });
    await addDefaultLink(org.ownerKey, g, 'https://hooked.example/product');
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand-receiver.com/dle?token=t1',
      event_types: ['alert.unauthorised_market'],
    });
    const other = await createWebhook(org.ownerKey, {
      url: 'https://other.brand-receiver.com/dle',
      event_types: ['alert.impossible_travel'],
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    // A consumer in Tokyo scans the product: the resolver answers, capture runs in waitUntil.
    const res = await scan(`/01/${g}/10/LOT7`, {
      headers: {
        'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1',
      },
      cf: TOKYO,
    });
    expect(res.status).toBe(307);
    expect(await flush('01', g)).toBe(true); // the counter's alarm: scans and alerts to D1, the alert onto the queue

    const [alert] = await alertsOf(org.ownerKey, g);
    expect(alert).toMatchObject({ type: 'unauthorised_market', lot: 'LOT7', occurrences: 1 });
    const row = await env.DB.prepare('SELECT org_id, dedupe_key FROM alerts WHERE id = ?')
      .bind(alert!.id)
      .first();
    expect(row).toEqual({ org_id: org.orgId, dedupe_key: `unauthorised_market|${g}|JP` });

    // The queue delivers on its own (batch timeout 1 s): fan-out, then the POST.
    await vi.waitFor(
      () =>
        expect(received.filter((r) => r.url.startsWith('https://hooks.brand-receiver.com/'))).toHaveLength(1),
      { timeout: 15_000, interval: 200 },
    );
    const [post] = received;
    expect(post!.url).toBe('https://hooks.brand-receiver.com/dle?token=t1');
    expect(post!.headers.get('content-type')).toBe('application/json');
    const signature = post!.headers.get('webhook-signature')!;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifySignature(hook.secret, signature, post!.body, Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    expect(await verifySignature(other.secret, signature, post!.body, Math.floor(Date.now() / 1000))).toBe(
      false,
    );
    const event = JSON.parse(post!.body);
    expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'type']);
    expect(event).toMatchObject({
      id: eventIdOf(alert!.id),
      type: 'alert.unauthorised_market',
      created_at: alert!.created_at,
    });
    expect(event.data).toMatchObject({ id: alert!.id, gtin: g, evidence: { country: 'JP' } });
    expect(post!.headers.get('webhook-id')).toBe(event.id);

    // Logged, and only to the endpoint subscribed to this type.
    await vi.waitFor(async () => expect(await deliveries(org.ownerKey, hook.id)).toHaveLength(1), {
      timeout: 5_000,
      interval: 100,
    });
    expect((await deliveries(org.ownerKey, hook.id))[0]).toMatchObject({
      event_id: event.id,
      attempt: 1,
      status: 'succeeded',
      response_status: 200,
      error: null,
    });
    expect(await deliveries(org.ownerKey, other.id)).toEqual([]);
    expect(received.some((r) => r.url.startsWith('https://other.'))).toBe(false);
  });

  it('fans an opened alert out to the subscribed endpoints that existed when it opened, one event for all', async () => {
    mockEndpoints();
    const fanned = await createOrganization('Fanned Foods');
    const hook = (name: string, event_types: string[], extra: Record<string, unknown> = {}) =>
      createWebhook(fanned.ownerKey, { url: `https://${name}.brand-receiver.com/`, event_types, ...extra });
    await hook('early', ['alert.*']);
    await hook('typed', ['alert.unauthorised_market', 'alert.recalled_lot']);
    await hook('travel', ['alert.impossible_travel']);
    await hook('off', ['alert.*'], { enabled: false });
    const alert = await openedAlert(2, fanned); // its flush puts the alert on the queue
    await hook('late', ['alert.*']);
    await vi.waitFor(
      () =>
        expect(received.map((r) => new URL(r.url).host).sort()).toEqual([
          'early.brand-receiver.com',
          'typed.brand-receiver.com',
        ]),
      {
        timeout: 15_000,
        interval: 200,
      },
    );
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(received[0]!.body).id).toBe(eventIdOf(alert.id));
    // Running the fan-out again (a redelivered message) sends the same event again: receivers dedupe by id.
    const sent: DeliveryMessage[] = [];
    vi.spyOn(env.ALERT_EVENTS, 'sendBatch').mockImplementation(async (messages) => {
      sent.push(...[...messages].map((m) => m.body as DeliveryMessage));
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as QueueSendBatchResponse;
    });
    const result = await runAlertQueue([{ kind: 'alert_opened', orgId: fanned.orgId, alertId: alert.id }]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(sent.map((m) => m.eventId)).toEqual([eventIdOf(alert.id), eventIdOf(alert.id)]);
  });

  it('retries failed deliveries with backoff and dead-letters after the last attempt, logging each', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(3, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://down.brand-receiver.com/hook',
      event_types: ['alert.*'],
    });
    answers.set('down.brand-receiver.com', 503);
    const message = deliveryMessage(alert, hook.id, owner.orgId);

    const first = await runAlertQueue([message], 1);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages.map((r) => r.msgId)).toEqual(first.ids);
    expect(first.retryDelays).toEqual({ [first.ids[0]!]: retryDelaySeconds(1) });

    answers.set('down.brand-receiver.com', 'network-error');
    const middle = await runAlertQueue([message], 4);
    expect(middle.retryDelays).toEqual({ [middle.ids[0]!]: retryDelaySeconds(4) });

    // The last attempt fails too: retried once more, which moves it to the dead-letter queue.
    answers.set('down.brand-receiver.com', 500);
    const last = await runAlertQueue([message], WEBHOOK_MAX_ATTEMPTS);
    expect(last.retryMessages.map((r) => r.msgId)).toEqual(last.ids);
    expect(received).toHaveLength(3);
    // Every attempt signed the same body with the current secret.
    for (const r of received)
      expect(
        await verifySignature(
          hook.secret,
          r.headers.get('webhook-signature')!,
          r.body,
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(true);

    const log = await deliveries(owner.ownerKey, hook.id);
    expect(log.map((d) => [d.attempt, d.status, d.response_status])).toEqual([
      [WEBHOOK_MAX_ATTEMPTS, 'dead_lettered', 500],
      [4, 'failed', null],
      [1, 'failed', 503],
    ]);
    expect(log[1]!.error).toContain('Network connection lost');
    expect(log[2]!.error).toBe('HTTP 503: endpoint is down');
    expect(Date.parse(log[2]!.next_attempt_at as string) - Date.parse(log[2]!.created_at as string)).toBe(
      retryDelaySeconds(1) * 1000,
    );
    expect(log[0]!.next_attempt_at).toBeNull();
    const deadOnly = await call('GET', `/v1/webhooks/${hook.id}/deliveries?status=dead_lettered`, {
      key: owner.ownerKey,
    });
    expect((await deadOnly.json<{ data: unknown[] }>()).data).toHaveLength(1);

    // A later success is logged as such and acked.
    answers.set('down.brand-receiver.com', 200);
    const recovered = await runAlertQueue([message], 2);
    expect(recovered.explicitAcks).toEqual(recovered.ids);
    expect((await deliveries(owner.ownerKey, hook.id))[0]).toMatchObject({ attempt: 2, status: 'succeeded' });
  });

  it('signs with the old and the new secret for 24 hours after a rotation', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(4, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://rotating.brand-receiver.com/hook',
      event_types: ['alert.unauthorised_market'],
    });
    const rotated = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { key: owner.ownerKey });
    expect(rotated.status).toBe(200);
    const { secret, previous_secret_expires_at } = await rotated.json<{
      secret: string;
      previous_secret_expires_at: string;
    }>();
    expect(secret).not.toBe(hook.secret);
    expect(Date.parse(previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);

    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId)]);
    const header = received[0]!.headers.get('webhook-signature')!;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    const now = Math.floor(Date.now() / 1000);
    expect(await verifySignature(secret, header, received[0]!.body, now)).toBe(true);
    expect(await verifySignature(hook.secret, header, received[0]!.body, now)).toBe(true);

    // Once the 24 hours are over, only the new secret signs.
    await env.DB.prepare('UPDATE webhooks SET previous_secret_expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, hook.id)
      .run();
    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId)]);
    expect(received[1]!.headers.get('webhook-signature')).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      await verifySignature(
        hook.secret,
        received[1]!.headers.get('webhook-signature')!,
        received[1]!.body,
        now,
      ),
    ).toBe(false);
  });

  it('drops deliveries to endpoints deleted or disabled since the fan-out', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(5, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://gone.brand-receiver.com/hook',
      event_types: ['alert.*'],
      enabled: false,
    });
    const result = await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId)]);
    expect(result.explicitAcks).toEqual(result.ids);
    expect(received).toEqual([]);
  });

  it('never shows one organisation another’s deliveries', async () => {
    const owner = await createOrganization('Hooked Foods');
    const alert = await openedAlert(6, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://private.brand-receiver.com/hook',
      event_types: ['alert.*'],
    });
    mockEndpoints();
    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId)]);
    const stranger = await createOrganization('Nosy Foods');
    const res = await call('GET', `/v1/webhooks/${hook.id}/deliveries`, { key: stranger.ownerKey });
    expect(res.status).toBe(404);
    // A forged message naming another organisation's webhook delivers nothing.
    received.length = 0;
    await runAlertQueue([{ ...deliveryMessage(alert, hook.id, owner.orgId), orgId: stranger.orgId }]);
    expect(received).toEqual([]);
  });
});
