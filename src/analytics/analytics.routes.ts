// Dashboard JSON (PRODUCT.md C7): /v1/analytics/*. Org-scoped; any key may read.
import { Hono } from 'hono';
import * as z from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../alerts/alert-store';
import { COMPLETENESS_BANDS } from '../catalog/completeness-score';
import { gtinSchema } from '../catalog/gtin';
import { completenessRecommendationView } from '../catalog/product-record';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { queryParams } from '../http/validate';
import {
  type Filters,
  filterShape,
  MAX_RANGE_DAYS,
  rangeJson,
  rangeView,
  resolveFilters,
} from './analytics-filters';
import { compareParam, comparisonFilters } from './comparison';
import { boundsOf, clusterCells, MAX_ZOOM, MIN_ZOOM } from './geo-grid';
import { orgMetricsAt } from './org-metrics';
import { completenessSummary, recalledLots } from './product-queries';
import { dailySeries, recallAlertStates, recallScans } from './recall-queries';
import {
  type Breakdown,
  breakdown,
  DIMENSION_BREAKDOWNS,
  geoCounts,
  serialCounts,
  totalScans,
} from './scan-queries';
import { alignedPoints, seriesPoints } from './scan-series';
import { searchImpressionCount, searchPerformance } from './search-queries';
import { topN, topNCompared } from './top-n';
import {
  UNIQUE_BREAKDOWNS,
  type UniqueBreakdown,
  uniqueScanners,
  uniqueScannersBy,
  uniqueScannersPerDay,
} from './unique-scanners';
import { previousRange } from './zoned-time';

const MAX_HOURLY_RANGE_DAYS = 31;
/** A recall's daily series stops this many days back: a range answers no more (analytics-filters.ts). */
const MAX_RECALL_DAYS = MAX_RANGE_DAYS;
const DAY_MS = 86_400_000;
/** Comparisons whose period is derived from the range (a DST change may alter its hour count). */
const RELATIVE_COMPARISONS = new Set(['previous', 'previous_year']);

const isUniqueBreakdown = (by: string): by is UniqueBreakdown =>
  (UNIQUE_BREAKDOWNS as readonly string[]).includes(by);

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
  /** Distinct scanners per UTC day, summed (docs/api.md, "Unique scanners"); null for crossed filters. */
  unique_scanners: changeView,
});

const timeseriesView = z.object({
  range: rangeView,
  interval: z.enum(['hour', 'day']),
  total: z.number().int(),
  points: z.array(
    z.object({
      bucket: z.string().meta({ description: 'Local hour or day' }),
      scans: z.number().int(),
      unique_scanners: z.number().int().optional().meta({
        description: 'interval=day only: distinct scanners of the UTC day (approximate, see the README)',
      }),
      partial: z
        .literal(true)
        .optional()
        .meta({ description: 'Present when the hour or day is not over yet: its count will still grow' }),
    }),
  ),
  previous: z
    .object({
      range: rangeView,
      total: z.number().int(),
      points: z
        .array(z.object({ bucket: z.string().nullable(), scans: z.number().int().nullable() }))
        .meta({ description: 'As many as `points`, by position; null where a DST change left no hour' }),
    })
    .optional()
    .meta({ description: 'With `compare`: the compared period' }),
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
      z.object({
        value: z.string().meta({ description: '"other" sums the rest' }),
        scans: z.number().int(),
        unique_scanners: z.number().int().optional().meta({
          description:
            'by product, lot or country, unfiltered (or lots of one GTIN): distinct scanners summed over UTC days; not on "other"',
        }),
        previous: z
          .number()
          .int()
          .optional()
          .meta({ description: 'With `compare`: scans in the compared period' }),
        change: z.number().optional(),
        change_percent: z.number().nullable().optional(),
      }),
    ),
    previous: z
      .object({ range: rangeView, total: z.number().int() })
      .optional()
      .meta({ description: 'With `compare`: the compared period' }),
  }),
]);

const mapView = z.object({
  range: rangeView,
  zoom: z.number().int(),
  located_scans: z.number().int().meta({ description: 'Scans with a location: the points add up to it' }),
  bounds: z
    .object({ south: z.number(), west: z.number(), north: z.number(), east: z.number() })
    .nullable()
    .meta({ description: 'The box around the points, to zoom to the data; null with no points' }),
  points: z.array(
    z.object({
      lat: z
        .number()
        .meta({ description: 'Scan-weighted centre of the cluster: within 100 km of its scans' }),
      lng: z.number(),
      scans: z.number().int(),
      place: z.object({
        name: z.string().meta({ description: 'The city, else the region, else the country' }),
        country: z.string().nullable(),
        region: z.string().nullable(),
        city: z.string().nullable(),
      }),
    }),
  ),
});

const recallsView = z.object({
  rows: z.array(
    z.object({
      gtin: z.string(),
      name: z.string().nullable(),
      lot: z.string(),
      recalled_at: timestampOrNull,
      reason: z.string().nullable(),
      scans_since_recall: z.number().int().meta({ description: 'Human scans (bots excluded)' }),
      unique_scanners_since_recall: z.number().int().meta({
        description: "Distinct human scanners per UTC day from the recall's day (counted whole), summed",
      }),
      last_scan_hour: timestampOrNull,
      series: z
        .array(z.object({ day: z.string().meta({ description: 'UTC day' }), scans: z.number().int() }))
        .meta({
          description: `Human scans per UTC day, from the recall's day to today (the latest ${MAX_RECALL_DAYS} at most)`,
        }),
      countries: z
        .array(
          z.object({
            country: z.string().meta({ description: '"unknown" when not located' }),
            scans: z.number().int(),
          }),
        )
        .meta({ description: 'Most scans first' }),
      alert: z
        .object({
          id: z.string(),
          status: z.enum(ALERT_STATUSES),
          severity: z.enum(ALERT_SEVERITIES),
          occurrences: z.number().int(),
          last_seen_at: timestamp,
        })
        .nullable()
        .meta({ description: "The lot's latest recalled-lot alert; null when no scan opened one" }),
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
      const [scans, prevScans, impressions, prevImpressions, metrics, prevMetrics, uniques, prevUniques] =
        await Promise.all([
          totalScans(c.env.DB, f),
          totalScans(c.env.DB, previous),
          searchImpressionCount(c.env.DB, f),
          searchImpressionCount(c.env.DB, previous),
          orgMetricsAt(c.env.DB, f.orgId, f.toMs, now),
          orgMetricsAt(c.env.DB, f.orgId, previous.toMs, now),
          uniqueScanners(c.env.DB, f),
          uniqueScanners(c.env.DB, previous),
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
        unique_scanners: change(uniques, prevUniques),
      });
    },
  )
  .get(
    '/scans/timeseries',
    documented({ summary: 'Scans per local hour or day', responses: { 200: timeseriesView } }),
    queryParams(
      z.strictObject({
        ...filterShape,
        interval: z.enum(['hour', 'day']).default('day'),
        compare: compareParam,
      }),
    ),
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
      const compared = comparisonFilters(f, q.compare);
      if (
        compared &&
        q.interval === 'hour' &&
        compared.toMs - compared.fromMs > MAX_HOURLY_RANGE_DAYS * DAY_MS
      ) {
        throw new ApiError(
          'validation_failed',
          `An hourly series may span at most ${MAX_HOURLY_RANGE_DAYS} days`,
          [{ path: 'compare', message: 'compared period too long for hours' }],
        );
      }
      const uniques = q.interval === 'day' ? await uniqueScannersPerDay(c.env.DB, f) : null;
      const [points, previousPoints] = await Promise.all([
        seriesPoints(c.env.DB, f, q.interval, Date.now(), uniques),
        compared ? seriesPoints(c.env.DB, compared, q.interval) : undefined,
      ]);
      const sum = (list: readonly { scans: number }[]) => list.reduce((a, p) => a + p.scans, 0);
      const body = { range: rangeJson(f), interval: q.interval, total: sum(points), points };
      if (!compared || !previousPoints) return c.json(body);
      if (!RELATIVE_COMPARISONS.has(q.compare!) && previousPoints.length !== points.length) {
        throw new ApiError(
          'validation_failed',
          `The compared period has ${previousPoints.length} ${q.interval}s and the range ${points.length}: give a period as long as the range`,
          [{ path: 'compare', message: 'not as long as the range' }],
        );
      }
      return c.json({
        ...body,
        previous: {
          range: rangeJson(compared),
          total: sum(previousPoints),
          points: alignedPoints(previousPoints, points.length),
        },
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
        compare: compareParam,
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const f = await resolveFilters(c.env.DB, c.get('auth').orgId, q);
      if (q.by === 'serial' && q.compare !== undefined) {
        throw new ApiError(
          'validation_failed',
          'A breakdown by serial cannot be compared (serials are counted whole)',
          [{ path: 'compare', message: 'not available for serials' }],
        );
      }
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
      const compared = comparisonFilters(f, q.compare);
      const [counts, previousCounts, uniques] = await Promise.all([
        breakdown(c.env.DB, f, q.by as Breakdown),
        compared ? breakdown(c.env.DB, compared, q.by as Breakdown) : undefined,
        isUniqueBreakdown(q.by) ? uniqueScannersBy(c.env.DB, f, q.by) : null,
      ]);
      const sum = (list: readonly { scans: number }[]) => list.reduce((a, r) => a + r.scans, 0);
      // "other" sums several values, whose scanners may overlap: it has no unique count.
      const uniquesOf = (value: string) =>
        uniques && value !== 'other' ? { unique_scanners: uniques.get(value) ?? 0 } : {};
      if (!compared || !previousCounts) {
        const rows = topN(counts, q.limit).map((r) => ({ ...r, ...uniquesOf(r.value) }));
        return c.json({ range: rangeJson(f), by: q.by, total: sum(rows), rows });
      }
      const rows = topNCompared(counts, previousCounts, q.limit).map(({ value, scans, previous }) => {
        const { change: delta, change_percent } = change(scans, previous);
        return { value, scans, ...uniquesOf(value), previous, change: delta ?? 0, change_percent };
      });
      return c.json({
        range: rangeJson(f),
        by: q.by,
        total: sum(rows),
        rows,
        previous: { range: rangeJson(compared), total: sum(previousCounts) },
      });
    },
  )
  .get(
    '/scans/map',
    documented({
      summary: 'Scans on the map: clusters of places at a zoom level',
      responses: { 200: mapView },
    }),
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
      const points = clusterCells(await geoCounts(c.env.DB, f), q.zoom);
      return c.json({
        range: rangeJson(f),
        zoom: q.zoom,
        located_scans: points.reduce((n, p) => n + p.scans, 0),
        bounds: boundsOf(points),
        points,
      });
    },
  )
  .get(
    '/scans/recalls',
    documented({
      summary: 'Recalled lots: human scans since each recall, per day and country, and the alert state',
      responses: { 200: recallsView },
    }),
    queryParams(z.strictObject({ gtin: gtinSchema.optional(), lot: filterShape.lot })),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const q = c.req.valid('query');
      const now = Date.now();
      const recalls = (await recalledLots(c.env.DB, orgId)).filter(
        (r) => (!q.gtin || r.gtin === q.gtin) && (!q.lot || r.lot === q.lot),
      );
      const alerts = await recallAlertStates(c.env.DB, orgId);
      const rows = await Promise.all(
        recalls.map(async (r) => {
          const sinceMs = r.recalledAt ?? 0;
          const [since, uniques] = await Promise.all([
            recallScans(c.env.DB, orgId, r.gtin, r.lot, sinceMs),
            uniqueScanners(c.env.DB, {
              orgId,
              gtin: r.gtin,
              lot: r.lot,
              bots: 'exclude',
              tz: 'UTC',
              fromMs: sinceMs - (sinceMs % DAY_MS),
              toMs: now + DAY_MS,
            }),
          ]);
          const alert = alerts.get(`${r.gtin}|${r.lot}`);
          return {
            gtin: r.gtin,
            name: r.name,
            lot: r.lot,
            recalled_at: r.recalledAt === null ? null : new Date(r.recalledAt).toISOString(),
            reason: r.reason,
            scans_since_recall: since.scans,
            unique_scanners_since_recall: uniques ?? 0,
            last_scan_hour: since.lastHour === null ? null : new Date(since.lastHour).toISOString(),
            series: dailySeries(since.perDay, r.recalledAt, now, MAX_RECALL_DAYS),
            countries: [...since.perCountry]
              .map(([country, scans]) => ({ country: country || 'unknown', scans }))
              .sort((a, b) => b.scans - a.scans || a.country.localeCompare(b.country)),
            alert: alert ? { ...alert, last_seen_at: new Date(alert.last_seen_at).toISOString() } : null,
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
