// Which app answers a path (src/app.ts): the first segment picks the API or the resolver, and each
// side answers what does not exist in its own terms. Plus the resolver's CORS split: every answer
// may be read by any page; the preflight alone carries methods, headers and max-age.
import { beforeAll, describe, expect, it } from 'vitest';
// One file, one seeding of GS1's sample links (a key belongs to one organisation).
import { createOrganization, insertKey } from '../support/accounts';
import { orgWithDemoLinks } from '../support/demo-links';
import { call, expectError } from '../support/http';

const GTIN_PATH = '/01/09506000134352/10/LOT9/21/SER9';

beforeAll(async () => {
  await orgWithDemoLinks();
});

describe('edge and API routing', () => {
  let key: string;
  beforeAll(async () => {
    const org = await createOrganization('Routing Co');
    key = (await insertKey(org.orgId, 'owner')).key;
  });

  it('a Digital Link path reaches the resolver', async () => {
    const res = await call('GET', GTIN_PATH);
    expect(res.status).toBe(307);
  });

  it('an unknown API path is a 404 of the API (after authentication), not a Digital Link', async () => {
    await expectError(await call('GET', '/v1/no-such-thing'), 401, 'unauthorized');
    const error = await expectError(await call('GET', '/v1/no-such-thing', { key }), 404, 'not_found');
    expect(error.message).toContain('/v1/no-such-thing');
    await expectError(await call('GET', '/v1', { key }), 404, 'not_found');
  });

  it('paths under the API segments are never read as Digital Links', async () => {
    await expectError(await call('GET', '/p/nothing-here'), 404, 'not_found');
    await expectError(await call('GET', '/webhooks/nothing'), 404, 'not_found');
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('any other path is judged as a Digital Link: 400 with the reason', async () => {
    const error = await expectError(await call('GET', '/products/catalog'), 400, 'invalid_digital_link');
    expect(error.message).toMatch(/primary key/i);
  });

  it('the resolver root and its description file answer', async () => {
    expect((await call('GET', '/')).status).toBe(200);
    expect((await call('GET', '/.well-known/gs1resolver')).status).toBe(200);
  });

  it('a method the resolver does not take is a 404 with the envelope', async () => {
    const error = await expectError(await call('POST', GTIN_PATH, { body: {} }), 404, 'not_found');
    expect(error.message).toContain('POST');
  });
});

describe('resolver CORS', () => {
  it('a redirect may be followed from any page, and is never cached', async () => {
    const res = await call('GET', GTIN_PATH);
    expect(res.status).toBe(307);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Preflight-only headers stay on the preflight; a redirect's headers are never shown to a script.
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('a linkset may be read by any page, its Link header included', async () => {
    const res = await call('GET', `${GTIN_PATH}?linkType=linkset`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Link');
    expect(res.headers.get('vary')).toBe('Accept, Accept-Language');
  });

  it('the preflight names the methods, headers and how long to trust them', async () => {
    const res = await call('OPTIONS', GTIN_PATH, {
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('Accept-Language');
    expect(res.headers.get('access-control-max-age')).toBe('86400');
    expect(res.headers.get('link')).toContain('rel="linkset"');
  });

  it('an error answer carries CORS too', async () => {
    const res = await call('GET', '/01/09506000134353'); // bad check digit
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
