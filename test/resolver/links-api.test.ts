import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError } from '../support/http';

interface EntityBody {
  id: string;
  anchor: string;
  key: { ai: string; value: string };
  item_description: string;
  links: { id: string; link_type: string; href: string; default: boolean; hreflang: string[] }[];
  updated_at: string;
}

const gtinEntity = (gtin: string, overrides: Record<string, unknown> = {}) => ({
  anchor: `/01/${gtin}`,
  item_description: 'Test product',
  links: [
    {
      link_type: 'gs1:pip',
      href: 'https://brand.example/p/{gtin}',
      title: 'Product page',
      hreflang: ['en'],
      default: true,
    },
    { link_type: 'https://gs1.org/voc/recipeInfo', href: 'https://brand.example/recipes', title: 'Recipes' },
  ],
  ...overrides,
});

// GTINs with valid check digits, one per test so tests never share a key.
const GTINS = [
  '09506000134369',
  '09506000134383',
  '09506000134390',
  '09506000134406',
  '09506000134413',
  '09506000134420',
  '09506000134437',
  '09506000134444',
  '09506000134451',
  '09506000134468',
];

describe('links API', () => {
  it('creates an entity (201), reads it, and the resolver follows it at once', async () => {
    const org = await createOrganization();
    const res = await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[0]!) });
    expect(res.status).toBe(201);
    const body = await res.json<EntityBody>();
    expect(body).toMatchObject({ anchor: `/01/${GTINS[0]}`, key: { ai: '01', value: GTINS[0] } });
    expect(body.links.map((l) => l.link_type)).toEqual(['gs1:pip', 'gs1:recipeInfo']);
    expect(body.links[0]!.default).toBe(true);

    const got = await (await call('GET', `/v1/links/${body.id}`, { key: org.ownerKey })).json<EntityBody>();
    expect(got).toEqual(body);
    const scan = await call('GET', `/01/${GTINS[0]}`);
    expect(scan.status).toBe(307);
    expect(scan.headers.get('location')).toBe(`https://brand.example/p/${GTINS[0]}`);
  });

  it('replaces an entity (200) and the change is visible to the resolver in this isolate at once', async () => {
    const org = await createOrganization();
    await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[1]!) });
    expect((await call('GET', `/01/${GTINS[1]}`)).headers.get('location')).toContain('brand.example/p/');
    const replaced = await call('PUT', '/v1/links', {
      key: org.ownerKey,
      body: gtinEntity(GTINS[1]!, {
        links: [{ link_type: 'gs1:pip', href: 'https://new.example/', title: 'New' }],
      }),
    });
    expect(replaced.status).toBe(200);
    expect((await call('GET', `/01/${GTINS[1]}`)).headers.get('location')).toBe('https://new.example/');
    const rows = await env.DB.prepare(
      'SELECT count(*) AS n FROM dl_links l JOIN dl_entities e ON e.id = l.entity_id WHERE e.key_value = ?',
    )
      .bind(GTINS[1])
      .first('n');
    expect(rows).toBe(1);
  });

  it('a PUT of identical content changes nothing, not even updated_at', async () => {
    const org = await createOrganization();
    const first = await (
      await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[2]!) })
    ).json<EntityBody>();
    const again = await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[2]!) });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
  });

  it('accepts a GTIN-13 anchor and stores it as 14 digits', async () => {
    const org = await createOrganization();
    const res = await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[3]!.slice(1)) });
    expect((await res.json<EntityBody>()).anchor).toBe(`/01/${GTINS[3]}`);
    expect((await call('GET', `/01/${GTINS[3]!.slice(1)}`)).status).toBe(307);
  });

  it('bulk-upserts many entities in one all-or-nothing batch', async () => {
    const org = await createOrganization();
    const entries = Array.from({ length: 120 }, (_, i) => ({
      anchor: `/01/${GTINS[4]}/10/LOT${i}`,
      item_description: `Lot ${i}`,
      links: Array.from({ length: 3 }, (_, j) => ({
        link_type: 'gs1:certificationInfo',
        href: `https://brand.example/lot${i}/c${j}`,
        title: `c${j}`,
        default: j === 0,
      })),
    }));
    const res = await call('POST', '/v1/links/bulk', { key: org.ownerKey, body: { entries } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 120, replaced: 0 });
    const n = await env.DB.prepare('SELECT count(*) AS n FROM dl_links WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(n).toBe(360);

    // One bad entry anywhere: nothing of the request lands.
    const broken = [
      ...entries.map((e) => ({ ...e, item_description: 'changed' })),
      { ...entries[0]!, anchor: `/01/${GTINS[4]!.slice(0, 13)}9/10/X` },
    ];
    const bad = await call('POST', '/v1/links/bulk', { key: org.ownerKey, body: { entries: broken } });
    const error = await expectError(bad, 400, 'validation_failed');
    expect(JSON.stringify(error.details)).toContain('entries.120.anchor');
    const unchanged = await env.DB.prepare(
      "SELECT count(*) AS n FROM dl_entities WHERE org_id = ? AND item_description = 'changed'",
    )
      .bind(org.orgId)
      .first('n');
    expect(unchanged).toBe(0);
  });

  it('lists with a key filter and cursor pagination, and deletes', async () => {
    const org = await createOrganization();
    for (const lot of ['A', 'B', 'C']) {
      await call('PUT', '/v1/links', {
        key: org.ownerKey,
        body: gtinEntity(GTINS[5]!, { anchor: `/01/${GTINS[5]}/10/${lot}` }),
      });
    }
    const page1 = await (
      await call('GET', `/v1/links?key_ai=01&key_value=${GTINS[5]}&limit=2`, { key: org.ownerKey })
    ).json<{ data: EntityBody[]; next_cursor: string }>();
    expect(page1.data).toHaveLength(2);
    const page2 = await (
      await call('GET', `/v1/links?key_ai=01&key_value=${GTINS[5]}&limit=2&after=${page1.next_cursor}`, {
        key: org.ownerKey,
      })
    ).json<{ data: EntityBody[]; next_cursor: string | null }>();
    expect(page2.data).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    expect(new Set([...page1.data, ...page2.data].map((e) => e.anchor))).toEqual(
      new Set(['A', 'B', 'C'].map((l) => `/01/${GTINS[5]}/10/${l}`)),
    );

    expect((await call('DELETE', `/v1/links/${page2.data[0]!.id}`, { key: org.ownerKey })).status).toBe(204);
    await expectError(
      await call('GET', `/v1/links/${page2.data[0]!.id}`, { key: org.ownerKey }),
      404,
      'not_found',
    );
  });

  it("keeps organisations apart: 404 for another's entity, 409 for another's key, nothing changed", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const entity = await (
      await call('PUT', '/v1/links', { key: b.ownerKey, body: gtinEntity(GTINS[6]!) })
    ).json<EntityBody>();
    await expectError(await call('GET', `/v1/links/${entity.id}`, { key: a.ownerKey }), 404, 'not_found');
    await expectError(await call('DELETE', `/v1/links/${entity.id}`, { key: a.ownerKey }), 404, 'not_found');
    await expectError(
      await call('PUT', '/v1/links', { key: a.ownerKey, body: gtinEntity(GTINS[6]!) }),
      409,
      'conflict',
    );
    await expectError(
      await call('PUT', '/v1/links', {
        key: a.ownerKey,
        body: gtinEntity(GTINS[6]!, { anchor: `/01/${GTINS[6]}/10/MINE` }),
      }),
      409,
      'conflict',
    );
    const list = await (await call('GET', '/v1/links', { key: a.ownerKey })).json<{ data: unknown[] }>();
    expect(list.data).toEqual([]);
    expect((await call('GET', `/01/${GTINS[6]}`)).headers.get('location')).toBe(
      `https://brand.example/p/${GTINS[6]}`,
    );
  });

  it("the database itself refuses a second owner for a key (trigger), even past the API's check", async () => {
    const b = await createOrganization('B');
    await call('PUT', '/v1/links', { key: b.ownerKey, body: gtinEntity(GTINS[7]!) });
    const a = await createOrganization('A');
    await expect(
      env.DB.prepare(`INSERT INTO dl_entities (id, org_id, key_ai, key_value, qualifier_path, qualifier_template, item_description, created_at, updated_at)
        VALUES ('ent_x', ?, '01', ?, '/10/X', '/10/X', 'x', 0, 0)`)
        .bind(a.orgId, GTINS[7])
        .run(),
    ).rejects.toThrow(/dl_key_owned_by_another_organisation/);
  });

  it('lets readonly keys read but not write', async () => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(
      await call('PUT', '/v1/links', { key: reader.key, body: gtinEntity(GTINS[8]!) }),
      403,
      'forbidden',
    );
    expect((await call('GET', '/v1/links', { key: reader.key })).status).toBe(200);
    expect((await call('GET', `/01/${GTINS[8]}`)).status).toBe(404);
  });

  it.each([
    ['a bad check digit', { anchor: '/01/09506000134353' }, 'anchor', /check digit/],
    ['qualifiers in the wrong order', { anchor: `/01/${GTINS[9]}/21/S/10/L` }, 'anchor', /before/],
    ['a wildcard primary key', { anchor: '/01/{gtin}' }, 'anchor', /primary key needs a real value/],
    [
      'an unknown GS1 link type',
      { links: [{ link_type: 'gs1:nosuchthing', href: 'https://x.example/', title: 't' }] },
      'links.0.link_type',
      /not a link type/,
    ],
    [
      'a relative href',
      { links: [{ link_type: 'gs1:pip', href: '/relative', title: 't' }] },
      'links.0.href',
      /absolute http/,
    ],
    [
      'a javascript: href',
      { links: [{ link_type: 'gs1:pip', href: 'javascript:alert(1)', title: 't' }] },
      'links.0.href',
      /absolute http/,
    ],
    [
      'an unknown placeholder',
      { links: [{ link_type: 'gs1:pip', href: 'https://x.example/{nope}', title: 't' }] },
      'links.0.href',
      /\{nope\}/,
    ],
    [
      'two defaults',
      {
        links: [
          { link_type: 'gs1:pip', href: 'https://x.example/', title: 't', default: true },
          { link_type: 'gs1:pip', href: 'https://y.example/', title: 't', default: true },
        ],
      },
      'links',
      /Exactly one/,
    ],
    [
      'no default among several',
      {
        links: [
          { link_type: 'gs1:pip', href: 'https://x.example/', title: 't' },
          { link_type: 'gs1:pip', href: 'https://y.example/', title: 't' },
        ],
      },
      'links',
      /Exactly one/,
    ],
    ['no links', { links: [] }, 'links', /./],
    ['an unknown field', { colour: 'red' }, '(root)', /./],
    [
      'a bad language tag',
      { links: [{ link_type: 'gs1:pip', href: 'https://x.example/', title: 't', hreflang: ['english!'] }] },
      'links.0.hreflang.0',
      /language tags/,
    ],
  ])('rejects %s with 400 and a pointer to the field', async (_name, overrides, path, message) => {
    const org = await createOrganization();
    const res = await call('PUT', '/v1/links', { key: org.ownerKey, body: gtinEntity(GTINS[9]!, overrides) });
    const error = await expectError(res, 400, 'validation_failed');
    const details = error.details as { path: string; message: string }[];
    const hit = details.find((d) => d.path === path);
    expect(hit, JSON.stringify(details)).toBeDefined();
    expect(hit!.message).toMatch(message);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM dl_entities WHERE org_id = ?')
      .bind(org.orgId)
      .first('n');
    expect(n).toBe(0);
  });
});
