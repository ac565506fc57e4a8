// Public local product search (PRODUCT.md C6), no API key, rate-limited per client:
//   GET /search?q=…&lat=…&lng=…[&radius_km=10][&in_stock=true][&limit=20][&cursor=…]
//   GET /search/click/:search_id/:position   records the click, 307 to the product's resolver URL
// Every response is uncacheable: a cached page would show results nobody logs.

import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { v7 as uuidv7 } from 'uuid';
import * as z from 'zod';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { decodeCursor, encodeCursor } from '../http/page-cursor';
import { publicOrigin } from '../http/request-url';
import { pathParams, queryParams } from '../http/validate';
import { findCandidates } from './find-candidates';
import { presentResult, searchResultView } from './present-result';
import { rankResults } from './rank-results';
import { RATE_LIMIT_HEADERS, rateLimitSearch } from './rate-limit';
import { clickParams, DEFAULT_LIMIT, DEFAULT_RADIUS_KM, searchCursor, searchParams } from './search-input';
import { recordClick, searchLogBatcher, searchLogWindowMs } from './search-log';

const searchAnswer = z.object({
  search_id: z.string(),
  query: z.union([z.object({ gtin: z.string() }), z.object({ words: z.array(z.string()) })]),
  radius_km: z.number(),
  total: z.number().int(),
  data: z.array(searchResultView),
  next_cursor: z.string().nullable(),
});

export const searchRoutes = new Hono<AppEnv>()
  // Consumer apps call this from their own origins; nothing here depends on cookies.
  .use(cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: RATE_LIMIT_HEADERS }))
  .use(async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  })
  .use(rateLimitSearch)
  .get(
    '/',
    documented({
      summary: 'Products near a place, ranked by match, distance and stock (public, rate-limited)',
      responses: { 200: searchAnswer },
    }),
    queryParams(searchParams),
    async (c) => {
      const p = c.req.valid('query');
      const now = Date.now();
      const center = { lat: p.lat, lng: p.lng };
      const radiusKm = p.radius_km ?? DEFAULT_RADIUS_KM;
      const inStockOnly = p.in_stock === 'true' || p.in_stock === '1';
      const limit = p.limit ?? DEFAULT_LIMIT;
      const offset = p.cursor ? decodeCursor(p.cursor, searchCursor)[0] : 0;

      const candidates = await findCandidates(c.env.DB, p.q, center, radiusKm, inStockOnly);
      const ranked = rankResults(candidates, { center, radiusKm, inStockOnly, now });
      const shown = ranked
        .slice(offset, offset + limit)
        .map((result, i) => ({ position: offset + i + 1, result }));

      const id = uuidv7({ msecs: now });
      // A HEAD request shows nobody anything: no impressions.
      if (c.req.method !== 'HEAD') {
        searchLogBatcher.add(c.env.DB, c.executionCtx, searchLogWindowMs(c.env), {
          id,
          query: p.q,
          lat: p.lat,
          lng: p.lng,
          radiusKm,
          inStockOnly,
          resultCount: ranked.length,
          shown,
          at: now,
        });
      }
      const origin = publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url);
      return c.json({
        search_id: id,
        query: p.q.kind === 'gtin' ? { gtin: p.q.gtin } : { words: p.q.words },
        radius_km: radiusKm,
        total: ranked.length,
        data: shown.map(({ position, result }) =>
          presentResult(result, position, `${origin}/search/click/${id}/${position}`),
        ),
        next_cursor: offset + limit < ranked.length ? encodeCursor([offset + limit]) : null,
      });
    },
  )
  .get(
    '/click/:search_id/:position',
    documented({
      summary: "Log a click on a result and go to the product's resolver URL",
      responses: {
        307: { description: 'To the product', headers: { Location: "The product's Digital Link" } },
      },
    }),
    pathParams(clickParams),
    async (c) => {
      const { search_id, position } = c.req.valid('param');
      const gtin = await recordClick(c.env.DB, search_id, position, Date.now());
      if (gtin === null)
        throw new ApiError('not_found', `Search ${search_id} showed no result at position ${position}`);
      return c.redirect(`${publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url)}/01/${gtin}`, 307);
    },
  )
  // Other /search paths are not Digital Links for the resolver behind this router.
  .all('*', (c) => {
    throw new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}`);
  });
