// Dashboard JSON (PRODUCT.md C7): /v1/analytics/*. Org-scoped; any key may read.
import { Hono } from 'hono';
import * as z from 'zod';
import { COMPLETENESS_BANDS } from '../catalog/completeness-score';
import { completenessRecommendationView } from '../catalog/product-record';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { queryParams } from '../http/validate';
import { type Filters, filterShape, rangeJson, rangeView, resolveFilters } from './analytics-filters';
import { aggregateCells, MAX_ZOOM, MIN_ZOOM } from './geo-grid';
import { orgMetricsAt } from './org-metrics';
import { completenessSummary, recalledLots } from './product-queries';
import {
  type Breakdown,
  breakdown,
  DIMENSION_BREAKDOWNS,
  dimensionCounts,
  scansPerBucket,
  scansSince,
  serialCounts,
  totalScans,
} from './scan-queries';
import { searchImpressionCount, searchPerformance } from './search-queries';
import { topN } from './top-n';
import { bucketLabels, previousRange } from './zoned-time';

const MAX_HOURLY_RANGE_DAYS = 31;

export function change(value: number | null, previous: number | null) {
  const delta = value === null || previous === null ? null : Math.round((value - previous) * 10) / 10;
  const pct = delta === null || !previous ? null : Math.round((delta / previous) * 1000) / 10;
  return { value, previous, change: delta, change_percent: pct };
}

const BREAKDOWNS = ['product', 'lot', 'country', ...DIMENSION_BREAKDOWNS, 'serial'] as const;

/** A figure for the range and the range before it (`change`). */
const changeView = z
  .object({
    value: z.number().nullable(),
    previous: z.number().nullable(),
    change: z.number().nullable(),
    change_percent: z.number().nullable(),
  })
  .meta({ id: 'Change' });

const overviewView = z.object({
  range: rangeView,
  previous_range: rangeView,
  total_scans: changeView,
  search_impressions: changeView,
  average_completeness: changeView,
  active_locations: changeView,
});

const timeseriesView = z.object({
  range: rangeView,
  interval: z.enum(['hour', 'day']),
  total: z.number().int(),
  points: z.array(
    z.object({ bucket: z.string().meta({ description: 'Local hour or day' }), scans: z.number().int() }),
  ),
});

const breakdownView = z.union([
  z.object({
    range: rangeView,
    by: z.literal('serial'),
    rows: z.array(
      z.object({
        gtin: z.string(),
        serial: z.string(),
        lot: z.string().nullable(),
        scans: z.number().int(),
        first_scan: timestamp,
        last_scan: timestamp,
      }),
    ),
  }),
  z.object({
    range: rangeView,
    by: z.enum(BREAKDOWNS),
    total: z.number().int(),
    rows: z.array(
      z.object({ value: z.string().meta({ description: '"other" sums the rest' }), scans: z.number().int() }),
    ),
  }),
]);

const mapView = z.object({
  range: rangeView,
  zoom: z.number().int(),
  points: z.array(z.object({ lat: z.number(), lng: z.number(), scans: z.number().int() })),
});

const recallsView = z.object({
  rows: z.array(
    z.object({
      gtin: z.string(),
      name: z.string().nullable(),
      lot: z.string(),
      recalled_at: timestampOrNull,
      reason: z.string().nullable(),
      scans_since_recall: z.number().int(),
      last_scan_hour: timestampOrNull,
    }),
  ),
});

const searchPerformanceView = z.object({
  range: rangeView,
  by: z.enum(['product', 'query']),
  rows: z.array(
    z.object({
      value: z.string(),
      impressions: z.number().int(),
      average_position: z.number(),
      clicks: z.number().int(),
      click_through_rate: z.number(),
      average_distance_km: z.number().nullable(),
    }),
  ),
});

const completenessView = z.object({
  distribution: z.array(z.object({ band: z.enum(COMPLETENESS_BANDS), products: z.number().int() })),
  products: z.array(
    z.object({
      gtin: z.string(),
      name: z.string().nullable(),
      score: z.number(),
      band: z.enum(COMPLETENESS_BANDS),
      recommendations: z.array(completenessRecommendationView),
    }),
  ),
});

export const analyticsRoutes = new Hono<AppEnv>()
  .get(
    '/overview',
    documented({
      summary: 'Headline figures for a range, each with the range before it',
      responses: { 200: overviewView },
    }),
    queryParams(z.strictObject(filterShape)),
    async (c) => {
      const now = Date.now();
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, c.req.valid('query'), now);
      const previous: Filters = { ...f, ...previousRange(f.fromMs, f.toMs, f.tz) };
      const [scans, prevScans, impressions, prevImpressions, metrics, prevMetrics] = await Promise.all([
        totalScans(c.env.DB, f),
        totalScans(c.env.DB, previous),
        searchImpressionCount(c.env.DB, f),
        searchImpressionCount(c.env.DB, previous),
        orgMetricsAt(c.env.DB, f.orgId, f.toMs, now),
        orgMetricsAt(c.env.DB, f.orgId, previous.toMs, now),
      ]);
      return c.json({
        range: rangeJson(f),
        previous_range: rangeJson(previous),
        total_scans: change(scans, prevScans),
        search_impressions: change(impressions, prevImpressions),
        average_completeness: change(
          metrics?.averageCompleteness ?? null,
          prevMetrics?.averageCompleteness ?? null,
        ),
        active_locations: change(metrics?.activeLocations ?? null, prevMetrics?.activeLocations ?? null),
      });
    },
  )
  .get(
    '/scans/timeseries',
    documented({ summary: 'Scans per local hour or day', responses: { 200: timeseriesView } }),
    queryParams(z.strictObject({ ...filterShape, interval: z.enum(['hour', 'day']).default('day') })),
    async (c) => {
      const q = c.req.valid('query');
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, q);
      if (q.interval === 'hour' && f.toMs - f.fromMs > MAX_HOURLY_RANGE_DAYS * 86_400_000) {
        throw new ApiError(
          'validation_failed',
          `An hourly series may span at most ${MAX_HOURLY_RANGE_DAYS} days; use interval=day`,
          [{ path: 'interval', message: 'range too long for hours' }],
        );
      }
      // 15-minute roll-ups summed into local hours or days (zoned-time.ts: exact in every zone).
      const perBucket = await scansPerBucket(c.env.DB, f);
      const labels = bucketLabels(f.fromMs, f.toMs, f.tz, q.interval);
      const sums = new Map([...labels.values()].map((b) => [b, 0]));
      for (const [start, scans] of perBucket) {
        const bucket = labels.get(start);
        if (bucket !== undefined) sums.set(bucket, sums.get(bucket)! + scans);
      }
      const points = [...sums].map(([bucket, scans]) => ({ bucket, scans }));
      return c.json({
        range: rangeJson(f),
        interval: q.interval,
        total: points.reduce((a, p) => a + p.scans, 0),
        points,
      });
    },
  )
  .get(
    '/scans/breakdown',
    documented({
      summary: 'Scans by product, lot, country, a dimension, or serial (top N, the rest as "other")',
      responses: { 200: breakdownView },
    }),
    queryParams(
      z.strictObject({
        ...filterShape,
        by: z.enum(BREAKDOWNS),
        limit: z.coerce.number().int().min(1).max(100).default(10),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, q);
      if (q.by === 'serial') {
        const serials = await serialCounts(c.env.DB, f, q.limit);
        return c.json({
          range: rangeJson(f),
          by: 'serial',
          rows: serials.map((s) => ({
            gtin: s.gtin,
            serial: s.serial,
            lot: s.lot || null,
            scans: s.scans,
            first_scan: new Date(s.first_at).toISOString(),
            last_scan: new Date(s.last_at).toISOString(),
          })),
        });
      }
      if (q.lot && (DIMENSION_BREAKDOWNS as readonly string[]).includes(q.by)) {
        throw new ApiError(
          'validation_failed',
          `A breakdown by ${q.by} cannot be filtered by lot (lots are counted per 15 minutes × country only)`,
          [{ path: 'lot', message: 'not available for this breakdown' }],
        );
      }
      const rows = topN(await breakdown(c.env.DB, f, q.by as Breakdown), q.limit);
      return c.json({ range: rangeJson(f), by: q.by, total: rows.reduce((a, r) => a + r.scans, 0), rows });
    },
  )
  .get(
    '/scans/map',
    documented({ summary: 'Scans per map cell at a zoom level', responses: { 200: mapView } }),
    queryParams(
      z.strictObject({
        ...filterShape,
        zoom: z.coerce.number().int().min(MIN_ZOOM).max(MAX_ZOOM).default(2),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      if (q.lot)
        throw new ApiError('validation_failed', 'The map cannot be filtered by lot', [
          { path: 'lot', message: 'not available for the map' },
        ]);
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, q);
      const points = aggregateCells(await dimensionCounts(c.env.DB, f, 'geo'), q.zoom);
      return c.json({ range: rangeJson(f), zoom: q.zoom, points });
    },
  )
  .get(
    '/scans/recalls',
    documented({ summary: 'Recalled lots and the scans since each recall', responses: { 200: recallsView } }),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const recalls = await recalledLots(c.env.DB, orgId);
      const rows = await Promise.all(
        recalls.map(async (r) => {
          const since = await scansSince(c.env.DB, orgId, r.gtin, r.lot, r.recalledAt ?? 0);
          return {
            gtin: r.gtin,
            name: r.name,
            lot: r.lot,
            recalled_at: r.recalledAt === null ? null : new Date(r.recalledAt).toISOString(),
            reason: r.reason,
            scans_since_recall: since.scans,
            last_scan_hour: since.lastHour === null ? null : new Date(since.lastHour).toISOString(),
          };
        }),
      );
      return c.json({ rows });
    },
  )
  .get(
    '/search/performance',
    documented({
      summary: 'Search impressions, positions and clicks per product or query',
      responses: { 200: searchPerformanceView },
    }),
    queryParams(
      z.strictObject({
        ...filterShape,
        by: z.enum(['product', 'query']).default('product'),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, q);
      return c.json({
        range: rangeJson(f),
        by: q.by,
        rows: await searchPerformance(c.env.DB, f, q.by, q.limit),
      });
    },
  )
  .get(
    '/completeness',
    documented({
      summary: 'Completeness bands and the weakest products',
      responses: { 200: completenessView },
    }),
    queryParams(z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) })),
    async (c) => {
      const { bands, weakest } = await completenessSummary(
        c.env.DB,
        c.get('auth').orgId,
        c.req.valid('query').limit,
      );
      return c.json({
        distribution: COMPLETENESS_BANDS.map((band) => ({ band, products: bands.get(band) ?? 0 })),
        products: weakest.map((p) => ({
          gtin: p.gtin,
          name: p.name,
          score: p.completeness_score,
          band: p.completeness_band,
          recommendations: JSON.parse(p.completeness_recommendations),
        })),
      });
    },
  );
