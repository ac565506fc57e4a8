import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';

interface KeyBody {
  id: string;
  name: string;
  prefix: string;
  role: string;
  key?: string;
  expires_at: string | null;
  revoked_at: string | null;
}

describe('API key management', () => {
  it('creates a key that is shown once, works, and lists without its secret', async () => {
    const org = await createOrganization();
    const res = await call('POST', '/v1/api-keys', {
      key: org.ownerKey,
      body: { name: 'CI export', role: 'readonly' },
    });
    expect(res.status).toBe(201);
    const created = await res.json<KeyBody>();
    expect(created.key).toMatch(/^dle_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    expect(created.prefix).toBe(created.key!.slice(0, 12));
    expect(created).toMatchObject({
      name: 'CI export',
      role: 'readonly',
      revoked_at: null,
      expires_at: null,
    });

    expect((await call('GET', '/v1/brands', { key: created.key })).status).toBe(200);

    const list = await (await call('GET', '/v1/api-keys', { key: org.ownerKey })).json<{ data: KeyBody[] }>();
    expect(list.data.map((k) => k.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.key);
    const one = await (
      await call('GET', `/v1/api-keys/${created.id}`, { key: org.ownerKey })
    ).json<KeyBody>();
    expect(one.key).toBeUndefined();
    expect(JSON.stringify(one)).not.toMatch(/key_hash|hash/);
  });

  it('creates a key with an expiry and refuses one in the past', async () => {
    const org = await createOrganization();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const res = await call('POST', '/v1/api-keys', {
      key: org.ownerKey,
      body: { name: 'temp', role: 'editor', expires_at: future },
    });
    expect(res.status).toBe(201);
    expect((await res.json<KeyBody>()).expires_at).toBe(future);
    const past = await call('POST', '/v1/api-keys', {
      key: org.ownerKey,
      body: { name: 'temp', role: 'editor', expires_at: '2020-01-01T00:00:00Z' },
    });
    const error = await expectError(past, 400, 'validation_failed');
    expect(JSON.stringify(error.details)).toContain('expires_at must be in the future');
  });

  it('revokes a key: it stops working at once, and revoking again is harmless', async () => {
    const org = await createOrganization();
    const victim = await insertKey(org.orgId, 'editor');
    const res = await call('DELETE', `/v1/api-keys/${victim.id}`, { key: org.ownerKey });
    expect(res.status).toBe(200);
    expect((await res.json<KeyBody>()).revoked_at).not.toBeNull();
    await expectError(await call('GET', '/v1/brands', { key: victim.key }), 401, 'unauthorized');
    expect((await call('DELETE', `/v1/api-keys/${victim.id}`, { key: org.ownerKey })).status).toBe(200);
  });

  it('never revokes the last active owner key', async () => {
    const org = await createOrganization();
    const me = await (await call('GET', '/v1/organization', { key: org.ownerKey })).json<{
      key: { id: string };
    }>();
    await expectError(
      await call('DELETE', `/v1/api-keys/${me.key.id}`, { key: org.ownerKey }),
      409,
      'conflict',
    );
    const second = await insertKey(org.orgId, 'owner');
    expect((await call('DELETE', `/v1/api-keys/${me.key.id}`, { key: second.key })).status).toBe(200);
  });

  it.each(['editor', 'readonly'] as const)('refuses key management to %s keys (403)', async (role) => {
    const org = await createOrganization();
    const weak = await insertKey(org.orgId, role);
    await expectError(await call('GET', '/v1/api-keys', { key: weak.key }), 403, 'forbidden');
    await expectError(
      await call('POST', '/v1/api-keys', { key: weak.key, body: { name: 'x', role: 'readonly' } }),
      403,
      'forbidden',
    );
    const count = await env.DB.prepare('SELECT count(*) AS n FROM api_keys WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(count).toBe(2);
  });

  it('lets a manager create editor keys but not owner keys, nor revoke an owner key', async () => {
    const org = await createOrganization();
    const manager = await insertKey(org.orgId, 'manager');
    expect(
      (await call('POST', '/v1/api-keys', { key: manager.key, body: { name: 'ed', role: 'editor' } })).status,
    ).toBe(201);
    const error = await expectError(
      await call('POST', '/v1/api-keys', { key: manager.key, body: { name: 'boss', role: 'owner' } }),
      403,
      'forbidden',
    );
    expect(error.message).toBe('A manager key cannot create an owner key');
    const me = await (await call('GET', '/v1/organization', { key: org.ownerKey })).json<{
      key: { id: string };
    }>();
    await expectError(
      await call('DELETE', `/v1/api-keys/${me.key.id}`, { key: manager.key }),
      403,
      'forbidden',
    );
  });

  it("hides other organisations' keys behind 404", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const bKey = await insertKey(b.orgId, 'editor');
    await expectError(await call('GET', `/v1/api-keys/${bKey.id}`, { key: a.ownerKey }), 404, 'not_found');
    await expectError(await call('DELETE', `/v1/api-keys/${bKey.id}`, { key: a.ownerKey }), 404, 'not_found');
    expect((await call('GET', '/v1/brands', { key: bKey.key })).status).toBe(200); // still alive
    const list = await (await call('GET', '/v1/api-keys', { key: a.ownerKey })).json<{ data: KeyBody[] }>();
    expect(list.data.map((k) => k.id)).not.toContain(bKey.id);
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'admin' }],
    ['a missing name', { role: 'editor' }],
    ['an empty name', { name: '  ', role: 'editor' }],
    ['a wrong type', { name: 42, role: 'editor' }],
    ['an unknown field', { name: 'x', role: 'editor', org_id: 'org_someone_else' }],
    ['a non-ISO expiry', { name: 'x', role: 'editor', expires_at: 'tomorrow' }],
  ])('rejects %s with 400 and writes nothing', async (_name, body) => {
    const org = await createOrganization();
    await expectError(
      await call('POST', '/v1/api-keys', { key: org.ownerKey, body }),
      400,
      'validation_failed',
    );
    const count = await env.DB.prepare('SELECT count(*) AS n FROM api_keys WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(count).toBe(1);
  });
});
