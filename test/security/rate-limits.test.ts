// Rate limits per kind: per API key, per organisation (with per-organisation overrides), failed
// authentication per client, and POS webhooks per location; each answer carries the IETF
// RateLimit-Policy / RateLimit headers, and a 429 carries Retry-After and the envelope.
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { expectError, fetchAndSettle, ORIGIN } from '../support/http';

const get = (path: string, vars: Partial<Env>, headers: Record<string, string> = {}) =>
  fetchAndSettle(new Request(`${ORIGIN}${path}`, { headers }), vars);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('per API key and organisation', () => {
  it('a key gets its limit, then 429 with Retry-After; another key of the organisation goes on', async () => {
    const org = await createOrganization();
    const vars = { API_RATE_LIMIT_PER_KEY: '3' };
    for (let i = 0; i < 3; i++) {
      const res = await get('/v1/organization', vars, bearer(org.ownerKey));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"key";q=3;w=60, "organization";q=1000000;w=60');
      expect(res.headers.get('ratelimit')).toMatch(
        new RegExp(`^"key";r=${2 - i};t=\\d+, "organization";r=\\d+;t=\\d+$`),
      );
    }
    const refused = await get('/v1/organization', vars, bearer(org.ownerKey));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const error = await expectError(refused, 429, 'rate_limited');
    expect(error.details).toMatchObject({ policy: 'key', limit: 3, window_seconds: 60 });
    const other = await insertKey(org.orgId, 'readonly');
    expect((await get('/v1/organization', vars, bearer(other.key))).status).toBe(200);
  });

  it('an organisation’s keys share its limit', async () => {
    const org = await createOrganization();
    const second = await insertKey(org.orgId, 'readonly');
    const vars = { API_RATE_LIMIT_PER_ORGANIZATION: '4' };
    for (const key of [org.ownerKey, second.key, org.ownerKey, second.key]) {
      expect((await get('/v1/organization', vars, bearer(key))).status).toBe(200);
    }
    const error = await expectError(
      await get('/v1/organization', vars, bearer(second.key)),
      429,
      'rate_limited',
    );
    expect(error.details).toMatchObject({ policy: 'organization', limit: 4 });
  });

  it('API_RATE_LIMIT_OVERRIDES sets one organisation’s limits', async () => {
    const org = await createOrganization();
    const vars = { API_RATE_LIMIT_OVERRIDES: JSON.stringify({ [org.orgId]: { key: 1 } }) };
    const first = await get('/v1/organization', vars, bearer(org.ownerKey));
    expect(first.headers.get('ratelimit-policy')).toMatch(/^"key";q=1;w=60/);
    await expectError(await get('/v1/organization', vars, bearer(org.ownerKey)), 429, 'rate_limited');
  });
});

describe('failed authentication per client', () => {
  it('after the limit of failures a client waits, even with a good key; other clients do not', async () => {
    const org = await createOrganization();
    const vars = { API_AUTH_FAILURE_LIMIT: '3' };
    const guesser = { 'cf-connecting-ip': '203.0.113.7' };
    const wrong = bearer('dle_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    for (let i = 0; i < 3; i++) {
      await expectError(await get('/v1/organization', vars, { ...guesser, ...wrong }), 401, 'unauthorized');
    }
    const throttled = await get('/v1/organization', vars, { ...guesser, ...wrong });
    expect(throttled.headers.get('ratelimit-policy')).toBe('"auth-failures";q=3;w=60');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectError(throttled, 429, 'rate_limited');
    await expectError(
      await get('/v1/organization', vars, { ...guesser, ...bearer(org.ownerKey) }),
      429,
      'rate_limited',
    );
    const elsewhere = { 'cf-connecting-ip': '198.51.100.20' };
    expect((await get('/v1/organization', vars, { ...elsewhere, ...bearer(org.ownerKey) })).status).toBe(200);
  });

  it('successful requests use up nothing', async () => {
    const org = await createOrganization();
    const vars = { API_AUTH_FAILURE_LIMIT: '2' };
    const client = { 'cf-connecting-ip': '192.0.2.44' };
    for (let i = 0; i < 5; i++) {
      expect((await get('/v1/organization', vars, { ...client, ...bearer(org.ownerKey) })).status).toBe(200);
    }
  });
});

describe('POS webhooks per location', () => {
  it('a location’s deliveries past the limit are 429 before any signature work', async () => {
    const vars = { POS_WEBHOOK_RATE_LIMIT: '2' };
    const post = () =>
      fetchAndSettle(
        new Request(`${ORIGIN}/webhooks/pos/shopify/loc_flooded`, { method: 'POST', body: '{}' }),
        vars,
      );
    for (let i = 0; i < 2; i++) expect((await post()).status).not.toBe(429);
    const res = await post();
    expect(res.headers.get('ratelimit-policy')).toBe('"location";q=2;w=60');
    await expectError(res, 429, 'rate_limited');
  });
});
