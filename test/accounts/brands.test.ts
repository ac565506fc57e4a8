import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';

interface BrandBody {
  id: string;
  name: string;
}

describe('brands', () => {
  it('creates, reads, renames, lists and deletes a brand', async () => {
    const org = await createOrganization();
    const created = await call('POST', '/v1/brands', { key: org.ownerKey, body: { name: 'Sunny Oats' } });
    expect(created.status).toBe(201);
    const brand = await created.json<BrandBody>();
    expect(brand.id).toMatch(/^brd_/);

    const renamed = await call('PATCH', `/v1/brands/${brand.id}`, {
      key: org.ownerKey,
      body: { name: 'Sunny Oats Co' },
    });
    expect((await renamed.json<BrandBody>()).name).toBe('Sunny Oats Co');
    const list = await (await call('GET', '/v1/brands', { key: org.ownerKey })).json<{ data: BrandBody[] }>();
    expect(list.data).toEqual([expect.objectContaining({ id: brand.id, name: 'Sunny Oats Co' })]);

    expect((await call('DELETE', `/v1/brands/${brand.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(await call('GET', `/v1/brands/${brand.id}`, { key: org.ownerKey }), 404, 'not_found');
  });

  it('refuses a duplicate name with 409', async () => {
    const org = await createOrganization();
    await call('POST', '/v1/brands', { key: org.ownerKey, body: { name: 'Twin' } });
    await expectError(
      await call('POST', '/v1/brands', { key: org.ownerKey, body: { name: 'Twin' } }),
      409,
      'conflict',
    );
  });

  it('lets readonly keys read but not write', async () => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    expect((await call('GET', '/v1/brands', { key: reader.key })).status).toBe(200);
    await expectError(
      await call('POST', '/v1/brands', { key: reader.key, body: { name: 'Nope' } }),
      403,
      'forbidden',
    );
    const count = await env.DB.prepare('SELECT count(*) AS n FROM brands WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(count).toBe(0);
  });

  it("keeps one organisation out of another's brands (404, unchanged)", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const brand = await (
      await call('POST', '/v1/brands', { key: b.ownerKey, body: { name: 'B brand' } })
    ).json<BrandBody>();
    await expectError(await call('GET', `/v1/brands/${brand.id}`, { key: a.ownerKey }), 404, 'not_found');
    await expectError(
      await call('PATCH', `/v1/brands/${brand.id}`, { key: a.ownerKey, body: { name: 'stolen' } }),
      404,
      'not_found',
    );
    await expectError(await call('DELETE', `/v1/brands/${brand.id}`, { key: a.ownerKey }), 404, 'not_found');
    const still = await (await call('GET', `/v1/brands/${brand.id}`, { key: b.ownerKey })).json<BrandBody>();
    expect(still.name).toBe('B brand');
    const aList = await (await call('GET', '/v1/brands', { key: a.ownerKey })).json<{ data: BrandBody[] }>();
    expect(aList.data).toEqual([]);
  });
});
