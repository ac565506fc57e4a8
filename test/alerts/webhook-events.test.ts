// Webhook events beyond alerts, through the Worker: `product.recalled` from the products API,
// `link.changed` from the links API, `inventory.stale` from the hourly cron, the test event, and
// the replay of a dead-lettered delivery. Every delivery the real queue makes is verified with the
// `standardwebhooks` library, as a receiver would.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS } from '../../src/alerts/webhooks/delivery-backoff';
import { publishEvent } from '../../src/alerts/webhooks/publish-event';
import { newId } from '../../src/db/ids';
import { reportStaleLocations } from '../../src/inventory/stale-locations';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { alertGtin, capturingQueue, createWebhook, runAlertQueue } from '../support/alerts';
import { call, expectError } from '../support/http';
import { createLocation } from '../support/inventory';
import {
  answers,
  mockEndpoints,
  type Received,
  receivedBy,
  resetEndpoints,
  verified,
} from '../support/webhook-receiver';

const gtin = (n: number) => alertGtin(500 + n); // this file: 500–599
const HOUR = 3_600_000;

// Deliveries come from the real queue (its batch timeout is a second), and some tests wait to be
// sure nothing more arrives.
vi.setConfig({ testTimeout: 30_000 });

let org: TestOrg;
beforeEach(async () => {
  org = await createOrganization('Eventful Foods');
  mockEndpoints();
});
afterEach(resetEndpoints);

/** Waits for `count` requests to `host` from the real queue. */
async function arrivals(host: string, count = 1): Promise<Received[]> {
  await vi.waitFor(() => expect(receivedBy(host)).toHaveLength(count), { timeout: 15_000, interval: 100 });
  return receivedBy(host);
}

/** Gives the queue time to deliver anything it still might, then checks that `host` got only `count`. */
async function noMoreThan(host: string, count: number) {
  await new Promise((r) => setTimeout(r, 2_500));
  expect(receivedBy(host)).toHaveLength(count);
}

async function deliveries(webhookId: string, key = org.ownerKey) {
  const res = await call('GET', `/v1/webhooks/${webhookId}/deliveries`, { key });
  expect(res.status).toBe(200);
  return (await res.json<{ data: Record<string, unknown>[] }>()).data;
}

describe('product.recalled', () => {
  it('goes out when a product is created recalled, gains recalled lots, or becomes recalled', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://recalls.receiver-brand.com/hook',
      event_types: ['product.*'],
    });
    const g = gtin(1);
    const created = await call('POST', '/v1/products', {
      key: org.ownerKey,
      body: {
        gtin: g,
        fields: { name: { value: 'Oat bar' } },
        recalled_lots: [{ lot: 'L1', reason: 'nuts' }],
      },
    });
    expect(created.status).toBe(201);
    const product = await created.json<{ id: string }>();
    const [first] = await arrivals('recalls.receiver-brand.com');
    const event = verified(hook.secret, first!);
    expect(event.type).toBe('product.recalled');
    expect(event.data.recalls).toHaveLength(1);
    expect(event.data.recalls[0]).toMatchObject({
      status_recalled: false,
      lots_added: [{ lot: 'L1', reason: 'nuts', recalled_at: null }],
      product: { id: product.id, gtin: g, status: 'active' },
    });

    // A change that recalls nothing new sends nothing; the status becoming recalled does.
    await call('PATCH', `/v1/products/${product.id}`, {
      key: org.ownerKey,
      body: { fields: { brand: { value: 'Oaty' } } },
    });
    await call('PATCH', `/v1/products/${product.id}`, { key: org.ownerKey, body: { status: 'recalled' } });
    const [, second] = await arrivals('recalls.receiver-brand.com', 2);
    expect(verified(hook.secret, second!).data.recalls[0]).toMatchObject({
      status_recalled: true,
      lots_added: [],
      product: { id: product.id, status: 'recalled' },
    });
    await noMoreThan('recalls.receiver-brand.com', 2);
    expect((await deliveries(hook.id)).map((d) => [d.event_type, d.status])).toEqual([
      ['product.recalled', 'succeeded'],
      ['product.recalled', 'succeeded'],
    ]);
  });

  it('sends one event for a bulk upsert, listing only the products it recalled, with their stored ids', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://bulk-recalls.receiver-brand.com/hook',
      event_types: ['product.recalled'],
    });
    const [a, b, c] = [gtin(2), gtin(3), gtin(4)];
    const existing = await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: a } });
    const { id } = await existing.json<{ id: string }>();
    const res = await call('POST', '/v1/products/bulk', {
      key: org.ownerKey,
      body: {
        items: [{ gtin: a, status: 'recalled' }, { gtin: b }, { gtin: c, recalled_lots: [{ lot: 'X9' }] }],
      },
    });
    expect(res.status).toBe(200);
    const [post] = await arrivals('bulk-recalls.receiver-brand.com');
    const recalls = verified(hook.secret, post!).data.recalls as { product: { id: string; gtin: string } }[];
    expect(recalls.map((r) => r.product.gtin)).toEqual([a, c]);
    expect(recalls[0]!.product.id).toBe(id);
    await noMoreThan('bulk-recalls.receiver-brand.com', 1);
  });

  it('reaches only endpoints that subscribe to it', async () => {
    await createWebhook(org.ownerKey, {
      url: 'https://alerts-only.receiver-brand.com/',
      event_types: ['alert.*'],
    });
    await createWebhook(org.ownerKey, {
      url: 'https://links-only.receiver-brand.com/',
      event_types: ['link.*'],
    });
    const everything = await createWebhook(org.ownerKey, {
      url: 'https://everything.receiver-brand.com/',
      event_types: ['*'],
    });
    await call('POST', '/v1/products', { key: org.ownerKey, body: { gtin: gtin(5), status: 'recalled' } });
    const [post] = await arrivals('everything.receiver-brand.com');
    expect(verified(everything.secret, post!).type).toBe('product.recalled');
    await noMoreThan('alerts-only.receiver-brand.com', 0);
    expect(receivedBy('links-only.receiver-brand.com')).toEqual([]);
  });
});

describe('link.changed', () => {
  it('goes out when links are created, replaced or deleted, and not for a write that changes nothing', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://links.receiver-brand.com/hook',
      event_types: ['link.changed'],
    });
    const g = gtin(10);
    const body = (href: string) => ({
      anchor: `/01/${g}`,
      item_description: 'Oat bar',
      links: [{ link_type: 'gs1:pip', href, title: 'Product page' }],
    });
    const put = await call('PUT', '/v1/links', { key: org.ownerKey, body: body('https://brand.example/a') });
    expect(put.status).toBe(201);
    const { id } = await put.json<{ id: string }>();
    await arrivals('links.receiver-brand.com');
    expect(
      (await call('PUT', '/v1/links', { key: org.ownerKey, body: body('https://brand.example/a') })).status,
    ).toBe(200);
    await call('PUT', '/v1/links', { key: org.ownerKey, body: body('https://brand.example/b') });
    await arrivals('links.receiver-brand.com', 2);
    expect((await call('DELETE', `/v1/links/${id}`, { key: org.ownerKey })).status).toBe(204);
    const posts = await arrivals('links.receiver-brand.com', 3);
    expect(posts.map((p) => verified(hook.secret, p).data.entities)).toEqual([
      [{ id, anchor: `/01/${g}`, change: 'created' }],
      [{ id, anchor: `/01/${g}`, change: 'replaced' }],
      [{ id, anchor: `/01/${g}`, change: 'deleted' }],
    ]);
    await noMoreThan('links.receiver-brand.com', 3);
  });
});

describe('inventory.stale', () => {
  it('reports a store that stopped syncing once per silence', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://stores.receiver-brand.com/hook',
      event_types: ['inventory.stale'],
    });
    const store = await createLocation(org.ownerKey, { name: 'Silent store' });
    const quiet = await createLocation(org.ownerKey, { name: 'Busy store' });
    const now = Date.now();
    const sync = async (locationId: string, syncedAt: number) =>
      expect(
        (
          await call('POST', '/v1/inventory/bulk', {
            key: org.ownerKey,
            body: {
              items: [
                {
                  location_id: locationId,
                  gtin: gtin(20),
                  quantity: 3,
                  synced_at: new Date(syncedAt).toISOString(),
                },
              ],
            },
          })
        ).status,
      ).toBe(200);
    await sync(store.id, now - 30 * HOUR);
    await sync(quiet.id, now - HOUR);

    const { queue, sent } = capturingQueue();
    expect(await reportStaleLocations({ ...env, ALERT_EVENTS: queue }, now)).toBeGreaterThanOrEqual(1);
    const ours = sent.filter((m) => m.body.orgId === org.orgId);
    expect(ours).toHaveLength(1);
    const event = JSON.parse(ours[0]!.body.body);
    expect(event).toMatchObject({
      type: 'inventory.stale',
      data: {
        location: { id: store.id, name: 'Silent store', city: 'Lyon', country: 'FR' },
        last_synced_at: new Date(now - 30 * HOUR).toISOString(),
        stale_after_hours: 24,
      },
    });
    expect(ours[0]!.body.webhookId).toBe(hook.id);

    // Once per silence: the next hour reports nothing; a sync and a new silence report it again.
    sent.length = 0;
    await reportStaleLocations({ ...env, ALERT_EVENTS: queue }, now + HOUR);
    expect(sent.filter((m) => m.body.orgId === org.orgId)).toEqual([]);
    await sync(store.id, now - 2 * HOUR);
    await reportStaleLocations({ ...env, ALERT_EVENTS: queue }, now + 25 * HOUR);
    // By then the busy store has been silent a day too: both are reported.
    expect(
      sent
        .filter((m) => m.body.orgId === org.orgId)
        .map((m) => JSON.parse(m.body.body).data.location.id)
        .sort(),
    ).toEqual([store.id, quiet.id].sort());
    const row = await env.DB.prepare(
      'SELECT org_id, last_synced_at FROM stale_location_reports WHERE location_id = ?',
    )
      .bind(store.id)
      .first();
    expect(row).toEqual({ org_id: org.orgId, last_synced_at: now - 2 * HOUR });
  });

  it('leaves stores silent for more than a week, and stores that never synced, alone', async () => {
    await createWebhook(org.ownerKey, {
      url: 'https://stores2.receiver-brand.com/',
      event_types: ['inventory.*'],
    });
    const old = await createLocation(org.ownerKey, { name: 'Closed store' });
    await createLocation(org.ownerKey, { name: 'New store' });
    const now = Date.now();
    await call('POST', '/v1/inventory/bulk', {
      key: org.ownerKey,
      body: {
        items: [
          {
            location_id: old.id,
            gtin: gtin(21),
            quantity: 1,
            synced_at: new Date(now - 8 * 24 * HOUR).toISOString(),
          },
        ],
      },
    });
    const { queue, sent } = capturingQueue();
    await reportStaleLocations({ ...env, ALERT_EVENTS: queue }, now);
    expect(sent.filter((m) => m.body.orgId === org.orgId)).toEqual([]);
  });
});

describe('POST /v1/webhooks/:id/test', () => {
  it('sends a signed webhook.test event at once and answers with the logged attempt', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://tested.receiver-brand.com/hook',
      event_types: ['alert.impossible_travel'],
    });
    const res = await call('POST', `/v1/webhooks/${hook.id}/test`, { key: org.ownerKey });
    expect(res.status).toBe(200);
    const body = await res.json<{ event_id: string; delivery: Record<string, unknown> }>();
    const [post] = receivedBy('tested.receiver-brand.com');
    const event = verified(hook.secret, post!);
    expect(event).toMatchObject({ id: body.event_id, type: 'webhook.test', data: { webhook_id: hook.id } });
    expect(body.delivery).toMatchObject({
      event_id: body.event_id,
      event_type: 'webhook.test',
      attempt: 1,
      status: 'succeeded',
      response_status: 200,
      next_attempt_at: null,
    });
    expect((await deliveries(hook.id))[0]).toEqual(body.delivery);
  });

  it('reports a failed test without retrying it', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://broken.receiver-brand.com/hook',
      event_types: ['*'],
    });
    answers.set('broken.receiver-brand.com', 500);
    const res = await call('POST', `/v1/webhooks/${hook.id}/test`, { key: org.ownerKey });
    expect(res.status).toBe(200);
    expect((await res.json<{ delivery: Record<string, unknown> }>()).delivery).toMatchObject({
      status: 'failed',
      response_status: 500,
      error: 'HTTP 500: endpoint is down',
      next_attempt_at: null,
    });
    await noMoreThan('broken.receiver-brand.com', 1);
  });

  it('is refused for a disabled endpoint (409), other roles (403) and other organisations (404)', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://off.receiver-brand.com/hook',
      event_types: ['*'],
      enabled: false,
    });
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/test`, { key: org.ownerKey }),
      409,
      'conflict',
    );
    for (const role of ['editor', 'readonly'] as const) {
      const { key } = await insertKey(org.orgId, role);
      await expectError(await call('POST', `/v1/webhooks/${hook.id}/test`, { key }), 403, 'forbidden');
    }
    const stranger = await createOrganization('Nosy Foods');
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/test`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    expect(receivedBy('off.receiver-brand.com')).toEqual([]);
  });
});

describe('POST /v1/webhooks/:id/deliveries/:delivery_id/replay', () => {
  /** A product.recalled event (published by our own code) whose delivery ran out of attempts. */
  async function deadLettered(host: string) {
    const hook = await createWebhook(org.ownerKey, {
      url: `https://${host}/hook`,
      event_types: ['product.*'],
    });
    answers.set(host, 503);
    const { queue, sent } = capturingQueue();
    const event = { id: newId('evt'), type: 'product.recalled', at: Date.now(), data: { recalls: [] } };
    expect(await publishEvent({ DB: env.DB, ALERT_EVENTS: queue }, org.orgId, event)).toBe(1);
    const [queued] = sent;
    await runAlertQueue([queued!.body], 1, { ALERT_EVENTS: queue });
    await runAlertQueue([{ ...queued!.body, attempt: WEBHOOK_MAX_ATTEMPTS }], 1, { ALERT_EVENTS: queue });
    const dead = (await deliveries(hook.id)).find((d) => d.status === 'dead_lettered')!;
    return { hook, dead, first: receivedBy(host)[0]! };
  }

  it('sends a dead-lettered event again, same id and body, and logs the new attempt', async () => {
    const host = 'replayed.receiver-brand.com';
    const { hook, dead, first } = await deadLettered(host);
    answers.set(host, 200);
    const res = await call('POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, {
      key: org.ownerKey,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      event_id: dead.event_id,
      event_type: 'product.recalled',
      replay_of: dead.id,
      status: 'queued',
    });
    const [, , replayed] = await arrivals(host, 3);
    expect(replayed!.body).toBe(first.body);
    expect(verified(hook.secret, replayed!).id).toBe(dead.event_id);
    expect(replayed!.headers.get('webhook-id')).toBe(dead.event_id);
    await vi.waitFor(
      async () =>
        expect((await deliveries(hook.id)).map((d) => [d.attempt, d.status])).toEqual([
          [1, 'succeeded'],
          [WEBHOOK_MAX_ATTEMPTS, 'dead_lettered'],
          [1, 'failed'],
        ]),
      { timeout: 5_000, interval: 100 },
    );
  });

  it('refuses what is not dead-lettered (409), unknown deliveries (404), other roles and organisations', async () => {
    const host = 'refused.receiver-brand.com';
    const { hook, dead } = await deadLettered(host);
    const failed = (await deliveries(hook.id)).find((d) => d.status === 'failed')!;
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/deliveries/${failed.id}/replay`, { key: org.ownerKey }),
      409,
      'conflict',
    );
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/deliveries/whd_nothing/replay`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    const other = await createWebhook(org.ownerKey, {
      url: 'https://other.receiver-brand.com/',
      event_types: ['*'],
    });
    await expectError(
      await call('POST', `/v1/webhooks/${other.id}/deliveries/${dead.id}/replay`, { key: org.ownerKey }),
      404,
      'not_found',
    );
    const { key: editor } = await insertKey(org.orgId, 'editor');
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, { key: editor }),
      403,
      'forbidden',
    );
    const stranger = await createOrganization('Nosy Foods');
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, { key: stranger.ownerKey }),
      404,
      'not_found',
    );
    // Once the event is no longer kept, it cannot be replayed.
    await env.DB.prepare('DELETE FROM webhook_events WHERE id = ?').bind(dead.event_id).run();
    await expectError(
      await call('POST', `/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, { key: org.ownerKey }),
      409,
      'conflict',
    );
  });
});
