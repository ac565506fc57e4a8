// Every /v1 route the app registers, found from the router itself (so routes added later are
// covered without touching this file): no key → 401, a readonly key cannot write (403), an id of
// nothing (or of another organisation) → 404, and never a 500.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call } from '../support/http';
import { v1Routes } from '../support/v1-routes';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// POSTs a readonly key is allowed to make: questions that write nothing. (Listed here so adding one
// is a decision.)
const READONLY_WRITES = new Set<string>(['POST /v1/resolver/preview']);

/** Fills path parameters with values that name nothing (valid-looking GS1 values where a key is expected). */
function concrete(path: string): string {
  return path
    .replace(':ai', '01')
    .replace(':value', '09506000134987')
    .replace(':gtin', '09506000134987')
    .replace(/:[A-Za-z_]+/g, 'zzz_does_not_exist');
}

const routes = v1Routes();

describe('every /v1 route', () => {
  it('is found by the sweep (sanity: the router lists our routes)', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/organization', 'PUT /v1/links', 'GET /v1/analytics/overview']),
    );
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: 401 without a key, 401 with a bad key',
    async (_name, route) => {
      const path = concrete(route.path);
      for (const headers of [
        {},
        { authorization: 'Bearer dle_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
      ] as Record<string, string>[]) {
        const res = await call(route.method, path, {
          headers,
          body: WRITE_METHODS.has(route.method) ? {} : undefined,
        });
        expect(res.status, `${route.method} ${path}`).toBe(401);
        expect((await res.json<{ error: { code: string } }>()).error.code).toBe('unauthorized');
      }
    },
  );

  it.each(
    routes
      .filter((r) => WRITE_METHODS.has(r.method) && !READONLY_WRITES.has(`${r.method} ${r.path}`))
      .map((r) => [`${r.method} ${r.path}`, r] as const),
  )('%s: 403 for a readonly key', async (_name, route) => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    const res = await call(route.method, concrete(route.path), { key: reader.key, body: {} });
    // 404 is acceptable only for dev-only routes that do not exist in this configuration.
    expect([403, 404], `${route.method} ${route.path}`).toContain(res.status);
    if (res.status === 404) expect(route.path).toMatch(/^\/v1\/demo\//);
  });

  it('POST /v1/resolver/preview: a readonly key may ask, and it writes nothing (no audit entry)', async () => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    const res = await call('POST', '/v1/resolver/preview', {
      key: reader.key,
      body: { digital_link: '/01/09506000134987' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 404, trace: [] });
    const audited = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE org_id = ?')
      .bind(org.orgId)
      .first<number>('n');
    expect(audited).toBe(0);
  });

  it.each(routes.filter((r) => r.path.includes(':')).map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s: an id that names nothing of the caller's is a 4xx with the envelope, never a 500",
    async (_name, route) => {
      const org = await createOrganization();
      const res = await call(route.method, concrete(route.path), {
        key: org.ownerKey,
        body: WRITE_METHODS.has(route.method) ? {} : undefined,
      });
      expect(res.status, `${route.method} ${route.path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
      expect((await res.json<{ error: { code: string; message: string } }>()).error.message).toBeTruthy();
    },
  );
});
