// People signing in through Cloudflare Access: the token verified against the team's JWKS (made
// and served here), the person mapped to one organisation and role, writes guarded against CSRF,
// and the audit log naming the person.
import { env } from 'cloudflare:workers';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ACCESS_ENV,
  AUD,
  accessCall,
  accessToken,
  ISSUER,
  insertAccessMember,
  JWKS_URL,
  jwksAnswers,
  jwksFetches,
  KID,
  serveTeamJwks,
  teamKeyPair,
} from '../support/access';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError, ORIGIN } from '../support/http';

interface OrganizationBody {
  id: string;
  key: { id: string; role: string };
  principal: { kind: string; email?: string; role: string };
}

let acme: TestOrg;
let ana: string; // member id of ana@example.com, manager of Acme

beforeAll(async () => {
  await serveTeamJwks();
  acme = await createOrganization('Acme Access');
  ana = await insertAccessMember(acme.orgId, 'email', 'ana@example.com', 'manager');
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('a valid Access token', () => {
  it('signs the person in to their organisation with their role', async () => {
    const res = await accessCall('GET', '/v1/organization', { token: await accessToken() });
    expect(res.status).toBe(200);
    const body = await res.json<OrganizationBody>();
    expect(body).toMatchObject({
      id: acme.orgId,
      key: { id: ana, role: 'manager' },
      principal: { kind: 'access', email: 'ana@example.com', role: 'manager' },
    });
  });

  it('is read from the CF_Authorization cookie the browser sends', async () => {
    const res = await accessCall('GET', '/v1/organization', { token: await accessToken(), asCookie: true });
    expect(res.status).toBe(200);
    expect((await res.json<OrganizationBody>()).principal.email).toBe('ana@example.com');
  });

  it('matches the email whatever its case', async () => {
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken({ email: 'Ana@Example.COM' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json<OrganizationBody>()).principal.email).toBe('ana@example.com');
  });

  it("fetches the team's JWKS from <team>.cloudflareaccess.com once per isolate", async () => {
    await accessCall('GET', '/v1/organization', { token: await accessToken() });
    const before = jwksFetches.filter((u) => u === JWKS_URL).length;
    expect(before).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) {
      expect((await accessCall('GET', '/v1/brands', { token: await accessToken() })).status).toBe(200);
    }
    expect(jwksFetches.filter((u) => u === JWKS_URL).length).toBe(before);
  });

  it('lets reads through without an Origin header', async () => {
    expect((await accessCall('GET', '/v1/brands', { token: await accessToken() })).status).toBe(200);
  });
});

describe('a token that does not verify is a 401', () => {
  const noneToken = () => {
    const part = (o: object) =>
      btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const now = Math.floor(Date.now() / 1000);
    return `${part({ alg: 'none', kid: KID })}.${part({ email: 'ana@example.com', iss: ISSUER, aud: AUD, exp: now + 300 })}.`;
  };
  const hs256Token = () =>
    new SignJWT({ email: 'ana@example.com' })
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setIssuer(ISSUER)
      .setAudience(AUD)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-an-attacker-picked-32b'));
  const otherKeys = () => generateKeyPair('RS256');

  it.each([
    ['for another application (aud)', () => accessToken({ audience: 'another-applications-aud' }), /aud/],
    ['from another team (iss)', () => accessToken({ issuer: 'https://evil.cloudflareaccess.com' }), /iss/],
    ['expired', () => accessToken({ expiresIn: -60 }), /expired/],
    ['not yet valid (nbf)', () => accessToken({ notBefore: 3600 }), /nbf/],
    [
      'signed by another key with the team kid',
      async () => accessToken({ keys: await otherKeys() }),
      /signature/,
    ],
    [
      'signed by a key the team does not have',
      async () => accessToken({ keys: await otherKeys(), kid: 'rogue' }),
      /not one of the team/,
    ],
    ['unsigned (alg none)', async () => noneToken(), /RS256/],
    ['signed with HS256', hs256Token, /RS256/],
    ['without an email (a service token)', () => accessToken({ email: null }), /names no person/],
  ])('a token %s', async (_name, token, message) => {
    const error = await expectError(
      await accessCall('GET', '/v1/organization', { token: await token() }),
      401,
      'unauthorized',
    );
    expect(error.message).toMatch(message);
  });

  it('a token without exp', async () => {
    const { privateKey } = await teamKeyPair();
    const token = await new SignJWT({ email: 'ana@example.com' })
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setIssuer(ISSUER)
      .setAudience(AUD)
      .sign(privateKey);
    const error = await expectError(
      await accessCall('GET', '/v1/organization', { token }),
      401,
      'unauthorized',
    );
    expect(error.message).toMatch(/exp/);
  });

  it.each([
    ['not a JWT', 'not-a-token'],
    ['two parts', 'abc.def'],
    ['bad base64 JSON', 'eyJhbGciOiJSUzI1NiJ9.%%%.sig'],
    ['a JWT of garbage', 'aaaa.bbbb.cccc'],
    ['too long', `${'a'.repeat(20_000)}.b.c`],
  ])('a header that is %s', async (_name, token) => {
    const res = await accessCall('GET', '/v1/organization', { token });
    const error = await expectError(res, 401, 'unauthorized');
    expect(error.message).toMatch(/Access token/);
  });

  it('an empty header is no sign-in: the usual 401, which says Access is possible', async () => {
    const res = await accessCall('GET', '/v1/organization', { headers: { 'cf-access-jwt-assertion': ' ' } });
    const error = await expectError(res, 401, 'unauthorized');
    expect(error.message).toMatch(/Missing Authorization header.*Cloudflare Access/);
  });
});

describe('the header and the cookie', () => {
  it('prefer the header Access adds at the edge over the cookie', async () => {
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken(),
      headers: { cookie: `CF_Authorization=${await accessToken({ email: 'stranger@example.com' })}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json<OrganizationBody>()).principal.email).toBe('ana@example.com');
  });

  it('ignore a groups claim that is not a list of names', async () => {
    for (const groups of ['brand managers', 42, [7, null, { role: 'x' }], { name: 'brand managers' }]) {
      const res = await accessCall('GET', '/v1/organization', { token: await accessToken({ groups }) });
      expect(res.status).toBe(200);
      expect((await res.json<OrganizationBody>()).key.id).toBe(ana);
    }
  });
});

describe('mapping the person to an organisation', () => {
  it('refuses a person no organisation has with 403, telling them to ask their admin', async () => {
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken({ email: 'stranger@example.com' }),
    });
    const error = await expectError(res, 403, 'forbidden');
    expect(error.message).toMatch(/stranger@example\.com is not a member.*ask your organisation's admin/);
  });

  it("maps a group of the token's groups claim (names or objects)", async () => {
    const org = await createOrganization('Grouped Foods');
    const member = await insertAccessMember(org.orgId, 'group', 'brand managers', 'manager');
    for (const groups of [['Staff', 'Brand Managers'], [{ id: 'g1', name: 'Brand Managers' }]]) {
      const res = await accessCall('GET', '/v1/organization', {
        token: await accessToken({ email: 'gus@example.com', groups }),
      });
      expect(res.status).toBe(200);
      expect(await res.json<OrganizationBody>()).toMatchObject({
        id: org.orgId,
        key: { id: member, role: 'manager' },
        principal: { kind: 'access', email: 'gus@example.com', role: 'manager' },
      });
    }
    // The same person without the group is nobody here.
    await expectError(
      await accessCall('GET', '/v1/organization', { token: await accessToken({ email: 'gus@example.com' }) }),
      403,
      'forbidden',
    );
  });

  it('picks one organisation for a person in two: by email before by group, then the oldest', async () => {
    const older = await createOrganization('Older Foods');
    const newer = await createOrganization('Newer Foods');
    const viaGroup = await createOrganization('Group Foods');
    await insertAccessMember(viaGroup.orgId, 'group', 'everyone', 'owner', 1_000);
    await insertAccessMember(newer.orgId, 'email', 'dual@example.com', 'owner', 3_000);
    const first = await insertAccessMember(older.orgId, 'email', 'dual@example.com', 'readonly', 2_000);
    const token = await accessToken({ email: 'dual@example.com', groups: ['everyone'] });
    for (let i = 0; i < 3; i++) {
      const body = await (await accessCall('GET', '/v1/organization', { token })).json<OrganizationBody>();
      expect(body).toMatchObject({ id: older.orgId, key: { id: first, role: 'readonly' } });
    }
  });

  it('gives the highest role the person has in the chosen organisation', async () => {
    const org = await createOrganization('Ranked Foods');
    await insertAccessMember(org.orgId, 'email', 'rank@example.com', 'readonly', 1_000);
    const group = await insertAccessMember(org.orgId, 'group', 'leads', 'manager', 2_000);
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken({ email: 'rank@example.com', groups: ['leads'] }),
    });
    expect(await res.json<OrganizationBody>()).toMatchObject({
      id: org.orgId,
      key: { id: group, role: 'manager' },
    });
  });
});

describe('rate limits', () => {
  it('count each person on their own, even when one group lets them in', async () => {
    const org = await createOrganization('Limited Foods');
    await insertAccessMember(org.orgId, 'group', 'limited staff', 'readonly');
    const limited = { API_RATE_LIMIT_PER_KEY: '2' };
    const as = async (email: string) =>
      accessCall('GET', '/v1/brands', {
        token: await accessToken({ email, groups: ['limited staff'] }),
        env: limited,
      });
    const first = `first.${crypto.randomUUID()}@example.com`;
    expect((await as(first)).status).toBe(200);
    expect((await as(first)).status).toBe(200);
    await expectError(await as(first), 429, 'rate_limited');
    expect((await as(`second.${crypto.randomUUID()}@example.com`)).status).toBe(200);
  });
});

describe('an API key and an Access token together', () => {
  it('is the key', async () => {
    const other = await createOrganization('Keyed Foods');
    const res = await accessCall('GET', '/v1/organization', {
      key: other.ownerKey,
      token: await accessToken(),
    });
    expect(res.status).toBe(200);
    expect(await res.json<OrganizationBody>()).toMatchObject({
      id: other.orgId,
      principal: { kind: 'api_key', role: 'owner' },
    });
  });

  it('is refused when the key is bad, whatever the token', async () => {
    const res = await accessCall('GET', '/v1/organization', {
      headers: { authorization: `Bearer dle_AAAAAAAA_${'B'.repeat(32)}` },
      token: await accessToken(),
    });
    await expectError(res, 401, 'unauthorized');
  });
});

describe('writes signed in through Access', () => {
  it('need an Origin header from this site (CSRF)', async () => {
    const token = await accessToken();
    const body = { name: 'Cross-site brand' };
    const none = await expectError(await accessCall('POST', '/v1/brands', { token, body }), 403, 'csrf');
    expect(none.message).toMatch(/Origin/);
    const foreign = await expectError(
      await accessCall('POST', '/v1/brands', { token, body, origin: 'https://evil.example' }),
      403,
      'csrf',
    );
    expect(foreign.message).toMatch(/evil\.example/);
    // Without Origin, only the browser's own Sec-Fetch-Site: same-origin stands in for it.
    for (const site of ['cross-site', 'same-site', 'none', ''])
      await expectError(
        await accessCall('POST', '/v1/brands', {
          token,
          body,
          asCookie: true,
          headers: { 'sec-fetch-site': site },
        }),
        403,
        'csrf',
      );
    // …and never against an Origin that says otherwise.
    await expectError(
      await accessCall('POST', '/v1/brands', {
        token,
        body,
        asCookie: true,
        origin: 'https://evil.example',
        headers: { 'sec-fetch-site': 'same-origin' },
      }),
      403,
      'csrf',
    );
    // A cookie-only request from a look-alike origin is refused just the same.
    await expectError(
      await accessCall('POST', '/v1/brands', {
        token,
        body,
        asCookie: true,
        origin: `${ORIGIN}.evil.example`,
      }),
      403,
      'csrf',
    );
    const { count } = (await env.DB.prepare(
      'SELECT count(*) AS count FROM brands WHERE org_id = ? AND name = ?',
    )
      .bind(acme.orgId, body.name)
      .first<{ count: number }>())!;
    expect(count).toBe(0);
  });

  it('go through from this origin, and the audit log names the person', async () => {
    const res = await accessCall('POST', '/v1/brands', {
      token: await accessToken({ email: 'ANA@example.com' }),
      body: { name: 'Brand by Ana' },
      origin: ORIGIN,
      asCookie: true,
    });
    expect(res.status).toBe(201);
    const brand = await res.json<{ id: string }>();
    const row = await env.DB.prepare('SELECT key_id, actor, role FROM audit_log WHERE resource_id = ?')
      .bind(brand.id)
      .first();
    expect(row).toEqual({ key_id: ana, actor: 'ana@example.com', role: 'manager' });
    const log = await call('GET', '/v1/audit-log?actor=Ana@Example.com', { key: acme.ownerKey });
    const entries = (await log.json<{ data: { resource_id: string; actor: string }[] }>()).data;
    expect(entries.map((e) => [e.resource_id, e.actor])).toEqual([[brand.id, 'ana@example.com']]);
  });

  it('go through without Origin when the browser says the fetch is same-origin', async () => {
    const res = await accessCall('POST', '/v1/brands', {
      token: await accessToken(),
      body: { name: 'Same-origin brand' },
      asCookie: true,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(201);
  });

  it('by an API key need no Origin, and the audit log names the key', async () => {
    const res = await accessCall('POST', '/v1/brands', {
      key: acme.ownerKey,
      body: { name: 'Brand by key' },
    });
    expect(res.status).toBe(201);
    const brand = await res.json<{ id: string }>();
    const row = await env.DB.prepare('SELECT key_id, actor FROM audit_log WHERE resource_id = ?')
      .bind(brand.id)
      .first<{
        key_id: string;
        actor: string;
      }>();
    expect(row?.actor).toBe(row?.key_id);
    expect(row?.key_id).toMatch(/^key_/);
  });

  it('by a readonly member are refused', async () => {
    const org = await createOrganization('Readonly Foods');
    await insertAccessMember(org.orgId, 'email', 'reader@example.com', 'readonly');
    const token = await accessToken({ email: 'reader@example.com' });
    expect((await accessCall('GET', '/v1/brands', { token })).status).toBe(200);
    const error = await expectError(
      await accessCall('POST', '/v1/brands', { token, body: { name: 'Not allowed' }, origin: ORIGIN }),
      403,
      'forbidden',
    );
    expect(error.message).toMatch(/you are readonly/);
  });
});

describe('when Access is off or its keys are out of reach', () => {
  it('ignores Access tokens when the vars are unset (API keys only, as before)', async () => {
    const token = await accessToken();
    const off = { ACCESS_TEAM_DOMAIN: '', ACCESS_AUD: '' };
    const error = await expectError(
      await accessCall('GET', '/v1/organization', { token, env: off }),
      401,
      'unauthorized',
    );
    expect(error.message).toBe('Missing Authorization header; send "Authorization: Bearer <API key>"');
    // The suite's own config has Access off: the header alone is nobody.
    await expectError(
      await call('GET', '/v1/organization', { headers: { 'cf-access-jwt-assertion': token } }),
      401,
      'unauthorized',
    );
  });

  it('stays off when only half configured', async () => {
    const token = await accessToken();
    for (const half of [
      { ACCESS_AUD: '' },
      { ACCESS_TEAM_DOMAIN: '' },
      { ACCESS_TEAM_DOMAIN: 'bad team!' },
    ]) {
      await expectError(
        await accessCall('GET', '/v1/organization', { token, env: half }),
        401,
        'unauthorized',
      );
    }
  });

  it('accepts the team as a host name too', async () => {
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken(),
      env: { ACCESS_TEAM_DOMAIN: 'https://acme-test.cloudflareaccess.com/' },
    });
    expect(res.status).toBe(200);
  });

  it('answers 503 when the JWKS cannot be fetched, and fetches from ACCESS_JWKS_URL', async () => {
    const url = 'https://jwks.down.example/certs';
    jwksAnswers.set(url, () => new Response('bad gateway', { status: 502 }));
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken(),
      env: { ACCESS_JWKS_URL: url },
    });
    await expectError(res, 503, 'unavailable');
    expect(jwksFetches).toContain(url);
  });

  it('reads keys served at ACCESS_JWKS_URL', async () => {
    const url = 'https://jwks.local.example/certs';
    const served = await fetch(JWKS_URL).then((r) => r.json());
    jwksAnswers.set(url, () => Response.json(served));
    const res = await accessCall('GET', '/v1/organization', {
      token: await accessToken(),
      env: { ACCESS_JWKS_URL: url },
    });
    expect(res.status).toBe(200);
    expect(ACCESS_ENV.ACCESS_JWKS_URL).toBe('');
  });
});

describe('the Origin check never applies to API keys', () => {
  it('a key POST from anywhere still works', async () => {
    const manager = await insertKey(acme.orgId, 'manager');
    const res = await accessCall('POST', '/v1/brands', {
      key: manager.key,
      body: { name: 'Cross-origin key brand' },
      origin: 'https://integration.example',
    });
    expect(res.status).toBe(201);
  });
});
