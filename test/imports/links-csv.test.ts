// POST /v1/links/bulk with a text/csv body: a row per link, grouped into entities by anchor.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, insertKey } from '../support/accounts';
import { csvLine, postCsv } from '../support/csv';
import { call, expectError } from '../support/http';

const HEADER = 'anchor,item_description,link_type,href,title,hreflang,context,default,forward_query';
const csvOf = (rows: string[]) => [HEADER, ...rows].join('\n');
const GTIN = '09506000134352';

async function storedLinks(orgId: string) {
  return (
    await env.DB.prepare(
      `SELECT e.key_value, e.qualifier_path, e.item_description, l.link_type, l.href, l.title, l.hreflang, l.is_default
       FROM dl_links l JOIN dl_entities e ON e.id = l.entity_id WHERE l.org_id = ? ORDER BY e.qualifier_path, l.href`,
    )
      .bind(orgId)
      .all()
  ).results;
}

const problems = (details: unknown) => details as { line: number; column?: string; message: string }[];

describe('CSV link import', () => {
  it('groups rows into entities by anchor and stores their links', async () => {
    const org = await createOrganization();
    const csv = csvOf([
      csvLine([
        `/01/${GTIN}`,
        'Risotto, 500 g',
        'gs1:pip',
        'https://brand.example/risotto',
        'Product page',
        'en;fr',
        '',
        'true',
        '',
      ]),
      csvLine([
        `/01/${GTIN}/10/LOT1`,
        'Risotto lot 1',
        'gs1:recallStatus',
        'https://brand.example/recall',
        'Recall "notice"\nLot 1',
        '',
        '',
        '',
        'false',
      ]),
      csvLine([
        `/01/${GTIN}`,
        'Risotto, 500 g',
        'gs1:recipeInfo',
        'https://brand.example/recipes',
        'Recipes',
        '',
        'FR',
        'false',
        '',
      ]),
    ]);
    const res = await postCsv('/v1/links/bulk', org.ownerKey, csv);
    expect(res.status).toBe(200);
    const body = await res.json<{
      created: number;
      replaced: number;
      data: { anchor: string; created: boolean }[];
    }>();
    expect(body).toMatchObject({ created: 2, replaced: 0 });
    expect(body.data.map((d) => d.anchor)).toEqual([`/01/${GTIN}`, `/01/${GTIN}/10/LOT1`]);
    const links = await storedLinks(org.orgId);
    expect(links).toHaveLength(3);
    expect(links[0]).toMatchObject({
      item_description: 'Risotto, 500 g',
      href: 'https://brand.example/recipes',
      is_default: 0,
    });
    expect(links[1]).toMatchObject({
      href: 'https://brand.example/risotto',
      hreflang: '["en","fr"]',
      is_default: 1,
    });
    expect(links[2]).toMatchObject({ title: 'Recall "notice"\nLot 1', is_default: 1 });
    // The resolver answers from what the CSV stored.
    const resolved = await call('GET', `/01/${GTIN}`);
    expect(resolved.status).toBe(307);
    expect(resolved.headers.get('location')).toBe('https://brand.example/risotto');
  });

  it('reports a row that disagrees with its entity, and link errors, by line', async () => {
    const org = await createOrganization();
    const csv = csvOf([
      csvLine([`/01/${GTIN}`, 'Risotto', 'gs1:pip', 'https://brand.example/a', 'A', '', '', 'true', '']),
      csvLine([`/01/${GTIN}`, 'Risotto!', 'gs1:recipeInfo', 'https://brand.example/b', 'B', '', '', '', '']),
      csvLine([`/01/${GTIN}/10/X`, 'Lot X', 'gs1:pip', 'ftp://brand.example/c', 'C', '', '', 'maybe', '']),
      csvLine([
        `/01/${GTIN}/10/Y`,
        'Lot Y',
        'gs1:pip',
        'https://brand.example/d',
        'D',
        'english',
        '',
        '',
        '',
      ]),
    ]);
    const error = await expectError(
      await postCsv('/v1/links/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    expect(problems(error.details).map((p) => [p.line, p.column])).toEqual([
      [3, 'item_description'],
      [4, 'default'],
      [5, 'hreflang'],
    ]);
    expect(problems(error.details)[0]!.message).toBe(
      "Differs from the item_description of this anchor's first row (line 2)",
    );
    expect(await storedLinks(org.orgId)).toEqual([]);
  });

  it('runs the route checks on the CSV: link types, anchors, one default per entity', async () => {
    const org = await createOrganization();
    const csv = csvOf([
      csvLine([`/01/${GTIN}`, 'Risotto', 'gs1:pip', 'https://brand.example/a', 'A', '', '', 'true', '']),
      csvLine([
        `/01/${GTIN}`,
        'Risotto',
        'gs1:recipeInfo',
        'https://brand.example/b',
        'B',
        '',
        '',
        'true',
        '',
      ]),
      csvLine([`/01/09506000134353`, 'Bad key', 'gs1:pip', 'https://brand.example/c', 'C', '', '', '', '']),
      csvLine([
        `/01/09506000134376`,
        'Odd type',
        'gs1:nonsense',
        'https://brand.example/d',
        'D',
        '',
        '',
        '',
        '',
      ]),
    ]);
    const error = await expectError(
      await postCsv('/v1/links/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    const listed = problems(error.details);
    expect(listed.map((p) => [p.line, p.column])).toEqual([
      [2, 'anchor'],
      [4, 'anchor'],
      [5, 'link_type'],
    ]);
    expect(listed[0]!.message).toContain('Exactly one link must be the default');
    expect(await storedLinks(org.orgId)).toEqual([]);
  });

  it('caps entities at 500, naming the first row past the cap', async () => {
    const org = await createOrganization();
    const rows = Array.from({ length: 501 }, (_, i) =>
      csvLine([
        `/01/${GTIN}/10/L${i}`,
        `Lot ${i}`,
        'gs1:pip',
        `https://brand.example/${i}`,
        'P',
        '',
        '',
        '',
        '',
      ]),
    );
    const error = await expectError(
      await postCsv('/v1/links/bulk', org.ownerKey, csvOf(rows)),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([
      { line: 502, column: 'anchor', message: 'At most 500 anchors per request; split larger imports' },
    ]);
  });

  it('rejects unknown and missing columns, and a ragged row', async () => {
    const org = await createOrganization();
    const missing = await expectError(
      await postCsv(
        '/v1/links/bulk',
        org.ownerKey,
        'anchor,href,title,colour\n/01/09506000134352,https://a.example,A,red',
      ),
      400,
      'validation_failed',
    );
    expect(problems(missing.details).map((p) => p.column)).toEqual([
      'colour',
      'item_description',
      'link_type',
    ]);
    const ragged = await expectError(
      await postCsv('/v1/links/bulk', org.ownerKey, csvOf([`/01/${GTIN},Risotto,gs1:pip`])),
      400,
      'validation_failed',
    );
    expect(ragged.details).toEqual([{ line: 2, message: '3 cells where the header has 9' }]);
  });

  it('needs an editor key, and a GS1 key under the organisation’s prefixes', async () => {
    const holder = await createOrganization('Holder', { prefixes: ['950600'] });
    await createOrganization('Other holder', { prefixes: ['950601'] });
    const reader = await insertKey(holder.orgId, 'readonly');
    const mine = csvLine([`/01/${GTIN}`, 'Mine', 'gs1:pip', 'https://brand.example/a', 'A', '', '', '', '']);
    await expectError(await postCsv('/v1/links/bulk', reader.key, csvOf([mine])), 403, 'forbidden');
    const theirs = withCheckDigit('0950601000000');
    const csv = csvOf([
      mine,
      csvLine([`/01/${theirs}/10/A`, 'Theirs', 'gs1:pip', 'https://brand.example/b', 'B', '', '', '', '']),
      csvLine([`/01/${theirs}`, 'Theirs', 'gs1:pip', 'https://brand.example/c', 'C', '', '', '', '']),
    ]);
    const error = await expectError(await postCsv('/v1/links/bulk', holder.ownerKey, csv), 403, 'forbidden');
    expect(error.details).toMatchObject({
      key: `01/${theirs}`,
      rows: [
        { line: 3, column: 'anchor' },
        { line: 4, column: 'anchor' },
      ],
    });
    expect(await storedLinks(holder.orgId)).toEqual([]);
  });
});
