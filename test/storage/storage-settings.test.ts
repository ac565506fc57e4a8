// GET/PUT /v1/organization/storage: the defaults, an owner's replacement, and every bad input.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';

const DEFAULTS = { raw_recent_days: 35, raw_archive_days: null, rollup_days: 400 };

let org: TestOrg;
beforeAll(async () => {
  org = await createOrganization('Storage Settings Foods');
});

describe('/v1/organization/storage', () => {
  it('answers the defaults when nothing was set, to any role', async () => {
    const reader = await insertKey(org.orgId, 'readonly');
    const res = await call('GET', '/v1/organization/storage', { key: reader.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...DEFAULTS, updated_at: null, defaults: DEFAULTS });
  });

  it('lets an owner replace the settings; omitted fields take their defaults', async () => {
    const other = await createOrganization('Storage Settings Other');
    let res = await call('PUT', '/v1/organization/storage', {
      key: other.ownerKey,
      body: { raw_recent_days: 7, raw_archive_days: 90, rollup_days: 730 },
    });
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ raw_recent_days: 7, raw_archive_days: 90, rollup_days: 730 });
    expect(typeof body.updated_at).toBe('string');
    const row = await env.DB.prepare('SELECT * FROM storage_settings WHERE org_id = ?')
      .bind(other.orgId)
      .first<Record<string, number | null>>();
    expect(row).toMatchObject({ raw_recent_days: 7, raw_archive_days: 90, rollup_days: 730 });

    res = await call('PUT', '/v1/organization/storage', {
      key: other.ownerKey,
      body: { raw_recent_days: 10 },
    });
    expect(await res.json()).toMatchObject({ raw_recent_days: 10, raw_archive_days: null, rollup_days: 400 });
    res = await call('GET', '/v1/organization/storage', { key: other.ownerKey });
    expect(await res.json()).toMatchObject({ raw_recent_days: 10, raw_archive_days: null, rollup_days: 400 });
    // Another organisation's settings are untouched.
    res = await call('GET', '/v1/organization/storage', { key: org.ownerKey });
    expect(await res.json()).toMatchObject(DEFAULTS);
    // The write is in the audit log.
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE org_id = ? AND method = 'PUT' AND path = '/v1/organization/storage'",
    )
      .bind(other.orgId)
      .first<number>('n');
    expect(audit).toBe(2);
  });

  it.each(['manager', 'editor', 'readonly'] as const)('refuses a %s key with 403', async (role) => {
    const key = await insertKey(org.orgId, role);
    const res = await call('PUT', '/v1/organization/storage', { key: key.key, body: { raw_recent_days: 7 } });
    const error = await expectError(res, 403, 'forbidden');
    expect(error.message).toContain('owner');
  });

  it.each([
    [{ raw_recent_days: 0 }, 'raw_recent_days', 'at least 1'],
    [{ raw_recent_days: 36 }, 'raw_recent_days', 'at most 35'],
    [{ raw_recent_days: 7.5 }, 'raw_recent_days', 'whole number'],
    [{ raw_recent_days: '7' }, 'raw_recent_days', 'whole number'],
    [{ raw_recent_days: null }, 'raw_recent_days', 'whole number'],
    [{ raw_archive_days: 0 }, 'raw_archive_days', 'at least 1'],
    [{ raw_archive_days: 3651 }, 'raw_archive_days', 'at most 3650'],
    [{ raw_archive_days: 10 }, 'raw_archive_days', 'at least raw_recent_days'],
    [{ raw_recent_days: 20, raw_archive_days: 19 }, 'raw_archive_days', 'at least raw_recent_days'],
    [{ rollup_days: 34 }, 'rollup_days', 'at least 35'],
    [{ rollup_days: 3651 }, 'rollup_days', 'at most 3650'],
    [{ rollup_days: 400, retention: 1 }, '(root)', 'retention'],
  ])('400 for %j, naming %s', async (body, path, message) => {
    const res = await call('PUT', '/v1/organization/storage', { key: org.ownerKey, body });
    const error = await expectError(res, 400, 'validation_failed');
    const details = error.details as { path: string; message: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path, message: expect.stringContaining(message) as unknown }),
      ]),
    );
  });

  it('400 for a body that is not an object, 415 for one that is not JSON', async () => {
    await expectError(
      await call('PUT', '/v1/organization/storage', { key: org.ownerKey, body: '[1]' }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('PUT', '/v1/organization/storage', {
        key: org.ownerKey,
        body: 'raw_recent_days=7',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
    const row = await env.DB.prepare('SELECT count(*) AS n FROM storage_settings WHERE org_id = ?')
      .bind(org.orgId)
      .first<number>('n');
    expect(row).toBe(0);
  });

  it('accepts the bounds themselves', async () => {
    const other = await createOrganization('Storage Settings Bounds');
    for (const body of [
      { raw_recent_days: 1, raw_archive_days: 1, rollup_days: 35 },
      { raw_recent_days: 35, raw_archive_days: 3650, rollup_days: 3650 },
      { raw_recent_days: 35, raw_archive_days: null, rollup_days: 3650 },
    ]) {
      const res = await call('PUT', '/v1/organization/storage', { key: other.ownerKey, body });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(await res.json()).toMatchObject(body);
    }
  });
});
