// The webhooks API: endpoints with event types, a secret shown once, rotation, manager-only
// access, organisation scoping and URL checks (https, public hosts).
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { openWebhookSecret } from '../../src/alerts/webhooks/webhook-secret';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { createWebhook, type WebhookJson } from '../support/alerts';
import { call, expectError } from '../support/http';

// Set for tests in vitest.config.ts (a Worker secret, so not in the generated Env type).
const { SECRETS_KEY } = env as unknown as { SECRETS_KEY: string };

let org: TestOrg;
beforeAll(async () => {
  org = await createOrganization('Webhook Foods');
});

describe('webhooks API', () => {
  it('creates an endpoint and shows its secret once, stored sealed', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand.com/dle',
      event_types: ['alert.impossible_travel', 'alert.serial_not_issued', 'alert.impossible_travel'],
      description: 'SOC',
    });
    expect(hook).toMatchObject({
      url: 'https://hooks.brand.com/dle',
      event_types: ['alert.impossible_travel', 'alert.serial_not_issued'],
      enabled: true,
      description: 'SOC',
      previous_secret_expires_at: null,
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const shown = await (await call('GET', `/v1/webhooks/${hook.id}`, { key: org.ownerKey })).text();
    expect(shown).not.toContain('whsec_');
    expect(shown).not.toContain('secret"');
    const listed = await (await call('GET', '/v1/webhooks', { key: org.ownerKey })).text();
    expect(listed).not.toContain(hook.secret);

    const row = await env.DB.prepare('SELECT secret_sealed FROM webhooks WHERE id = ?')
      .bind(hook.id)
      .first<{ secret_sealed: string }>();
    expect(row!.secret_sealed).not.toContain(hook.secret);
    expect(row!.secret_sealed.startsWith('v1.')).toBe(true);
    expect(await openWebhookSecret(SECRETS_KEY, hook.id, row!.secret_sealed)).toBe(hook.secret);
  });

  it('updates, rotates (new secret once, old one valid 24 h) and deletes', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand.com/a',
      event_types: ['alert.*'],
    });
    const patched = await call('PATCH', `/v1/webhooks/${hook.id}`, {
      key: org.ownerKey,
      body: { url: 'https://hooks.brand.com/b', enabled: false, description: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      url: 'https://hooks.brand.com/b',
      enabled: false,
      description: null,
      event_types: ['alert.*'],
    });

    const rotated = await call('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { key: org.ownerKey });
    const body = await rotated.json<WebhookJson & { secret: string }>();
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(hook.secret);
    const expires = Date.parse(body.previous_secret_expires_at!);
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    const shown = await (
      await call('GET', `/v1/webhooks/${hook.id}`, { key: org.ownerKey })
    ).json<WebhookJson>();
    expect(shown.previous_secret_expires_at).toBe(body.previous_secret_expires_at);
    const row = await env.DB.prepare(
      'SELECT secret_sealed, previous_secret_sealed FROM webhooks WHERE id = ?',
    )
      .bind(hook.id)
      .first<{ secret_sealed: string; previous_secret_sealed: string }>();
    expect(await openWebhookSecret(SECRETS_KEY, hook.id, row!.secret_sealed)).toBe(body.secret);
    expect(await openWebhookSecret(SECRETS_KEY, hook.id, row!.previous_secret_sealed)).toBe(hook.secret);

    expect((await call('DELETE', `/v1/webhooks/${hook.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(await call('GET', `/v1/webhooks/${hook.id}`, { key: org.ownerKey }), 404, 'not_found');
    await expectError(
      await call('GET', `/v1/webhooks/${hook.id}/deliveries`, { key: org.ownerKey }),
      404,
      'not_found',
    );
  });

  it('subscribes by event type, by family or to everything', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand.com/all',
      event_types: ['product.recalled', 'inventory.*', 'link.changed', 'alert.*', '*', 'alert.*'],
    });
    expect(hook.event_types).toEqual(['*', 'alert.*', 'inventory.*', 'link.changed', 'product.recalled']);
    const patched = await call('PATCH', `/v1/webhooks/${hook.id}`, {
      key: org.ownerKey,
      body: { event_types: ['product.*'] },
    });
    expect((await patched.json<WebhookJson>()).event_types).toEqual(['product.*']);
    const row = await env.DB.prepare('SELECT event_types FROM webhooks WHERE id = ?')
      .bind(hook.id)
      .first<{ event_types: string }>();
    expect(JSON.parse(row!.event_types)).toEqual(['product.*']);
  });

  it('rejects plain http, private and loopback hosts, and bad event types (400)', async () => {
    for (const url of [
      'http://hooks.brand.com/',
      'https://localhost/',
      'https://127.0.0.1/',
      'https://10.0.0.8/',
      'https://[::1]/',
      'https://169.254.169.254/',
      'https://intranet/',
      'not a url',
    ]) {
      const err = await expectError(
        await call('POST', '/v1/webhooks', { key: org.ownerKey, body: { url, event_types: ['alert.*'] } }),
        400,
        'validation_failed',
      );
      expect(JSON.stringify(err.details)).toContain('url');
    }
    for (const body of [
      { url: 'https://hooks.brand.com/', event_types: [] },
      { url: 'https://hooks.brand.com/', event_types: ['alert.everything'] },
      { url: 'https://hooks.brand.com/', event_types: ['alert.'] },
      { url: 'https://hooks.brand.com/', event_types: ['alerts.*'] },
      { url: 'https://hooks.brand.com/', event_types: ['product.*.*'] },
      { url: 'https://hooks.brand.com/', event_types: ['webhook.test'] },
      { url: 'https://hooks.brand.com/', event_types: ['**'] },
      { url: 'https://hooks.brand.com/', event_types: 'alert.*' },
      { url: 'https://hooks.brand.com/', event_types: [42] },
      { url: 'https://hooks.brand.com/' },
      { url: 'https://hooks.brand.com/', event_types: ['alert.*'], secret: 'mine' },
    ]) {
      await expectError(
        await call('POST', '/v1/webhooks', { key: org.ownerKey, body }),
        400,
        'validation_failed',
      );
    }
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand.com/c',
      event_types: ['alert.*'],
    });
    await expectError(
      await call('PATCH', `/v1/webhooks/${hook.id}`, {
        key: org.ownerKey,
        body: { url: 'http://hooks.brand.com/' },
      }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('PATCH', `/v1/webhooks/${hook.id}`, { key: org.ownerKey, body: {} }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', `/v1/webhooks/${hook.id}/deliveries?status=lost`, { key: org.ownerKey }),
      400,
      'validation_failed',
    );
  });

  it('is for owner and manager keys only', async () => {
    const manager = await insertKey(org.orgId, 'manager');
    expect((await call('GET', '/v1/webhooks', { key: manager.key })).status).toBe(200);
    for (const role of ['editor', 'readonly'] as const) {
      const key = (await insertKey(org.orgId, role)).key;
      await expectError(await call('GET', '/v1/webhooks', { key }), 403, 'forbidden');
      await expectError(
        await call('POST', '/v1/webhooks', {
          key,
          body: { url: 'https://hooks.brand.com/', event_types: ['alert.*'] },
        }),
        403,
        'forbidden',
      );
    }
  });

  it('never shows or changes another organisation’s endpoints', async () => {
    const hook = await createWebhook(org.ownerKey, {
      url: 'https://hooks.brand.com/mine',
      event_types: ['alert.*'],
    });
    const stranger = await createOrganization('Prying Foods');
    expect(
      (await (await call('GET', '/v1/webhooks', { key: stranger.ownerKey })).json<{ data: unknown[] }>())
        .data,
    ).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/${hook.id}`, undefined],
      ['PATCH', `/v1/webhooks/${hook.id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/${hook.id}`, undefined],
      ['POST', `/v1/webhooks/${hook.id}/rotate-secret`, undefined],
      ['GET', `/v1/webhooks/${hook.id}/deliveries`, undefined],
    ] as const) {
      await expectError(await call(method, path, { key: stranger.ownerKey, body }), 404, 'not_found');
    }
    expect(
      (await (await call('GET', `/v1/webhooks/${hook.id}`, { key: org.ownerKey })).json<WebhookJson>())
        .enabled,
    ).toBe(true);
  });
});
