// The audit log: every successful /v1 write kept with who, what and from where, listed and
// exported for owners and managers, never holding a secret the write carried.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { STORE } from '../support/inventory';
import { urlRule } from '../support/rules';

const GTIN = '09506000134352';
const SIGNATURE_KEY = 'audit-test-signature-key-never-logged';

interface Entry {
  id: string;
  at: string;
  key_id: string;
  role: string;
  method: string;
  route: string;
  path: string;
  status: number;
  resource_id: string | null;
  summary: Record<string, unknown>;
  client: string;
}

let org: TestOrg;
let editor: { id: string; key: string };
let createdKey = '';

beforeAll(async () => {
  org = await createOrganization('Audited Foods');
  editor = await insertKey(org.orgId, 'editor');
  const e = editor.key;
  const link = await call('PUT', '/v1/links', {
    key: e,
    body: {
      anchor: `/01/${GTIN}`,
      item_description: 'Risotto',
      links: [
        { link_type: 'gs1:pip', href: 'https://brand.example/risotto', title: 'Risotto', default: true },
      ],
    },
  });
  expect(link.status).toBe(201);
  expect(
    (await call('POST', '/v1/rules', { key: e, body: urlRule(GTIN, 'https://brand.example/r') })).status,
  ).toBe(201);
  expect(
    (await call('PATCH', '/v1/organization', { key: org.ownerKey, body: { name: 'Audited Foods SA' } }))
      .status,
  ).toBe(200);
  const keyRes = await call('POST', '/v1/api-keys', {
    key: org.ownerKey,
    body: { name: 'ERP', role: 'readonly' },
  });
  createdKey = (await keyRes.json<{ key: string }>()).key;
  const store = await call('POST', '/v1/locations', {
    key: org.ownerKey,
    body: { ...STORE, pos: { square: { location_id: 'LAUDIT', signature_key: SIGNATURE_KEY } } },
  });
  expect(store.status).toBe(201);
  expect(
    (await call('POST', '/v1/brands', { key: org.ownerKey, body: { name: 'Dal Giardino' } })).status,
  ).toBe(201);
  const product = await call('POST', '/v1/products', {
    key: e,
    body: { gtin: GTIN, fields: { name: { value: 'Risotto' } } },
  });
  expect(product.status).toBe(201);
  // A refused write is no change: not logged.
  await expectError(await call('POST', '/v1/brands', { key: e, body: { name: 'x' } }), 403, 'forbidden');
  const linkId = (await link.clone().json<{ id: string }>()).id;
  expect((await call('DELETE', `/v1/links/${linkId}`, { key: e })).status).toBe(204);
});

const list = async (query = '', key = org.ownerKey) => {
  const res = await call('GET', `/v1/audit-log${query}`, { key });
  expect(res.status).toBe(200);
  return res.json<{ data: Entry[]; next_cursor: string | null }>();
};

describe('audit log', () => {
  it('lists each write kind, newest first, with key, role, route, resource and summary', async () => {
    const { data } = await list();
    expect(data.map((e) => `${e.method} ${e.route}`)).toEqual([
      'DELETE /v1/links/:id',
      'POST /v1/products',
      'POST /v1/brands',
      'POST /v1/locations',
      'POST /v1/api-keys',
      'PATCH /v1/organization',
      'POST /v1/rules',
      'PUT /v1/links',
    ]);
    const put = data.find((e) => e.route === '/v1/links' && e.method === 'PUT')!;
    expect(put).toMatchObject({ key_id: editor.id, role: 'editor', status: 201, path: '/v1/links' });
    expect(put.resource_id).toMatch(/^ent_/);
    expect(put.summary).toMatchObject({
      fields: ['anchor', 'item_description', 'links'],
      anchor: `/01/${GTIN}`,
      links: { count: 1, first: [{ link_type: 'gs1:pip', href: 'https://brand.example/risotto' }] },
    });
    const del = data[0]!;
    expect(del.resource_id).toBe(put.resource_id);
    expect(del.client).toMatch(/^[0-9a-f]{16,}$/);
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE org_id = ?')
      .bind(org.orgId)
      .first();
    expect(stored).toEqual({ n: 8 });
  });

  it('holds no secret a write carried or answered with', async () => {
    const rows = await env.DB.prepare('SELECT * FROM audit_log WHERE org_id = ?').bind(org.orgId).all();
    const text = JSON.stringify(rows.results);
    expect(text).not.toContain(SIGNATURE_KEY);
    expect(text).not.toContain(createdKey);
    expect(createdKey).toMatch(/^dle_/);
  });

  it('filters by route, method and key, pages with a cursor', async () => {
    expect((await list('?route=/v1/links')).data.map((e) => e.method)).toEqual(['PUT']);
    expect((await list('?method=DELETE')).data).toHaveLength(1);
    expect((await list(`?key_id=${editor.id}`)).data).toHaveLength(4);
    const first = await list('?limit=4');
    expect(first.data).toHaveLength(4);
    const rest = await list(`?limit=4&cursor=${first.next_cursor}`);
    expect(rest.data.map((e) => e.id)).toEqual((await list()).data.slice(4).map((e) => e.id));
    expect(rest.next_cursor).toBeNull();
    await expectError(
      await call('GET', '/v1/audit-log?method=GET', { key: org.ownerKey }),
      400,
      'validation_failed',
    );
  });

  it('exports as CSV', async () => {
    const res = await call('GET', '/v1/audit-log/export.csv', { key: org.ownerKey });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,key_id,role,method,route,path,status,resource_id,summary,client,actor');
    expect(lines).toHaveLength(9);
    expect(lines[1]).toContain('DELETE,/v1/links/:id');
  });

  it('is for owners and managers only, and per organisation', async () => {
    await expectError(await call('GET', '/v1/audit-log', { key: editor.key }), 403, 'forbidden');
    const other = await createOrganization('Elsewhere');
    expect((await list('', other.ownerKey)).data).toEqual([]);
  });
});
