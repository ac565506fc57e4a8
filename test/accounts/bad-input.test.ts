import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call, expectError } from '../support/http';

describe('malformed requests get a clear 4xx and change nothing', () => {
  it('rejects malformed JSON with 400 invalid_json', async () => {
    const org = await createOrganization();
    const error = await expectError(
      await call('POST', '/v1/brands', { key: org.ownerKey, body: '{"name": "Acme",' }),
      400,
      'invalid_json',
    );
    expect(error.message).toMatch(/Malformed JSON/);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const org = await createOrganization();
    const res = await call('POST', '/v1/brands', {
      key: org.ownerKey,
      body: 'name=Acme',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('rejects a body over the limit with 413, whatever Content-Length claims', async () => {
    const org = await createOrganization();
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const error = await expectError(
      await call('POST', '/v1/brands', { key: org.ownerKey, body: huge }),
      413,
      'payload_too_large',
    );
    expect(error.details).toEqual({ max_bytes: 1024 * 1024 });
    // Streamed without a Content-Length: the limit still holds.
    const stream = new Blob([huge]).stream();
    const { exports } = await import('cloudflare:workers');
    const res = await exports.default.fetch(
      new Request('https://dl.example.test/v1/brands', {
        method: 'POST',
        body: stream,
        headers: { authorization: `Bearer ${org.ownerKey}`, 'content-type': 'application/json' },
        // @ts-expect-error duplex is required by the fetch spec for streamed bodies
        duplex: 'half',
      }),
    );
    await expectError(res, 413, 'payload_too_large');
    const count = await env.DB.prepare('SELECT count(*) AS n FROM brands WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(count).toBe(0);
  });

  it('rejects a JSON array where an object is expected', async () => {
    const org = await createOrganization();
    await expectError(
      await call('POST', '/v1/brands', { key: org.ownerKey, body: [{ name: 'x' }] }),
      400,
      'validation_failed',
    );
  });
});
