// POST /v1/inventory/bulk with a text/csv body: one (location_id, gtin) figure per row.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createOrganization, insertKey } from '../support/accounts';
import { csvLine, postCsv } from '../support/csv';
import { expectError } from '../support/http';
import { createLocation } from '../support/inventory';

const HEADER = 'location_id,gtin,quantity,price,currency,status,synced_at';
const csvOf = (rows: string[]) => [HEADER, ...rows].join('\n');
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function stored(orgId: string) {
  return (
    await env.DB.prepare(
      'SELECT location_id, gtin, quantity, price, currency, status, source FROM inventory WHERE org_id = ? ORDER BY location_id, gtin',
    )
      .bind(orgId)
      .all()
  ).results;
}

const problems = (details: unknown) => details as { line: number; column?: string; message: string }[];

describe('CSV inventory import', () => {
  it('syncs each row as the JSON route would', async () => {
    const org = await createOrganization();
    const a = await createLocation(org.ownerKey);
    const b = await createLocation(org.ownerKey, { name: 'Second store' });
    const t = ago(60_000);
    const csv = csvOf([
      csvLine([a.id, '9506000134352', 12, '3.49', 'eur', '', t]),
      csvLine([a.id, '09506000134376', 0, '', '', '', t]),
      csvLine([b.id, '96385074', 2, '', '', 'low_stock', t]),
    ]);
    const res = await postCsv('/v1/inventory/bulk', org.ownerKey, `${csv}\r\n`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 3, applied: 3, stale: 0 });
    const rows = await stored(org.orgId);
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({
      location_id: a.id,
      gtin: '09506000134352',
      quantity: 12,
      price: 3.49,
      currency: 'EUR',
      status: 'in_stock',
      source: 'api',
    });
    expect(rows).toContainEqual(
      expect.objectContaining({
        location_id: a.id,
        gtin: '09506000134376',
        status: 'out_of_stock',
        price: null,
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ location_id: b.id, gtin: '00000096385074', status: 'low_stock' }),
    );
  });

  it('lists every bad row with its column, repeated figures by line, and writes nothing', async () => {
    const org = await createOrganization();
    const a = await createLocation(org.ownerKey);
    const t = ago(60_000);
    const csv = csvOf([
      csvLine([a.id, '09506000134352', 1, '', '', '', t]), // 2
      csvLine([a.id, '09506000134376', 'ten', '', '', '', t]), // 3: not a number
      csvLine([a.id, '09506000134383', 1, '2.5', '', '', t]), // 4: price without currency
      csvLine([a.id, '09506000134390', 0, '', '', 'in_stock', t]), // 5: status with quantity 0
      csvLine([a.id, '9506000134352', 3, '', '', '', t]), // 6: same figure as line 2
      csvLine([a.id, '09506000134406', 1, '', '', '', 'yesterday']), // 7
    ]);
    const error = await expectError(
      await postCsv('/v1/inventory/bulk', org.ownerKey, csv),
      400,
      'validation_failed',
    );
    const listed = problems(error.details);
    expect(listed.map((p) => [p.line, p.column])).toEqual([
      [3, 'quantity'],
      [4, 'currency'],
      [5, 'status'],
      [6, 'gtin'],
      [7, 'synced_at'],
    ]);
    expect(listed[0]!.message).toBe('Not a number');
    expect(listed[3]!.message).toBe('same location and GTIN as line 2');
    expect(await stored(org.orgId)).toEqual([]);
  });

  it("names the lines of another organisation's location, and needs an editor", async () => {
    const org = await createOrganization('A');
    const other = await createOrganization('B');
    const mine = await createLocation(org.ownerKey);
    const theirs = await createLocation(other.ownerKey);
    const t = ago(60_000);
    const csv = csvOf([
      csvLine([mine.id, '09506000134352', 1, '', '', '', t]),
      csvLine([theirs.id, '09506000134352', 1, '', '', '', t]),
    ]);
    const error = await expectError(await postCsv('/v1/inventory/bulk', org.ownerKey, csv), 404, 'not_found');
    expect(error.details).toEqual({
      location_ids: [theirs.id],
      rows: [{ line: 3, column: 'location_id', message: `location_id ${theirs.id} not found` }],
    });
    const reader = await insertKey(org.orgId, 'readonly');
    await expectError(await postCsv('/v1/inventory/bulk', reader.key, csv), 403, 'forbidden');
    expect(await stored(org.orgId)).toEqual([]);
  });

  it('stops past 10,000 figures, and reads required columns from the header', async () => {
    const org = await createOrganization();
    const a = await createLocation(org.ownerKey);
    const line = csvLine([a.id, '09506000134352', 1, '', '', '', ago(60_000)]);
    const error = await expectError(
      await postCsv('/v1/inventory/bulk', org.ownerKey, csvOf(Array(10_001).fill(line))),
      400,
      'validation_failed',
    );
    expect(error.details).toEqual([{ line: 10_002, message: 'Row 10001: at most 10000 rows per request' }]);
    const missing = await expectError(
      await postCsv('/v1/inventory/bulk', org.ownerKey, 'location_id,gtin\nx,09506000134352'),
      400,
      'validation_failed',
    );
    expect(problems(missing.details).map((p) => p.column)).toEqual(['quantity', 'synced_at']);
  });
});
