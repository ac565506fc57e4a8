// Streamed CSV exports (PRODUCT.md C8): /v1/exports/*.csv with the dashboard's filters.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import { queryParams } from '../http/validate';
import { type Filters, filterShape, resolveFilters } from './analytics-filters';
import { attachment } from './csv';
import { type CsvSource, csvStream } from './csv-stream';
import { addScanFilters, Where } from './scan-queries';
import { localParts } from './zoned-time';

const SCAN_COLUMNS = [
  'id',
  'occurred_at',
  'gtin',
  'key_ai',
  'cpv',
  'lot',
  'serial',
  'attributes',
  'country',
  'region',
  'city',
  'latitude',
  'longitude',
  'timezone',
  'colo',
  'referrer',
  'app',
  'device_class',
  'is_bot',
  'outcome',
  'link_type',
  'rule_id',
  'destination',
  'language',
  'scanner_hash',
] as const;

type ScanRow = Record<(typeof SCAN_COLUMNS)[number], unknown> & { occurred_ms: number };

function scanSource(db: D1Database, f: Filters): CsvSource<ScanRow, [number, string]> {
  const filters = addScanFilters(new Where(), f);
  const filter = filters.clauses.map((c) => ` AND ${c}`).join('');
  const params = filters.params;
  return {
    header: SCAN_COLUMNS,
    async page(cursor, limit) {
      // Keyset on (occurred_at, id), the order of the scan_events_org_time index. After the first
      // page the lower bound is the cursor's instant, not the range's start: SQLite seeks the index
      // with `occurred_at >= ?` and only filters with the row value, so from the range's start
      // every page re-read every row before it (a 1M-row export read ~500M index entries).
      const after = cursor ? ' AND (occurred_at, id) > (?, ?)' : '';
      const { results } = await db
        .prepare(
          `SELECT id, occurred_at AS occurred_ms, key_value AS gtin, key_ai, cpv, lot, serial, attributes, country, region, city, latitude,
             longitude, timezone, colo, referrer, app, device_class, is_bot, outcome, link_type, rule_id, destination, language, scanner_hash
           FROM scan_events WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?${filter}${after}
           ORDER BY occurred_at, id LIMIT ?`,
        )
        .bind(f.orgId, cursor ? cursor[0] : f.fromMs, f.toMs, ...params, ...(cursor ?? []), limit)
        .all<ScanRow>();
      return results;
    },
    cursorOf: (row) => [row.occurred_ms, row.id as string],
    cells: (row) =>
      SCAN_COLUMNS.map((c) =>
        c === 'occurred_at'
          ? new Date(row.occurred_ms).toISOString()
          : c === 'is_bot'
            ? row.is_bot
              ? 'true'
              : 'false'
            : row[c],
      ),
  };
}

interface CompletenessRow {
  gtin: string;
  name: string | null;
  status: string;
  completeness_score: number;
  completeness_band: string;
  completeness_recommendations: string;
}

function completenessSource(db: D1Database, orgId: string): CsvSource<CompletenessRow, string> {
  return {
    header: ['gtin', 'name', 'status', 'score', 'band', 'recommendations'],
    async page(cursor, limit) {
      const { results } = await db
        .prepare(
          `SELECT gtin, name, status, completeness_score, completeness_band, completeness_recommendations FROM products
           WHERE org_id = ? AND gtin > ? ORDER BY gtin LIMIT ?`,
        )
        .bind(orgId, cursor ?? '', limit)
        .all<CompletenessRow>();
      return results;
    },
    cursorOf: (row) => row.gtin,
    cells: (row) => [
      row.gtin,
      row.name,
      row.status,
      row.completeness_score,
      row.completeness_band,
      (JSON.parse(row.completeness_recommendations) as { message: string }[])
        .map((r) => r.message)
        .join('; '),
    ],
  };
}

interface ImpressionRow {
  search_id: string;
  position: number;
  shown_at: number;
  gtin: string;
  query: string;
  latitude: number;
  longitude: number;
  nearest_store_km: number | null;
  in_stock_nearby: number;
  clicked: number;
}

function impressionSource(db: D1Database, f: Filters): CsvSource<ImpressionRow, [number, string, number]> {
  const gtin = f.gtin ? ' AND i.gtin = ?' : '';
  return {
    header: [
      'shown_at',
      'search_id',
      'position',
      'gtin',
      'query',
      'latitude',
      'longitude',
      'nearest_store_km',
      'in_stock_nearby',
      'clicked',
    ],
    async page(cursor, limit) {
      // As for scans: the cursor's instant is the index's lower bound, the row value only breaks ties.
      const after = cursor ? ' AND (i.shown_at, i.search_id, i.position) > (?, ?, ?)' : '';
      const { results } = await db
        .prepare(
          `SELECT i.search_id, i.position, i.shown_at, i.gtin, i.query, i.latitude, i.longitude, i.nearest_store_km, i.in_stock_nearby,
             c.search_id IS NOT NULL AS clicked
           FROM search_impressions i LEFT JOIN search_clicks c ON c.search_id = i.search_id AND c.position = i.position
           WHERE i.org_id = ? AND i.shown_at >= ? AND i.shown_at < ?${gtin}${after}
           ORDER BY i.shown_at, i.search_id, i.position LIMIT ?`,
        )
        .bind(
          f.orgId,
          cursor ? cursor[0] : f.fromMs,
          f.toMs,
          ...(f.gtin ? [f.gtin] : []),
          ...(cursor ?? []),
          limit,
        )
        .all<ImpressionRow>();
      return results;
    },
    cursorOf: (r) => [r.shown_at, r.search_id, r.position],
    cells: (r) => [
      new Date(r.shown_at).toISOString(),
      r.search_id,
      r.position,
      r.gtin,
      r.query,
      r.latitude,
      r.longitude,
      r.nearest_store_km,
      r.in_stock_nearby ? 'true' : 'false',
      r.clicked ? 'true' : 'false',
    ],
  };
}

function csvResponse(body: ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(filename),
      'Cache-Control': 'no-store',
    },
  });
}

const rangeLabel = (f: Filters) =>
  `${localParts(f.fromMs, f.tz).date}_to_${localParts(f.toMs - 1, f.tz).date}`;

export const exportRoutes = new Hono<AppEnv>()
  .get('/scans.csv', queryParams(z.strictObject(filterShape)), async (c) => {
    const f = await resolveFilters(c.env.DB, c.get('auth').orgId, c.req.valid('query'));
    const subject = f.gtin ? `scans_${f.gtin}` : 'scans';
    return csvResponse(csvStream(scanSource(c.env.DB, f)), `${subject}_${rangeLabel(f)}.csv`);
  })
  .get('/search-impressions.csv', queryParams(z.strictObject(filterShape)), async (c) => {
    const f = await resolveFilters(c.env.DB, c.get('auth').orgId, c.req.valid('query'));
    return csvResponse(csvStream(impressionSource(c.env.DB, f)), `search_impressions_${rangeLabel(f)}.csv`);
  })
  .get('/completeness.csv', async (c) => {
    const today = new Date().toISOString().slice(0, 10);
    return csvResponse(
      csvStream(completenessSource(c.env.DB, c.get('auth').orgId)),
      `completeness_report_${today}.csv`,
    );
  });
