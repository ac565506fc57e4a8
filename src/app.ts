// Builds the Hono app: used by the Worker entry (src/index.ts) and by tests alike.

import { Hono, type MiddlewareHandler } from 'hono';
import type { RouterRoute } from 'hono/types';
import * as z from 'zod';
import { accessMemberRoutes } from './accounts/access-members.routes';
import { apiKeyRoutes } from './accounts/api-keys.routes';
import { rateLimitApi, throttleFailedAuth } from './accounts/api-rate-limit';
import { auditLogRoutes } from './accounts/audit-log.routes';
import { authenticate } from './accounts/authenticate';
import { brandRoutes } from './accounts/brands.routes';
import { organizationRoutes } from './accounts/organization.routes';
import { recordWrites } from './accounts/record-writes';
import { alertRoutes } from './alerts/alerts.routes';
import { brandAlertSettingsRoutes } from './alerts/brand-alert-settings.routes';
import { issuedSerialRoutes } from './alerts/issued-serials.routes';
import { webhookRoutes } from './alerts/webhooks/webhooks.routes';
import { analyticsRoutes } from './analytics/analytics.routes';
import { exportRoutes } from './analytics/exports.routes';
import { blockedCodeRoutes } from './blocking/blocked-codes.routes';
import { productRoutes } from './catalog/products.routes';
import { codeRoutes } from './codes/codes.routes';
import { demoScanRoutes } from './demo/demo-scans.routes';
import { hostedPageRoutes } from './hosted-page/hosted-page.routes';
import { ApiError } from './http/api-error';
import type { AppEnv } from './http/app-env';
import { limitBodyByRoute } from './http/body-limit';
import { d1Session } from './http/d1-session';
import { errorResponse, onError } from './http/on-error';
import { openApiRoutes } from './http/openapi/openapi.routes';
import { documented } from './http/openapi/route-doc';
import { firstPathSegment } from './http/request-url';
import { inventoryRoutes } from './inventory/inventory.routes';
import { locationRoutes } from './inventory/locations.routes';
import { posWebhookRoutes } from './inventory/pos-webhooks.routes';
import { linkRoutes } from './resolver/links.routes';
import { previewRoutes } from './resolver/preview.routes';
import { resolverRoutes } from './resolver/resolver.routes';
import { ruleRoutes } from './rules/rules.routes';
import { liveTotalsRoutes } from './scans/live-totals.routes';
import { searchRoutes } from './search/search.routes';

export interface WorkerApp {
  /** The Worker's fetch handler: API paths to `api`, every other path to `edge`. */
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  /** The brand API, POS webhooks, hosted pages, search and the dashboard redirect. */
  api: Hono<AppEnv>;
  /** The resolver (every other path is a Digital Link) and its description. */
  edge: Hono<AppEnv>;
}

export interface AppOptions {
  /** Routes mounted on the edge app ahead of the resolver (the benchmarks' baselines, bench/worker/). */
  edgeRoutes?: (edge: Hono<AppEnv>) => void;
}

/**
 * Two apps behind a one-segment switch. Scans are nearly all of the traffic, and Hono's router
 * cost grows with the route table: the API's ~190 routes need its trie router (RegExpRouter cannot
 * take `/alerts/settings` beside `/alerts/:id`), which cost a scan more than the resolver's own
 * work (bench/RESULTS.md). The resolver's app has four routes.
 */
export function createApp(options: AppOptions = {}): WorkerApp {
  const edge = createEdgeApp(options);
  // The OpenAPI document covers both apps' routes.
  const api = createApiApp(() => [...api.routes, ...edge.routes]);
  // The first path segments the API's routes own (v1, webhooks, p, search, dashboard, healthz),
  // read from its router: a route added under a new segment is switched to the API by itself.
  const apiSegments = new Set(api.routes.map((r) => r.path.split('/')[1]));
  return {
    fetch: (request, env, ctx) =>
      (apiSegments.has(firstPathSegment(request.url)) ? api : edge).fetch(request, env, ctx),
    api,
    edge,
  };
}

function withErrorHandling(app: Hono<AppEnv>): Hono<AppEnv> {
  app.notFound((c) =>
    errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError(onError);
  return app;
}

function createEdgeApp(options: AppOptions): Hono<AppEnv> {
  const edge = new Hono<AppEnv>();
  options.edgeRoutes?.(edge);
  // Every other path is a Digital Link for the resolver (or a 400 saying why it is not).
  edge.route('/', resolverRoutes);
  return withErrorHandling(edge);
}

/**
 * Every /v1 answer, errors included: never sniffed into another type, never kept by a cache (one
 * shows a new key once; all are per-organisation).
 */
const apiResponseHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('x-content-type-options', 'nosniff');
  c.res.headers.set('cache-control', 'no-store');
};

function createApiApp(documentedRoutes: () => readonly RouterRoute[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const v1 = new Hono<AppEnv>()
    .use(apiResponseHeaders)
    .use(limitBodyByRoute)
    .use(throttleFailedAuth)
    .use(authenticate)
    .use(rateLimitApi)
    .use(d1Session)
    .use(recordWrites)
    .route('/organization', organizationRoutes)
    .route('/audit-log', auditLogRoutes)
    .route('/api-keys', apiKeyRoutes)
    .route('/access-members', accessMemberRoutes)
    .route('/brands', brandRoutes)
    .route('/brands', brandAlertSettingsRoutes)
    .route('/links', linkRoutes)
    .route('/rules', ruleRoutes)
    .route('/resolver', previewRoutes)
    .route('/scans', liveTotalsRoutes)
    .route('/analytics', analyticsRoutes)
    .route('/demo', demoScanRoutes)
    .route('/exports', exportRoutes)
    .route('/products', productRoutes)
    .route('/locations', locationRoutes)
    .route('/inventory', inventoryRoutes)
    .route('/alerts', alertRoutes)
    .route('/issued-serials', issuedSerialRoutes)
    .route('/blocked-codes', blockedCodeRoutes)
    .route('/webhooks', webhookRoutes)
    .route('/codes', codeRoutes);

  app.get(
    '/healthz',
    documented({
      summary: 'Liveness',
      tags: ['service'],
      responses: { 200: z.object({ ok: z.literal(true) }) },
    }),
    (c) => c.json({ ok: true }),
  );
  // Public, so registered ahead of /v1's authentication.
  app.route('/v1/openapi.json', openApiRoutes(documentedRoutes));
  app.route('/v1', v1);
  // POS inventory webhooks: signed by the platform instead of an API key; their own body limit.
  app.route('/webhooks/pos', posWebhookRoutes);
  // Hosted product pages, where rules and the resolver's fallback send scans.
  app.route('/p', hostedPageRoutes);
  // Public product search: no key, rate-limited per client.
  app.route('/search', searchRoutes);
  // The web dashboard is static assets under /dashboard/ (wrangler.toml [assets]), served before
  // the Worker runs; only the bare path reaches it, and is sent to the dashboard's index.
  app.get(
    '/dashboard',
    documented({
      summary: 'The web dashboard (static assets under /dashboard/)',
      tags: ['service'],
      responses: { 301: { description: 'To /dashboard/', headers: { Location: '/dashboard/' } } },
    }),
    (c) => c.redirect('/dashboard/', 301),
  );
  return withErrorHandling(app);
}
