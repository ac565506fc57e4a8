// The whole alert path through the Worker: a scan resolved by the fetch handler (with the edge's
// geography) → the ScanCounter's detectors → an alert row in D1 → the alert-events queue → fan-out
// → a POST to the brand's endpoint signed as Standard Webhooks, verified here with the
// `standardwebhooks` library as a receiver would. Failures follow the spec's retry schedule and end
// dead-lettered.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventIdOf } from '../../src/alerts/webhooks/alert-queue';
import type { DeliveryMessage } from '../../src/alerts/webhooks/alert-queue-message';
import {
  MAX_QUEUE_DELAY_SECONDS,
  retryDelaySeconds,
  WEBHOOK_MAX_ATTEMPTS,
} from '../../src/alerts/webhooks/delivery-backoff';
import { createOrganization, type TestOrg } from '../support/accounts';
import {
  type AlertJson,
  addAlertProduct,
  alertGtin,
  alertsOf,
  capturingQueue,
  createWebhook,
  deliveryMessage,
  runAlertQueue,
} from '../support/alerts';
import { call } from '../support/http';
import { recordScans } from '../support/recorded-scans';
import { addDefaultLink } from '../support/rules';
import { flush, scan } from '../support/scans';
import {
  answers,
  mockEndpoints,
  received,
  receivedBy,
  resetEndpoints,
  verified,
  verifies,
} from '../support/webhook-receiver';

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

afterEach(resetEndpoints);

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
  it('delivers scan → alert → queue → a POST the standardwebhooks library verifies', async () => {
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
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

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
    await vi.waitFor(() => expect(receivedBy('hooks.brand-receiver.com')).toHaveLength(1), {
      timeout: 15_000,
      interval: 200,
    });
    const [post] = received;
    expect(post!.url).toBe('https://hooks.brand-receiver.com/dle?token=t1');
    expect(post!.headers.get('content-type')).toBe('application/json');
    expect(post!.headers.get('webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Number(post!.headers.get('webhook-timestamp'))).toBeCloseTo(Date.now() / 1000, -2);
    const event = verified(hook.secret, post!);
    expect(verifies(other.secret, post!)).toBe(false);
    expect(Object.keys(event).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
    expect(event).toMatchObject({
      id: eventIdOf(alert!.id),
      type: 'alert.unauthorised_market',
      timestamp: alert!.created_at,
    });
    expect(event.data).toMatchObject({ id: alert!.id, gtin: g, evidence: { country: 'JP' } });
    expect(post!.headers.get('webhook-id')).toBe(event.id);
    // The event is kept for replays, as sent.
    const kept = await env.DB.prepare('SELECT org_id, type, body FROM webhook_events WHERE id = ?')
      .bind(event.id)
      .first();
    expect(kept).toEqual({ org_id: org.orgId, type: 'alert.unauthorised_market', body: post!.body });

    // Logged, and only to the endpoint subscribed to this type.
    await vi.waitFor(async () => expect(await deliveries(org.ownerKey, hook.id)).toHaveLength(1), {
      timeout: 5_000,
      interval: 100,
    });
    expect((await deliveries(org.ownerKey, hook.id))[0]).toMatchObject({
      event_id: event.id,
      event_type: 'alert.unauthorised_market',
      alert_id: alert!.id,
      attempt: 1,
      status: 'succeeded',
      response_status: 200,
      error: null,
    });
    expect(await deliveries(org.ownerKey, other.id)).toEqual([]);
    expect(receivedBy('other.brand-receiver.com')).toEqual([]);
  });

  it('fans an opened alert out to the subscribed endpoints that existed when it opened, one event for all', async () => {
    mockEndpoints();
    const fanned = await createOrganization('Fanned Foods');
    const hook = (name: string, event_types: string[], extra: Record<string, unknown> = {}) =>
      createWebhook(fanned.ownerKey, { url: `https://${name}.brand-receiver.com/`, event_types, ...extra });
    await hook('early', ['alert.*']);
    await hook('everything', ['*']);
    await hook('typed', ['alert.unauthorised_market', 'alert.recalled_lot']);
    await hook('travel', ['alert.impossible_travel']);
    await hook('products', ['product.*', 'link.changed']);
    await hook('off', ['alert.*'], { enabled: false });
    const alert = await openedAlert(2, fanned); // its flush puts the alert on the queue
    await hook('late', ['alert.*']);
    await vi.waitFor(
      () =>
        expect(received.map((r) => new URL(r.url).host).sort()).toEqual([
          'early.brand-receiver.com',
          'everything.brand-receiver.com',
          'typed.brand-receiver.com',
        ]),
      { timeout: 15_000, interval: 200 },
    );
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers.get('webhook-id'))).size).toBe(1);
    expect(JSON.parse(received[0]!.body).id).toBe(eventIdOf(alert.id));
    // Running the fan-out again (a redelivered message) sends the same event again: receivers dedupe by id.
    const { queue, sent } = capturingQueue();
    const result = await runAlertQueue(
      [{ kind: 'alert_opened', orgId: fanned.orgId, alertId: alert.id }],
      1,
      {
        ALERT_EVENTS: queue,
      },
    );
    expect(result.explicitAcks).toEqual(result.ids);
    expect(sent.map((m) => [m.body.eventId, m.body.attempt])).toEqual([
      [eventIdOf(alert.id), 1],
      [eventIdOf(alert.id), 1],
      [eventIdOf(alert.id), 1],
    ]);
    // … and keeps the event once.
    const kept = await env.DB.prepare('SELECT count(*) AS n FROM webhook_events WHERE id = ?')
      .bind(eventIdOf(alert.id))
      .first<{ n: number }>();
    expect(kept!.n).toBe(1);
  });

  it('retries on the Standard Webhooks schedule, with jitter, and dead-letters after the tenth attempt', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(3, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://down.brand-receiver.com/hook',
      event_types: ['alert.*'],
    });
    answers.set('down.brand-receiver.com', 503);
    const { queue, sent } = capturingQueue();
    const run = (message: DeliveryMessage) => runAlertQueue([message], 1, { ALERT_EVENTS: queue });

    // Attempt 1 fails: acked, and attempt 2 is sent on for 5 s later (plus up to a tenth).
    const before = Date.now();
    const first = await run(deliveryMessage(alert, hook.id, owner.orgId, 1));
    expect(first.explicitAcks).toEqual(first.ids);
    expect(first.retryMessages).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({
      attempt: 2,
      eventId: eventIdOf(alert.id),
      body: sent[0]!.body.body,
    });
    expect(sent[0]!.delaySeconds).toBeGreaterThanOrEqual(5);
    expect(sent[0]!.delaySeconds).toBeLessThanOrEqual(6);
    expect(sent[0]!.body.dueAt! - before).toBeGreaterThanOrEqual(5_000);

    // Attempt 4 meets a network error: 2 h (and its jitter) until attempt 5.
    answers.set('down.brand-receiver.com', 'network-error');
    await run(deliveryMessage(alert, hook.id, owner.orgId, 4));
    expect(sent[1]!.body.attempt).toBe(5);
    expect(sent[1]!.delaySeconds).toBeGreaterThanOrEqual(retryDelaySeconds(4));
    expect(sent[1]!.delaySeconds).toBeLessThanOrEqual(retryDelaySeconds(4) * 1.1);

    // After attempt 8 the wait is 20 h, longer than a Queue delay: the message travels in hops of at
    // most 12 h, and an early arrival only sends it on, attempting nothing.
    answers.set('down.brand-receiver.com', 500);
    await run(deliveryMessage(alert, hook.id, owner.orgId, 8));
    const long = sent[2]!;
    expect(long.body.attempt).toBe(9);
    expect(long.delaySeconds).toBe(MAX_QUEUE_DELAY_SECONDS);
    expect(long.body.dueAt! - Date.now()).toBeGreaterThan(retryDelaySeconds(8) * 1000 - 60_000);
    const postsSoFar = received.length;
    const hop = await run(long.body);
    expect(hop.explicitAcks).toEqual(hop.ids);
    expect(received).toHaveLength(postsSoFar);
    expect(sent[3]!.body).toEqual(long.body);
    expect(sent[3]!.delaySeconds).toBeGreaterThan(retryDelaySeconds(8) - MAX_QUEUE_DELAY_SECONDS - 60);
    expect(sent[3]!.delaySeconds).toBeLessThanOrEqual(MAX_QUEUE_DELAY_SECONDS);

    // The last attempt fails too: dead-lettered, nothing sent on.
    await run(deliveryMessage(alert, hook.id, owner.orgId, WEBHOOK_MAX_ATTEMPTS));
    expect(sent).toHaveLength(4);
    // Every attempt was signed over the same body with the current secret.
    expect(received).toHaveLength(4);
    for (const r of received) expect(verifies(hook.secret, r)).toBe(true);

    const log = await deliveries(owner.ownerKey, hook.id);
    expect(log.map((d) => [d.attempt, d.status, d.response_status])).toEqual([
      [WEBHOOK_MAX_ATTEMPTS, 'dead_lettered', 500],
      [8, 'failed', 500],
      [4, 'failed', null],
      [1, 'failed', 503],
    ]);
    expect(log[2]!.error).toContain('Network connection lost');
    expect(log[3]!.error).toBe('HTTP 503: endpoint is down');
    const wait = Date.parse(log[3]!.next_attempt_at as string) - Date.parse(log[3]!.created_at as string);
    expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(wait).toBeLessThanOrEqual(5_500);
    expect(log[0]!.next_attempt_at).toBeNull();
    const deadOnly = await call('GET', `/v1/webhooks/${hook.id}/deliveries?status=dead_lettered`, {
      key: owner.ownerKey,
    });
    expect((await deadOnly.json<{ data: unknown[] }>()).data).toHaveLength(1);

    // A later success is logged as such and acked, with nothing sent on.
    answers.set('down.brand-receiver.com', 200);
    const recovered = await run(deliveryMessage(alert, hook.id, owner.orgId, 2));
    expect(recovered.explicitAcks).toEqual(recovered.ids);
    expect(sent).toHaveLength(4);
    expect((await deliveries(owner.ownerKey, hook.id))[0]).toMatchObject({ attempt: 2, status: 'succeeded' });
  });

  it('waits as long as Retry-After asks, and disables an endpoint that answers 410 Gone', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(7, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://busy.brand-receiver.com/hook',
      event_types: ['alert.*'],
    });
    const { queue, sent } = capturingQueue();
    answers.set('busy.brand-receiver.com', { status: 429, headers: { 'retry-after': '900' } });
    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId, 1)], 1, { ALERT_EVENTS: queue });
    expect(sent[0]!.delaySeconds).toBe(900);

    answers.set('busy.brand-receiver.com', 410);
    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId, 2)], 1, { ALERT_EVENTS: queue });
    expect(sent).toHaveLength(1);
    const [gone] = await deliveries(owner.ownerKey, hook.id);
    expect(gone).toMatchObject({ attempt: 2, status: 'dead_lettered', response_status: 410 });
    expect(gone!.error).toContain('disabled');
    const shown = await (await call('GET', `/v1/webhooks/${hook.id}`, { key: owner.ownerKey })).json<{
      enabled: boolean;
    }>();
    expect(shown.enabled).toBe(false);
  });

  it('counts with the queue’s attempts a message enqueued before the consumer scheduled retries', async () => {
    const owner = await createOrganization('Hooked Foods');
    mockEndpoints();
    const alert = await openedAlert(8, owner);
    const hook = await createWebhook(owner.ownerKey, {
      url: 'https://legacy.brand-receiver.com/hook',
      event_types: ['alert.*'],
    });
    answers.set('legacy.brand-receiver.com', 500);
    const { queue, sent } = capturingQueue();
    const { attempt: _, ...old } = deliveryMessage(alert, hook.id, owner.orgId);
    await runAlertQueue([old], 3, { ALERT_EVENTS: queue });
    expect(sent[0]!.body.attempt).toBe(4);
    expect((await deliveries(owner.ownerKey, hook.id))[0]).toMatchObject({ attempt: 3, status: 'failed' });
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
    expect(received[0]!.headers.get('webhook-signature')).toMatch(
      /^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/,
    );
    expect(verifies(secret, received[0]!)).toBe(true);
    expect(verifies(hook.secret, received[0]!)).toBe(true);

    // Once the 24 hours are over, only the new secret signs.
    await env.DB.prepare('UPDATE webhooks SET previous_secret_expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, hook.id)
      .run();
    await runAlertQueue([deliveryMessage(alert, hook.id, owner.orgId)]);
    expect(received[1]!.headers.get('webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifies(secret, received[1]!)).toBe(true);
    expect(verifies(hook.secret, received[1]!)).toBe(false);
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
