// Builds the Hono app: used by the Worker entry (src/index.ts) and by tests alike.
import { Hono } from 'hono';
import { alertRoutes } from './alerts/alerts.routes';
import { issuedSerialRoutes } from './alerts/issued-serials.routes';
import { webhookRoutes } from './alerts/webhooks/webhooks.routes';
import { apiKeyRoutes } from './accounts/api-keys.routes';
import { authenticate } from './accounts/authenticate';
import { brandRoutes } from './accounts/brands.routes';
import { organizationRoutes } from './accounts/organization.routes';
import { productRoutes } from './catalog/products.routes';
import { ApiError } from './http/api-error';
import type { AppEnv } from './http/app-env';
import { limitBodyByRoute } from './http/body-limit';
import { resolverRoutes } from './resolver/resolver.routes';
import { linkRoutes } from './resolver/links.routes';
import { liveTotalsRoutes } from './scans/live-totals.routes';
import { analyticsRoutes } from './analytics/analytics.routes';
import { exportRoutes } from './analytics/exports.routes';
import { demoScanRoutes } from './demo/demo-scans.routes';
import { errorResponse, onError } from './http/on-error';
import { inventoryRoutes } from './inventory/inventory.routes';
import { locationRoutes } from './inventory/locations.routes';
import { posWebhookRoutes } from './inventory/pos-webhooks.routes';
import { ruleRoutes } from './rules/rules.routes';
import { hostedPageRoutes } from './hosted-page/hosted-page.routes';
import { searchRoutes } from './search/search.routes';

export function createApp() {
  const app = new Hono<AppEnv>();

  // The benchmarks' baseline (bench/): a redirect that does no other work, so a scenario's
  // cost reads as a ratio to it. Answers only while the BENCH_ROUTES var is "1"; otherwise the
  // path falls through to the routes below like any other.
  app.get('/_bench/bare-307', (c, next) => (c.env.BENCH_ROUTES === '1' ? c.redirect('https://example.com/', 307) : next()));

  const v1 = new Hono<AppEnv>()
    .use(limitBodyByRoute)
    .use(authenticate)
    .route('/organization', organizationRoutes)
    .route('/api-keys', apiKeyRoutes)
    .route('/brands', brandRoutes)
    .route('/links', linkRoutes)
    .route('/rules', ruleRoutes)
    .route('/scans', liveTotalsRoutes)
    .route('/analytics', analyticsRoutes)
    .route('/demo', demoScanRoutes)
    .route('/exports', exportRoutes)
    .route('/products', productRoutes)
    .route('/locations', locationRoutes)
    .route('/inventory', inventoryRoutes)
    .route('/alerts', alertRoutes)
    .route('/issued-serials', issuedSerialRoutes)
    .route('/webhooks', webhookRoutes);

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/v1', v1);
  // POS inventory webhooks: signed by the platform instead of an API key; their own body limit.
  app.route('/webhooks/pos', posWebhookRoutes);
  // Unknown API paths are 404s, not Digital Links for the resolver below.
  app.all('/v1/*', (c) => errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}`)));
  // Hosted product pages, where rules and the resolver's fallback send scans (before the catch-all).
  app.route('/p', hostedPageRoutes);
  // Public product search: no key, rate-limited per client (before the catch-all).
  app.route('/search', searchRoutes);
  // The web dashboard is static assets under /dashboard/ (wrangler.toml [assets]), served before
  // the Worker runs; only the bare path reaches it, and is sent to the dashboard's index.
  app.get('/dashboard', (c) => c.redirect('/dashboard/', 301));
  // Last: every other path is a Digital Link for the resolver (or a 400 saying why it is not).
  app.route('/', resolverRoutes);

  app.notFound((c) => errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError(onError);
  return app;
}
