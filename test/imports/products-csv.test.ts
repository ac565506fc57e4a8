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

async function stored(orgId: string) {
  return (
    await env.DB.prepare(
      'SELECT gtin, name, status, fields, authorised_markets FROM products WHERE org_id = ? ORDER BY gtin',
    )
      .bind(orgId)
      .all<{ gtin: string; name: string; status: string; fields: string; authorised_markets: string }>()
  ).results;
}

describe('CSV product import', () => {
  it('stores each row as the JSON route would, with quoted commas, quotes and line breaks', async () => {
    const org = await createOrganization();
    const csv = [
      'gtin,name,name.source,name.confidence,description,allergens,net_content,nutrition,authorised_markets,status',
      '09506000134352,"Risotto, Milanese",import,0.9,"Saffron ""gold""\nand rice","milk; celery",500 g,basis=100g; energy_kcal=354,FR;DE,active',
      '9506000134376,Capsules,,,,[],10 count,,,',
    ].join('\n');
    const res = await postCsv('/v1/products/bulk', org.ownerKey, csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, created: 2, updated: 0 });
    const rows = await stored(org.orgId);
    expect(rows.map((r) => [r.gtin, r.name])).toEqual([
      ['09506000134352', 'Risotto, Milanese'],
      ['09506000134376', 'Capsules'],
    ]);
    const fields = JSON.parse(rows[0]!.fields);
    expect(fields.name).toEqual({ value: 'Risotto, Milanese', source: 'import', confidence: 0.9 });
    expect(fields.description.value).toBe('Saffron "gold"\nand rice');
    expect(fields.allergens.value).toEqual(['milk', 'celery']);
    expect(fields.net_content.value).toEqual({ value: 500, unit: 'g' });
    expect(fields.nutrition.value).toEqual({ basis: '100g', energy_kcal: 354 });
    expect(JSON.parse(rows[0]!.authorised_markets)).toEqual(['DE', 'FR']);
    expect(JSON.parse(rows[1]!.fields).allergens.value).toEqual([]);
  });

  it('reads a BOM and CRLF line ends, with the right lines after a multi-line cell', async () => {
    const org = await createOrganization();
    const csv =
      '\uFEFFgtin,name,description\r\n09506000134352,Risotto,"two\r\nlines"\r\n09506000134353,Bad,x\r\n';
    const error = await expectError(
      await postCsv('/v1/products/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([
      { line: 4, column: 'gtin', message: 'check digit of GTIN 09506000134353 should be 2, got 3' },
    ]);
    const ok = await postCsv('/v1/products/bulk', org.ownerKey, csv.replace(/09506000134353,Bad,x\r\n/, ''));
    expect(await ok.json()).toEqual({ received: 1, created: 1, updated: 0 });
  });
});
