// /v1/access-members: owners and managers say who may sign in through Cloudflare Access, in their
// own organisation only, never with more power than their own.
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessCall, accessToken, insertAccessMember, serveTeamJwks } from '../support/access';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError, ORIGIN } from '../support/http';

interface Member {
  id: string;
  email: string | null;
  group: string | null;
  role: string;
  created_at: string;
}

let acme: TestOrg;
let rival: TestOrg;

beforeAll(async () => {
  await serveTeamJwks();
  acme = await createOrganization('Acme Members');
  rival = await createOrganization('Rival Members');
});
afterAll(() => {
  vi.restoreAllMocks();
});

const add = (key: string, body: unknown) => call('POST', '/v1/access-members', { key, body });

describe('managing Access members', () => {
  it('adds an email (lowercased) and a group, lists them newest first, removes one', async () => {
    const email = await add(acme.ownerKey, { email: '  Bea@Example.COM ', role: 'editor' });
    expect(email.status).toBe(201);
    const bea = await email.json<Member>();
    expect(bea).toMatchObject({ email: 'bea@example.com', group: null, role: 'editor' });
    expect(bea.id).toMatch(/^acm_/);
    const group = await (await add(acme.ownerKey, { group: 'Brand Team', role: 'readonly' })).json<Member>();
    expect(group).toMatchObject({ email: null, group: 'brand team', role: 'readonly' });

    const list = await (await call('GET', '/v1/access-members', { key: acme.ownerKey })).json<{
      data: Member[];
    }>();
    expect(list.data.map((m) => m.id)).toEqual([group.id, bea.id]);

    // The person can now sign in; once removed, they cannot.
    const token = await accessToken({ email: 'bea@example.com' });
    expect((await accessCall('GET', '/v1/organization', { token })).status).toBe(200);
    expect((await call('DELETE', `/v1/access-members/${bea.id}`, { key: acme.ownerKey })).status).toBe(204);
    await expectError(await accessCall('GET', '/v1/organization', { token }), 403, 'forbidden');
    const after = await (await call('GET', '/v1/access-members', { key: acme.ownerKey })).json<{
      data: Member[];
    }>();
    expect(after.data.map((m) => m.id)).toEqual([group.id]);
  });

  it('refuses the same email twice in one organisation (409), whatever its case', async () => {
    expect((await add(acme.ownerKey, { email: 'twice@example.com', role: 'editor' })).status).toBe(201);
    const error = await expectError(
      await add(acme.ownerKey, { email: 'TWICE@example.com', role: 'owner' }),
      409,
      'conflict',
    );
    expect(error.message).toMatch(/already a member/);
    // Another organisation may have the same person.
    expect((await add(rival.ownerKey, { email: 'twice@example.com', role: 'editor' })).status).toBe(201);
  });

  it.each([
    ['neither email nor group', { role: 'editor' }],
    ['both email and group', { email: 'a@example.com', group: 'g', role: 'editor' }],
    ['an email that is not one', { email: 'not-an-email', role: 'editor' }],
    ['an empty group', { group: '   ', role: 'editor' }],
    ['a long group', { group: 'g'.repeat(201), role: 'editor' }],
    ['no role', { email: 'a@example.com' }],
    ['an unknown role', { email: 'a@example.com', role: 'admin' }],
    ['an unknown field', { email: 'a@example.com', role: 'editor', org_id: 'org_x' }],
    ['a list', [{ email: 'a@example.com', role: 'editor' }]],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await add(acme.ownerKey, body);
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.details).toBeDefined();
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await call('POST', '/v1/access-members', {
      key: acme.ownerKey,
      body: 'email=a@example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
  });
});

describe('who may manage them', () => {
  it('is owners and managers; editors and readonly keys get 403', async () => {
    for (const role of ['editor', 'readonly'] as const) {
      const { key } = await insertKey(acme.orgId, role);
      await expectError(await call('GET', '/v1/access-members', { key }), 403, 'forbidden');
      await expectError(await add(key, { email: `${role}@example.com`, role: 'readonly' }), 403, 'forbidden');
    }
  });

  it('a manager cannot make or remove an owner', async () => {
    const { key } = await insertKey(acme.orgId, 'manager');
    const error = await expectError(
      await add(key, { email: 'boss@example.com', role: 'owner' }),
      403,
      'forbidden',
    );
    expect(error.message).toMatch(/manager cannot make an owner/);
    const owner = await insertAccessMember(acme.orgId, 'email', 'real-owner@example.com', 'owner');
    await expectError(await call('DELETE', `/v1/access-members/${owner}`, { key }), 403, 'forbidden');
    expect((await add(key, { email: 'helper@example.com', role: 'manager' })).status).toBe(201);
  });

  it("is scoped to the caller's organisation", async () => {
    const theirs = await insertAccessMember(rival.orgId, 'email', 'rival-only@example.com', 'editor');
    const ours = await (await call('GET', '/v1/access-members', { key: acme.ownerKey })).json<{
      data: Member[];
    }>();
    expect(ours.data.map((m) => m.id)).not.toContain(theirs);
    expect(ours.data.map((m) => m.email)).not.toContain('rival-only@example.com');
    await expectError(
      await call('DELETE', `/v1/access-members/${theirs}`, { key: acme.ownerKey }),
      404,
      'not_found',
    );
    const still = await env.DB.prepare('SELECT org_id FROM access_members WHERE id = ?').bind(theirs).first();
    expect(still).toEqual({ org_id: rival.orgId });
  });

  it('answers 404 for an unknown member', async () => {
    await expectError(
      await call('DELETE', '/v1/access-members/acm_nothing', { key: acme.ownerKey }),
      404,
      'not_found',
    );
  });

  it('a manager signed in through Access adds a member from the dashboard origin, logged under their email', async () => {
    await insertAccessMember(acme.orgId, 'email', 'mia@example.com', 'manager');
    const token = await accessToken({ email: 'mia@example.com' });
    await expectError(
      await accessCall('POST', '/v1/access-members', {
        token,
        body: { email: 'new@example.com', role: 'editor' },
      }),
      403,
      'csrf',
    );
    const res = await accessCall('POST', '/v1/access-members', {
      token,
      asCookie: true,
      origin: ORIGIN,
      body: { email: 'new@example.com', role: 'editor' },
    });
    expect(res.status).toBe(201);
    const member = await res.json<Member>();
    const audit = await env.DB.prepare('SELECT actor, summary FROM audit_log WHERE resource_id = ?')
      .bind(member.id)
      .first<{ actor: string; summary: string }>();
    expect(audit?.actor).toBe('mia@example.com');
    expect(JSON.parse(audit!.summary)).toMatchObject({ email: 'new@example.com', role: 'editor' });
  });

  it('an editor signed in through Access cannot', async () => {
    await insertAccessMember(acme.orgId, 'email', 'ed@example.com', 'editor');
    const token = await accessToken({ email: 'ed@example.com' });
    await expectError(await accessCall('GET', '/v1/access-members', { token }), 403, 'forbidden');
  });
});
