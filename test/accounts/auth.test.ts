import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/accounts/api-key-secret';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';

describe('Bearer authentication on /v1', () => {
  it('accepts a valid key and says who is calling', async () => {
    const org = await createOrganization('Acme Foods');
    const res = await call('GET', '/v1/organization', { key: org.ownerKey });
    expect(res.status).toBe(200);
    const body = await res.json<{ id: string; name: string; key: { role: string } }>();
    expect(body).toMatchObject({ id: org.orgId, name: 'Acme Foods', key: { role: 'owner' } });
  });

  it.each([
    ['no header', undefined, /Missing Authorization/],
    ['a Basic header', 'Basic dXNlcjpwYXNz', /must be "Bearer/],
    ['an empty Bearer', 'Bearer ', /must be "Bearer/],
    ['something that is not our key format', 'Bearer abc123', /not a Digital Link Edge API key/],
    ['a well-formed but unknown key', `Bearer dle_AAAAAAAA_${'B'.repeat(32)}`, /Unknown or revoked/],
  ])('rejects %s with 401', async (_name, header, message) => {
    const res = await call('GET', '/v1/organization', { headers: header ? { authorization: header } : {} });
    const error = await expectError(res, 401, 'unauthorized');
    expect(error.message).toMatch(message);
  });

  it('rejects a revoked key and an expired key with 401', async () => {
    const org = await createOrganization();
    const revoked = await insertKey(org.orgId, 'manager', { revokedAt: Date.now() - 1000 });
    const expired = await insertKey(org.orgId, 'manager', { expiresAt: Date.now() - 1000 });
    await expectError(await call('GET', '/v1/brands', { key: revoked.key }), 401, 'unauthorized');
    const error = await expectError(
      await call('GET', '/v1/brands', { key: expired.key }),
      401,
      'unauthorized',
    );
    expect(error.message).toMatch(/expired/);
    expect(error.message).not.toMatch(/\d{4}-\d\d-\d\d/); // the expiry time is not told
  });

  it('accepts a key whose expiry is still ahead', async () => {
    const org = await createOrganization();
    const soon = await insertKey(org.orgId, 'readonly', { expiresAt: Date.now() + 60_000 });
    expect((await call('GET', '/v1/brands', { key: soon.key })).status).toBe(200);
  });

  it('records when a key was last used', async () => {
    const org = await createOrganization();
    const before = Date.now();
    await call('GET', '/v1/organization', { key: org.ownerKey });
    // The write happens in waitUntil; poll D1 briefly rather than assume its timing.
    const hash = await hashApiKey(org.ownerKey);
    let lastUsed: number | null = null;
    for (let i = 0; i < 50 && lastUsed === null; i++) {
      lastUsed = await env.DB.prepare('SELECT last_used_at FROM api_keys WHERE key_hash = ?')
        .bind(hash)
        .first('last_used_at');
      if (lastUsed === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lastUsed).toBeGreaterThanOrEqual(before);
  });

  it('stores only the hash of a key, never the key', async () => {
    const org = await createOrganization();
    const rows = await env.DB.prepare('SELECT * FROM api_keys WHERE org_id = ?').bind(org.orgId).all();
    const dump = JSON.stringify(rows.results);
    expect(dump).not.toContain(org.ownerKey);
    expect(dump).toContain(await hashApiKey(org.ownerKey));
  });

  it('answers unknown routes with the envelope', async () => {
    const org = await createOrganization();
    await expectError(await call('GET', '/v1/nothing-here', { key: org.ownerKey }), 404, 'not_found');
  });
});
