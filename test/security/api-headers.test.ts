// Every /v1 answer is nosniff and no-store: successes, errors, streamed exports and the one
// answer that shows a new key.
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../support/accounts';
import { call } from '../support/http';

const expectApiHeaders = (res: Response) => {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('cache-control')).toBe('no-store');
};

describe('/v1 response headers', () => {
  it('on reads, writes, errors and exports', async () => {
    const org = await createOrganization();
    const created = await call('POST', '/v1/api-keys', {
      key: org.ownerKey,
      body: { name: 'CI', role: 'readonly' },
    });
    expect(created.status).toBe(201);
    expectApiHeaders(created);
    for (const res of [
      await call('GET', '/v1/organization', { key: org.ownerKey }),
      await call('GET', '/v1/organization'), // 401
      await call('GET', '/v1/no-such-route', { key: org.ownerKey }), // 404
      await call('POST', '/v1/brands', { key: org.ownerKey, body: '{' }), // 400
      await call('GET', '/v1/exports/scans.csv', { key: org.ownerKey }),
    ]) {
      await res.arrayBuffer();
      expectApiHeaders(res);
    }
  });
});
