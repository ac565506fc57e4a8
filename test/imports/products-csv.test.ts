// POST /v1/products/bulk with a text/csv body: rows become the JSON items, all or nothing, every
// bad row reported by line and column.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit';
import { createOrganization, insertKey } from '../support/accounts';
import { postCsv } from '../support/csv';
import { call, expectError } from '../support/http';

const gtins = (count: number, prefix = '1950600') =>
  Array.from({ length: count }, (_, i) =>
    withCheckDigit(`${prefix}${String(i).padStart(13 - prefix.length, '0')}`),
  );

const csvOf = (header: string, rows: string[]) => [header, ...rows].join('\n');

async function stored(orgId: string) {
  return (
    await env.DB.prepare(
      'SELECT gtin, name, status, fields, authorised_markets, recalled_lots FROM products WHERE org_id = ? ORDER BY gtin',
    )
      .bind(orgId)
      .all<{
        gtin: string;
        name: string;
        status: string;
        fields: string;
        authorised_markets: string;
        recalled_lots: string;
      }>()
  ).results;
}

const problems = (details: unknown) => details as { line: number; column?: string; message: string }[];

describe('CSV product import', () => {
  it('stores each row as the JSON route would, with quoted commas, quotes and line breaks', async () => {
    const org = await createOrganization();
    const csv = csvOf(
      'gtin,name,name.source,name.confidence,description,allergens,net_content,nutrition,authorised_markets,recalled_lots,status',
      [
        '09506000134352,"Risotto, Milanese",import,0.9,"Saffron ""gold""\nand rice","milk; celery",500 g,basis=100g; energy_kcal=354,FR;DE,L1;L2,active',
        '9506000134376,Capsules,,,,[],10 count,,,,',
      ],
    );
    const res = await postCsv('/v1/products/bulk', org.ownerKey, csv);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ received: 2, created: 2, updated: 0 });
    const rows = await stored(org.orgId);
    expect(rows.map((r) => [r.gtin, r.name, r.status])).toEqual([
      ['09506000134352', 'Risotto, Milanese', 'active'],
      ['09506000134376', 'Capsules', 'active'],
    ]);
    const fields = JSON.parse(rows[0]!.fields);
    expect(fields.name).toEqual({ value: 'Risotto, Milanese', source: 'import', confidence: 0.9 });
    expect(fields.description.value).toBe('Saffron "gold"\nand rice');
    expect(fields.allergens.value).toEqual(['milk', 'celery']);
    expect(fields.net_content.value).toEqual({ value: 500, unit: 'g' });
    expect(fields.nutrition.value).toEqual({ basis: '100g', energy_kcal: 354 });
    expect(JSON.parse(rows[0]!.authorised_markets)).toEqual(['DE', 'FR']);
    expect(JSON.parse(rows[0]!.recalled_lots).map((l: { lot: string }) => l.lot)).toEqual(['L1', 'L2']);
    expect(JSON.parse(rows[1]!.fields).allergens.value).toEqual([]);
  });

  it('answers a CSV upsert exactly as the JSON one, replacing by GTIN', async () => {
    const org = await createOrganization();
    await call('POST', '/v1/products/bulk', {
      key: org.ownerKey,
      body: { items: [{ gtin: '09506000134352', fields: { name: { value: 'Old' } } }] },
    });
    const res = await postCsv(
      '/v1/products/bulk',
      org.ownerKey,
      csvOf('gtin,name', ['09506000134352,New', '09506000134376,Other']),
    );
    expect(await res.json()).toEqual({ received: 2, created: 1, updated: 1 });
    expect((await stored(org.orgId)).map((r) => r.name)).toEqual(['New', 'Other']);
  });

  it('reads a BOM and CRLF line ends, counting lines past a multi-line cell', async () => {
    const org = await createOrganization();
    const csv =
      '\uFEFFgtin,name,description\r\n09506000134352,Risotto,"two\r\nlines"\r\n\r\n09506000134353,Bad,x\r\n';
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([
      { line: 5, column: 'gtin', message: 'check digit of GTIN 09506000134353 should be 2, got 3' },
    ]);
    expect(await stored(org.orgId)).toEqual([]);
    const ok = await postCsv('/v1/products/bulk', org.ownerKey, csv.replace('09506000134353,Bad,x\r\n', ''));
    expect(await ok.json()).toEqual({ received: 1, created: 1, updated: 0 });
    expect(JSON.parse((await stored(org.orgId))[0]!.fields).description.value).toBe('two\r\nlines');
  });

  it('writes nothing for one bad row deep in a large file, naming its line and column', async () => {
    const org = await createOrganization();
    const rows = gtins(6000).map((g) => `${g},Product ${g},0.5`);
    rows[4321] = `${gtins(4322)[4321]},Product,1.5`; // line 4323: confidence over 1
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csvOf('gtin,name,name.confidence', rows)),
      400,
      'validation_failed',
    );
    expect(error.message).toBe('The CSV has 1 problem on 1 line; nothing was written');
    expect(error.details).toEqual([
      { line: 4323, column: 'name.confidence', message: 'Too big: expected number to be <=1' },
    ]);
    expect(await stored(org.orgId)).toEqual([]);
  });

  it('lists every bad row, cross-row duplicates by line too', async () => {
    const org = await createOrganization();
    const csv = csvOf('gtin,name,status,net_content,name.confidence,images', [
      '09506000134352,Risotto,active,500 g,,', // 2: fine
      '09506000134352,Again,,,,', // 3: same GTIN as line 2
      '09506000134376,,sold,,,', // 4: unknown status
      '09506000134383,Oil,,a lot,high,', // 5: net_content and confidence unreadable
      '09506000134390,Pasta,,5 tonnes,,http://x.example/a.png', // 6: unit and image
      '"09506000134406",Rice,,,,', // 7: fine
    ]);
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    const listed = problems(error.details);
    expect(listed.map((p) => [p.line, p.column])).toEqual([
      [3, 'gtin'],
      [4, 'status'],
      [5, 'name.confidence'],
      [5, 'net_content'],
      [6, 'images'],
      [6, 'net_content'],
    ]);
    expect(listed[0]!.message).toBe('GTIN 09506000134352 is also line 2');
    expect(listed[3]!.message).toBe('Must be an amount and a unit, e.g. "500 g"');
    expect(error.message).toBe('The CSV has 6 problems on 4 lines; nothing was written');
    expect(await stored(org.orgId)).toEqual([]);
  });

  it('lists duplicates among the good rows even when other rows are bad', async () => {
    const org = await createOrganization();
    const csv = csvOf('gtin,name', ['09506000134352,A', '09506000134353,B', '09506000134352,C']);
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    expect(problems(error.details).map((p) => [p.line, p.column])).toEqual([
      [3, 'gtin'],
      [4, 'gtin'],
    ]);
    expect(problems(error.details)[1]!.message).toBe('GTIN 09506000134352 is also line 2');
  });

  it('caps the list at 100 problems and counts them all', async () => {
    const org = await createOrganization();
    const rows = gtins(150).map((g) => `${g},x,2`);
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csvOf('gtin,name,name.confidence', rows)),
      400,
      'validation_failed',
    );
    expect(problems(error.details)).toHaveLength(100);
    expect(problems(error.details)[99]!.line).toBe(101);
    expect(error.message).toBe(
      'The CSV has 150 problems on 150 lines; the first 100 are listed; nothing was written',
    );
  });

  it('rejects unknown, repeated and missing header columns by name', async () => {
    const org = await createOrganization();
    const unknown = await expectError(
      await postCsv(
        '/v1/products/bulk',
        org.ownerKey,
        csvOf('gtin,name,colour,Name', ['09506000134352,a,b,c']),
      ),
      400,
      'validation_failed',
    );
    expect(problems(unknown.details).map((p) => [p.line, p.column])).toEqual([
      [1, 'colour'],
      [1, 'Name'],
    ]);
    expect(unknown.message).toContain('Unknown column "colour"');
    const missing = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csvOf('name,name', ['a,b'])),
      400,
      'validation_failed',
    );
    expect(missing.details).toEqual([
      { line: 1, column: 'name', message: 'Column named twice' },
      { line: 1, column: 'gtin', message: 'Required column missing' },
    ]);
  });

  it('reports ragged rows and unreadable quoting by line', async () => {
    const org = await createOrganization();
    const ragged = await expectError(
      await postCsv(
        '/v1/products/bulk',
        org.ownerKey,
        csvOf('gtin,name', ['09506000134352,a', '09506000134376', '09506000134383,b,c']),
      ),
      400,
      'validation_failed',
    );
    expect(ragged.details).toEqual([
      { line: 3, message: '1 cells where the header has 2' },
      { line: 4, message: '3 cells where the header has 2' },
    ]);
    const unclosed = await expectError(
      await postCsv(
        '/v1/products/bulk',
        org.ownerKey,
        csvOf('gtin,name', ['09506000134352,a', '09506000134376,"open', 'more']),
      ),
      400,
      'invalid_csv',
    );
    expect(unclosed.details).toEqual({ line: 3 });
    expect(unclosed.message).toContain('line 3: a quoted cell is never closed');
    const stray = await expectError(
      await postCsv(
        '/v1/products/bulk',
        org.ownerKey,
        csvOf('gtin,name', ['09506000134352,a', '09506000134376,say "hi"']),
      ),
      400,
      'invalid_csv',
    );
    expect(stray.details).toEqual({ line: 3 });
    expect(await stored(org.orgId)).toEqual([]);
  });

  it('rejects an empty body and a header without rows', async () => {
    const org = await createOrganization();
    const empty = await expectError(await postCsv('/v1/products/bulk', org.ownerKey, ''), 400, 'invalid_csv');
    expect(empty.details).toEqual({ line: 1 });
    const headerOnly = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, 'gtin,name\n'),
      400,
      'validation_failed',
    );
    expect(headerOnly.details).toEqual([{ line: 2, message: 'No rows below the header' }]);
  });

  it('stops at 10,000 rows and at the bulk body limit', async () => {
    const org = await createOrganization();
    const rows = gtins(10_001).map((g) => `${g},p`);
    const many = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csvOf('gtin,name', rows)),
      400,
      'validation_failed',
    );
    expect(many.details).toEqual([{ line: 10_002, message: 'Row 10001: at most 10000 rows per request' }]);
    const big = `gtin,description\n09506000134352,"${'x'.repeat(8 * 1024 * 1024)}"\n`;
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, big),
      413,
      'payload_too_large',
    );
    expect(error.details).toEqual({ max_bytes: 8 * 1024 * 1024 });
    expect(await stored(org.orgId)).toEqual([]);
  });

  it('takes UTF-8 only, and no other media type', async () => {
    const org = await createOrganization();
    const csv = csvOf('gtin,name', ['09506000134352,Crème brûlée']);
    const latin = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv, 'text/csv; charset=ISO-8859-1'),
      415,
      'unsupported_media_type',
    );
    expect(latin.message).toBe('CSV bodies must be UTF-8, not iso-8859-1');
    await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv, 'text/plain'),
      415,
      'unsupported_media_type',
    );
    const res = await postCsv(
      '/v1/products/bulk',
      org.ownerKey,
      csv,
      'text/csv; charset="UTF-8"; header=present',
    );
    expect(res.status).toBe(200);
    expect((await stored(org.orgId))[0]!.name).toBe('Crème brûlée');
    // Without a charset, UTF-8 is assumed (RFC 7111 defaults differ; spreadsheets write UTF-8).
    expect((await postCsv('/v1/products/bulk', org.ownerKey, csv, 'text/csv')).status).toBe(200);
  });

  it('needs an editor key', async () => {
    const org = await createOrganization();
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(
      await postCsv('/v1/products/bulk', reader.key, csvOf('gtin,name', ['09506000134352,a'])),
      403,
      'forbidden',
    );
    expect(await stored(org.orgId)).toEqual([]);
  });

  it("names the lines of another organisation's brand", async () => {
    const a = await createOrganization('A');
    const b = await createOrganization('B');
    const brandA = await (
      await call('POST', '/v1/brands', { key: a.ownerKey, body: { name: 'Mine' } })
    ).json<{ id: string }>();
    const brandB = await (
      await call('POST', '/v1/brands', { key: b.ownerKey, body: { name: 'Theirs' } })
    ).json<{ id: string }>();
    const csv = csvOf('gtin,brand_id,name', [
      `09506000134352,${brandA.id},a`,
      `09506000134376,${brandB.id},b`,
      `09506000134383,${brandB.id},c`,
    ]);
    const error = await expectError(await postCsv('/v1/products/bulk', a.ownerKey, csv), 404, 'not_found');
    expect(error.details).toEqual({
      brand_ids: [brandB.id],
      rows: [
        { line: 3, column: 'brand_id', message: `brand_id ${brandB.id} not found` },
        { line: 4, column: 'brand_id', message: `brand_id ${brandB.id} not found` },
      ],
    });
    expect(await stored(a.orgId)).toEqual([]);
  });

  it('names the line of a GTIN under a company prefix the organisation does not hold', async () => {
    const holder = await createOrganization('Holder', { prefixes: ['950600'] });
    await createOrganization('Other holder', { prefixes: ['950601'] });
    const theirs = withCheckDigit('950601000000');
    const csv = csvOf('gtin,name', ['09506000134352,mine', `${theirs},theirs`]);
    const error = await expectError(
      await postCsv('/v1/products/bulk', holder.ownerKey, csv),
      403,
      'forbidden',
    );
    expect(error.details).toMatchObject({
      key: `01/0${theirs}`,
      rows: [{ line: 3, column: 'gtin' }],
    });
    expect(await stored(holder.orgId)).toEqual([]);
  });
});
