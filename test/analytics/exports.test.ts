import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, insertKey, type TestOrg } from '../support/accounts';
import { call, expectError } from '../support/http';
import { recordScans } from '../support/recorded-scans';

const GTIN = '09506000134642';
let org: TestOrg;
let reader: string;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const N = 2_345; // more than two export pages

beforeAll(async () => {
  org = await createOrganization('Exporting Foods');
  reader = (await insertKey(org.orgId, 'readonly')).key;
  await call('POST', '/v1/products', {
    key: org.ownerKey,
    body: { gtin: GTIN, fields: { name: { value: '=cmd|"/c calc"!A1' } } },
  });
  const specs = Array.from({ length: N }, (_, i) => ({
    orgId: org.orgId,
    keyValue: GTIN,
    occurredAt: T0 + i * 60_000,
    lot: i % 2 === 0 ? '=SUM(1+1)' : 'L,2',
    serial: `S${i}`,
    country: i % 3 === 0 ? 'FR' : 'DE',
    city: 'Saint-Étienne, "Loire"',
    isBot: i % 10 === 0,
  }));
  await recordScans(specs);

  // Search logs, written as the search routes write them.
  const impressions = [
    ['s1', 1, 2.5, 1],
    ['s1', 2, 8, 0],
    ['s2', 1, 1.5, 1],
    ['s3', 3, null, 0],
  ] as const;
  for (const [search, position, km, clicked] of impressions) {
    const shown = T0 + 3_600_000;
    await env.DB.prepare(
      `INSERT INTO search_impressions (search_id, position, gtin, org_id, query, latitude, longitude, nearest_store_km, in_stock_nearby, shown_at)
       VALUES (?, ?, ?, ?, ?, 48.85, 2.35, ?, ?, ?)`,
    )
      .bind(
        `${org.orgId}-${search}`,
        position,
        GTIN,
        org.orgId,
        search === 's3' ? 'risotto' : 'rice',
        km,
        km === null ? 0 : 1,
        shown,
      )
      .run();
    if (clicked) {
      await env.DB.prepare(
        'INSERT INTO search_clicks (search_id, position, gtin, org_id, query, shown_at, clicked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
        .bind(`${org.orgId}-${search}`, position, GTIN, org.orgId, 'rice', shown, shown + 1000)
        .run();
    }
  }
});

async function csv(path: string) {
  const res = await call('GET', path, { key: reader });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const text = await res.text();
  return { res, text, rows: parse(text, { columns: true }) as Record<string, string>[] };
}

describe('CSV exports', () => {
  it('streams every scan event in the range, header naming every column, round-tripping through a CSV parser', async () => {
    const { res, rows, text } = await csv('/v1/exports/scans.csv?from=2026-11-01&to=2026-11-03&bots=include');
    expect(res.headers.get('content-disposition')).toContain('filename="scans_2026-11-01_to_2026-11-03.csv"');
    expect(text.split('\r\n')[0]).toBe(
      'id,occurred_at,gtin,key_ai,cpv,lot,serial,attributes,country,region,city,latitude,longitude,timezone,colo,referrer,app,device_class,is_bot,outcome,link_type,rule_id,destination,language,scanner_hash',
    );
    expect(rows).toHaveLength(N);
    expect(rows[0]).toMatchObject({
      occurred_at: '2026-11-01T00:00:00.000Z',
      gtin: GTIN,
      lot: "'=SUM(1+1)",
      serial: 'S0',
      city: 'Saint-Étienne, "Loire"',
      is_bot: 'true',
    });
    expect(rows[1]).toMatchObject({ lot: 'L,2', serial: 'S1', is_bot: 'false' });
    expect(new Set(rows.map((r) => r.serial)).size).toBe(N); // no row twice across pages
    expect(rows.map((r) => r.occurred_at)).toEqual([...rows.map((r) => r.occurred_at)].sort());
  });

  it('applies the dashboard filters', async () => {
    const humans = await csv('/v1/exports/scans.csv?from=2026-11-01&to=2026-11-03');
    expect(humans.rows).toHaveLength(N - Math.ceil(N / 10));
    const fr = await csv(
      `/v1/exports/scans.csv?from=2026-11-01&to=2026-11-03&bots=include&country=FR&gtin=${GTIN}`,
    );
    expect(fr.rows).toHaveLength(Math.ceil(N / 3));
    const empty = await csv('/v1/exports/scans.csv?from=2025-01-01&to=2025-01-02');
    expect(empty.rows).toHaveLength(0);
    expect(empty.text.endsWith('scanner_hash\r\n')).toBe(true);
  });

  it('exports the completeness report, neutralising formulas in product data', async () => {
    const { rows, res } = await csv('/v1/exports/completeness.csv');
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="completeness_report_\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ gtin: GTIN, name: `'=cmd|"/c calc"!A1`, status: 'active' });
    expect(Number(rows[0]!.score)).toBeGreaterThanOrEqual(0);
  });

  it('exports search impressions with clicks', async () => {
    const { rows } = await csv('/v1/exports/search-impressions.csv?from=2026-11-01&to=2026-11-02');
    expect(rows.map((r) => [r.position, r.query, r.nearest_store_km, r.clicked])).toEqual([
      ['1', 'rice', '2.5', 'true'],
      ['2', 'rice', '8', 'false'],
      ['1', 'rice', '1.5', 'true'],
      ['3', 'risotto', '', 'false'],
    ]);
  });

  it("rejects bad filters and other organisations' GTINs before streaming", async () => {
    await expectError(
      await call('GET', '/v1/exports/scans.csv?from=2020-01-01&to=2026-01-01', { key: reader }),
      400,
      'validation_failed',
    );
    const other = await createOrganization('Other');
    await expectError(
      await call('GET', `/v1/exports/scans.csv?gtin=${GTIN}`, { key: other.ownerKey }),
      404,
      'not_found',
    );
    const theirs = await call('GET', '/v1/exports/scans.csv?from=2026-11-01&to=2026-11-03&bots=include', {
      key: other.ownerKey,
    });
    expect(parse(await theirs.text(), { columns: true })).toHaveLength(0);
  });
});

describe('search performance and completeness', () => {
  it('gives impressions, average position, click-through and distance per product and per query', async () => {
    const res = await call('GET', '/v1/analytics/search/performance?from=2026-11-01&to=2026-11-02&by=query', {
      key: reader,
    });
    const body = await res.json<{ rows: unknown[] }>();
    expect(body.rows).toEqual([
      {
        value: 'rice',
        impressions: 3,
        average_position: 1.33,
        clicks: 2,
        click_through_rate: 0.6667,
        average_distance_km: 4,
      },
      {
        value: 'risotto',
        impressions: 1,
        average_position: 3,
        clicks: 0,
        click_through_rate: 0,
        average_distance_km: null,
      },
    ]);
    const product = await (
      await call('GET', `/v1/analytics/search/performance?from=2026-11-01&to=2026-11-02&gtin=${GTIN}`, {
        key: reader,
      })
    ).json<{ rows: unknown[] }>();
    expect(product.rows).toEqual([
      {
        value: GTIN,
        impressions: 4,
        average_position: 1.75,
        clicks: 2,
        click_through_rate: 0.5,
        average_distance_km: 4,
      },
    ]);
  });

  it('counts impressions in the overview', async () => {
    const body = await (
      await call('GET', '/v1/analytics/overview?from=2026-11-01&to=2026-11-01&tz=UTC', { key: reader })
    ).json<Record<string, { value: number }>>();
    expect(body.search_impressions!.value).toBe(4);
    expect(body.total_scans!.value).toBe(1440 - 144); // the first day's human scans, one a minute
  });

  it('shows the completeness distribution and the weakest products first', async () => {
    const body = await (await call('GET', '/v1/analytics/completeness', { key: reader })).json<{
      distribution: { band: string; products: number }[];
      products: { gtin: string; recommendations: unknown[] }[];
    }>();
    expect(body.distribution.reduce((a, d) => a + d.products, 0)).toBe(1);
    expect(body.distribution.map((d) => d.band)).toEqual(['excellent', 'good', 'needs_attention', 'poor']);
    expect(body.products[0]!.gtin).toBe(GTIN);
    expect(body.products[0]!.recommendations.length).toBeGreaterThan(0);
  });
});
