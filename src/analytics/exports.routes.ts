// Streamed CSV exports (PRODUCT.md C8): /v1/exports/*.csv with the dashboard's filters.
import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { timestampOrNull } from '../http/response-schemas';
import { queryParams } from '../http/validate';
import { archiveManifestPage, isOwnArchiveKey } from '../storage/archive-manifest';
import { type Filters, filterShape, resolveFilters } from './analytics-filters';
import { csvResponse } from './csv';
import { type CsvSource, csvStream } from './csv-stream';
import {
  type CompletenessExportRow,
  completenessPage,
  type ImpressionRow,
  impressionPage,
} from './export-queries';
import { scanExportStream } from './scan-export';
import { localParts } from './zoned-time';

function completenessSource(db: D1Database, orgId: string): CsvSource<CompletenessExportRow, string> {
  return {
    header: ['gtin', 'name', 'status', 'score', 'band', 'recommendations'],
    page: (cursor, limit) => completenessPage(db, orgId, cursor, limit),
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

function impressionSource(db: D1Database, f: Filters): CsvSource<ImpressionRow, [number, string, number]> {
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
    page: (cursor, limit) => impressionPage(db, f, cursor, limit),
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

const csv = (description: string) => ({ description, mediaType: 'text/csv' });

const archiveListing = z.object({
  format: z.literal('ndjson+gzip'),
  objects: z.array(
    z.object({
      key: z.string(),
      date: z.string(),
      hour: z.string().meta({ description: 'UTC hour, 00–23' }),
      bytes: z.number().int(),
      events: z.number().int().nullable(),
      first_at: timestampOrNull,
      last_at: timestampOrNull,
      url: z.string().meta({ description: 'GET it (with the same key) for the object' }),
    }),
  ),
  next_cursor: z.string().nullable(),
});

const rangeLabel = (f: Filters) =>
  `${localParts(f.fromMs, f.tz).date}_to_${localParts(f.toMs - 1, f.tz).date}`;

export const exportRoutes = new Hono<AppEnv>()
  .get(
    '/scans.csv',
    documented({
      summary: 'Raw scans as CSV (the archive, then D1), streamed',
      responses: { 200: csv('One row per scan') },
    }),
    queryParams(z.strictObject(filterShape)),
    async (c) => {
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, c.req.valid('query'));
      const subject = f.gtin ? `scans_${f.gtin}` : 'scans';
      return csvResponse(scanExportStream(c.env, f, Date.now()), `${subject}_${rangeLabel(f)}.csv`);
    },
  )
  .get(
    '/search-impressions.csv',
    documented({
      summary: "Search impressions of the organisation's products as CSV",
      responses: { 200: csv('One row per result shown') },
    }),
    queryParams(z.strictObject(filterShape)),
    async (c) => {
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, c.req.valid('query'));
      return csvResponse(csvStream(impressionSource(c.env.DB, f)), `search_impressions_${rangeLabel(f)}.csv`);
    },
  )
  .get(
    '/archive',
    documented({ summary: "The R2 archive's objects for a date range", responses: { 200: archiveListing } }),
    queryParams(
      z.strictObject({
        from: z.iso.date('from must be a date (YYYY-MM-DD)'),
        to: z.iso.date('to must be a date (YYYY-MM-DD)'),
        cursor: z.string().max(1024).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(1000),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      if (q.to < q.from)
        throw new ApiError('validation_failed', 'to must not be before from', [
          { path: 'to', message: 'before from' },
        ]);
      const orgId = c.get('auth').orgId;
      if (q.cursor !== undefined && !isOwnArchiveKey(orgId, q.cursor))
        throw new ApiError('validation_failed', 'cursor is not one this listing gave', [
          { path: 'cursor', message: 'unknown cursor' },
        ]);
      const page = await archiveManifestPage(c.env.SCAN_ARCHIVE, orgId, q.from, q.to, q.cursor, q.limit);
      return c.json({
        format: 'ndjson+gzip',
        objects: page.objects.map((o) => ({
          key: o.key,
          date: o.date,
          hour: o.hour,
          bytes: o.bytes,
          events: o.events,
          first_at: o.firstAt === null ? null : new Date(o.firstAt).toISOString(),
          last_at: o.lastAt === null ? null : new Date(o.lastAt).toISOString(),
          url: `/v1/exports/archive/object?key=${encodeURIComponent(o.key)}`,
        })),
        next_cursor: page.next,
      });
    },
  )
  .get(
    '/archive/object',
    documented({
      summary: 'One archive object as stored: gzipped NDJSON of raw scans',
      responses: { 200: { description: 'The object', mediaType: 'application/gzip' } },
      errors: ['not_found'],
    }),
    queryParams(z.strictObject({ key: z.string().min(1).max(1024) })),
    async (c) => {
      const { key } = c.req.valid('query');
      // Another organisation's object is as absent as a missing one.
      const object = isOwnArchiveKey(c.get('auth').orgId, key) ? await c.env.SCAN_ARCHIVE.get(key) : null;
      if (!object) throw new ApiError('not_found', 'No such archive object');
      return new Response(object.body, {
        headers: {
          'content-type': 'application/gzip',
          'content-length': String(object.size),
          'content-disposition': `attachment; filename="${key.split('/').at(-1)}"`,
          etag: object.httpEtag,
        },
      });
    },
  )
  .get(
    '/completeness.csv',
    documented({
      summary: "Every product's completeness as CSV",
      responses: { 200: csv('One row per product') },
    }),
    async (c) => {
      const today = new Date().toISOString().slice(0, 10);
      return csvResponse(
        csvStream(completenessSource(c.env.DB, c.get('auth').orgId)),
        `completeness_report_${today}.csv`,
      );
    },
  );
