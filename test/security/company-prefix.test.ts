// Keys belong to their GS1 Company Prefix holder: another organisation's key is refused (403
// naming the prefixes) on every key-bearing write, sees none of the key's data, and the resolver
// never follows data a non-holder stored.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { urlRule } from '../support/rules';

/** A GTIN-14 under company prefix 950600 (the holder's) or 950601 (the intruder's). */
const gtinUnder = (prefix: string, item: number) =>
  withCheckDigit(`0${prefix}${String(item).padStart(12 - prefix.length, '0')}`);

const linkBody = (gtin: string, href: string) => ({
  anchor: `/01/${gtin}`,
  item_description: 'A product',
  links: [{ link_type: 'gs1:pip', href, title: 'Product page', default: true }],
});

let holder: TestOrg;
let intruder: TestOrg;
let singleBrand: TestOrg;

beforeAll(async () => {
  holder = await createOrganization('Prefix Holder', { prefixes: ['950600'] });
  intruder = await createOrganization('Intruder', { prefixes: ['950601'] });
  // A single-brand deployment's organisation: every prefix that no one holds by grant.
  singleBrand = await createOrganization('Single Brand');
});

const entitiesOf = async (orgId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM dl_entities WHERE org_id = ?')
    .bind(orgId)
    .first<{ n: number }>())!.n;

describe('writes need the key’s company prefix', () => {
  it('the holder publishes links under its prefix', async () => {
    const res = await call('PUT', '/v1/links', {
      key: holder.ownerKey,
      body: linkBody(gtinUnder('950600', 1), 'https://holder.example/1'),
    });
    expect(res.status).toBe(201);
  });

  it('another organisation’s links, products, rules and issued serials for it: 403 naming its prefixes', async () => {
    const gtin = gtinUnder('950600', 2);
    const key = intruder.ownerKey;
    const writes = [
      call('PUT', '/v1/links', { key, body: linkBody(gtin, 'https://evil.example/') }),
      call('POST', '/v1/links/bulk', { key, body: { entries: [linkBody(gtin, 'https://evil.example/')] } }),
      call('POST', '/v1/products', { key, body: { gtin, fields: { name: { value: 'Fake' } } } }),
      call('POST', '/v1/products/bulk', {
        key,
        body: { items: [{ gtin, fields: { name: { value: 'Fake' } } }] },
      }),
      call('POST', '/v1/rules', { key, body: urlRule(gtin, 'https://evil.example/') }),
      call('POST', '/v1/rules/bulk', {
        key,
        body: { rules: [urlRule(gtin, 'https://evil.example/', { client_key: 'evil' })] },
      }),
      call('POST', '/v1/issued-serials', { key, body: { kind: 'list', gtin, serials: ['A1'] } }),
      // The same writes as CSV files.
      call('POST', '/v1/links/bulk', {
        key,
        headers: { 'content-type': 'text/csv' },
        body: `anchor,item_description,link_type,href,title\n/01/${gtin},Fake,gs1:pip,https://evil.example/,Fake\n`,
      }),
      call('POST', '/v1/products/bulk', {
        key,
        headers: { 'content-type': 'text/csv' },
        body: `gtin,name\n${gtin},Fake\n`,
      }),
    ];
    for (const res of await Promise.all(writes)) {
      const error = await expectError(res, 403, 'forbidden');
      expect(error.message).toContain(`01/${gtin}`);
      expect(error.message).toContain('granted: 950601');
    }
    expect(await entitiesOf(intruder.orgId)).toBe(0);
    const products = await env.DB.prepare('SELECT count(*) AS n FROM products WHERE gtin = ?')
      .bind(gtin)
      .first();
    expect(products).toEqual({ n: 0 });
    const rules = await env.DB.prepare('SELECT count(*) AS n FROM resolution_rules WHERE gtin = ?')
      .bind(gtin)
      .first();
    expect(rules).toEqual({ n: 0 });
  });

  it('a bulk write with one foreign key writes nothing at all', async () => {
    const res = await call('POST', '/v1/links/bulk', {
      key: intruder.ownerKey,
      body: {
        entries: [
          linkBody(gtinUnder('950601', 1), 'https://intruder.example/own'),
          linkBody(gtinUnder('950600', 3), 'https://evil.example/'),
        ],
      },
    });
    await expectError(res, 403, 'forbidden');
    expect(await entitiesOf(intruder.orgId)).toBe(0);
  });

  it('the intruder still publishes under its own prefix', async () => {
    const res = await call('PUT', '/v1/links', {
      key: intruder.ownerKey,
      body: linkBody(gtinUnder('950601', 2), 'https://intruder.example/2'),
    });
    expect(res.status).toBe(201);
  });

  it('an all-prefix organisation may not take a key under a prefix someone holds', async () => {
    const error = await expectError(
      await call('PUT', '/v1/links', {
        key: singleBrand.ownerKey,
        body: linkBody(gtinUnder('950600', 4), 'https://evil.example/'),
      }),
      403,
      'forbidden',
    );
    expect(error.message).toContain('950600');
    expect(error.message).toContain('another organisation holds');
    // Under a prefix no one holds, it publishes as before.
    const free = await call('PUT', '/v1/links', {
      key: singleBrand.ownerKey,
      body: linkBody(gtinUnder('761234', 1), 'https://single.example/1'),
    });
    expect(free.status).toBe(201);
  });
});

describe('reads and the resolver trust only the holder', () => {
  it('the live totals of the holder’s key are a 404 for another organisation', async () => {
    const gtin = gtinUnder('950600', 1);
    expect((await call('GET', `/v1/scans/live/01/${gtin}`, { key: holder.ownerKey })).status).toBe(200);
    await expectError(
      await call('GET', `/v1/scans/live/01/${gtin}`, { key: intruder.ownerKey }),
      404,
      'not_found',
    );
  });

  it('data a non-holder stored (before grants existed) is neither resolved nor shown to it', async () => {
    const gtin = gtinUnder('950600', 5);
    // Written straight to D1, as an existing deployment's data would be.
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO dl_entities (id, org_id, key_ai, key_value, qualifier_path, qualifier_template, item_description, matches_prefix, created_at, updated_at)
         VALUES ('ent_foreign', ?, '01', ?, '', '', 'Foreign', 0, 0, 0)`,
      ).bind(intruder.orgId, gtin),
      env.DB.prepare(
        `INSERT INTO dl_links (id, entity_id, org_id, position, link_type, href, title, is_default)
         VALUES ('lnk_foreign', 'ent_foreign', ?, 0, 'gs1:pip', 'https://evil.example/', 'Evil', 1)`,
      ).bind(intruder.orgId),
    ]);
    const scan = await call('GET', `/01/${gtin}`);
    expect(scan.headers.get('location') ?? '').not.toContain('evil.example');
    await expectError(
      await call('GET', `/v1/scans/live/01/${gtin}`, { key: intruder.ownerKey }),
      404,
      'not_found',
    );
  });

  it('the holder’s own link is what scans follow', async () => {
    const gtin = gtinUnder('950600', 1);
    const scan = await call('GET', `/01/${gtin}`);
    expect(scan.status).toBe(307);
    expect(scan.headers.get('location')).toBe('https://holder.example/1');
  });
});
