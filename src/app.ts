// Builds the Hono app: used by the Worker entry (src/index.ts) and by tests alike.
import { Hono } from 'hono';
import { apiKeyRoutes } from './accounts/api-keys.routes';
import { authenticate } from './accounts/authenticate';
import { brandRoutes } from './accounts/brands.routes';
import { organizationRoutes } from './accounts/organization.routes';
import { alertRoutes } from './alerts/alerts.routes';
import { issuedSerialRoutes } from './alerts/issued-serials.routes';
import { webhookRoutes } from './alerts/webhooks/webhooks.routes';
import { analyticsRoutes } from './analytics/analytics.routes';
import { exportRoutes } from './analytics/exports.routes';
import { productRoutes } from './catalog/products.routes';
import { demoScanRoutes } from './demo/demo-scans.routes';
import { hostedPageRoutes } from './hosted-page/hosted-page.routes';
import { ApiError } from './http/api-error';
import type { AppEnv } from './http/app-env';
import { limitBodyByRoute } from './http/body-limit';
import { errorResponse, onError } from './http/on-error';
import { firstPathSegment, splitRequestUrl } from './http/request-url';
import { inventoryRoutes } from './inventory/inventory.routes';
import { locationRoutes } from './inventory/locations.routes';
import { posWebhookRoutes } from './inventory/pos-webhooks.routes';
import { linkRoutes } from './resolver/links.routes';
import { redirectResponse, resolverRoutes } from './resolver/resolver.routes';
import { ruleRoutes } from './rules/rules.routes';
import { liveTotalsRoutes } from './scans/live-totals.routes';
import { searchRoutes } from './search/search.routes';

export interface WorkerApp {
  /** The Worker's fetch handler: API paths to `api`, every other path to `edge`. */
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  /** The brand API, POS webhooks, hosted pages, search and the dashboard redirect. */
  api: Hono<AppEnv>;
  /** The resolver (every other path is a Digital Link), its description, and the bench baseline. */
  edge: Hono<AppEnv>;
}

/**
 * Two apps behind a one-segment switch. Scans are nearly all of the traffic, and Hono's router
 * cost grows with the route table: the API's ~190 routes need its trie router (RegExpRouter cannot
 * take `/alerts/settings` beside `/alerts/:id`), which cost a scan more than the resolver's own
 * work (bench/RESULTS.md). The resolver's app has four routes.
 */
export function createApp(): WorkerApp {
  const api = createApiApp();
  const edge = createEdgeApp();
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

/** What the bench routes read from `request.cf`, as a country rule must (the first read parses it). */
const visitorCountry = (request: Request) =>
  (request.cf as IncomingRequestCfProperties | undefined)?.country ?? 'unknown';

/** Bench-only (BENCH_ROUTES): `<prefix>/01/…` answers like a resolved scan without resolving it. */
const RESOLVER_FLOOR_PREFIX = '/_bench/resolver-floor';

function createEdgeApp(): Hono<AppEnv> {
  const edge = new Hono<AppEnv>();
  // The benchmarks' baseline (bench/): a redirect that does no other work, through the same switch
  // and app as a scan, so a scenario's cost reads as a ratio to it. Answers only while the
  // BENCH_ROUTES var is "1"; otherwise the path is a (bad) Digital Link like any other.
  edge.get('/_bench/bare-307', (c, next) =>
    c.env.BENCH_ROUTES === '1' ? c.redirect('https://example.com/', 307) : next(),
  );
  // The same redirect after reading the visitor's country from `request.cf`, as a geography rule
  // must: workerd parses and freezes the cf object on first read and keeps it with the request
  // (bench/RESULTS.md), a cost of the platform that the rules scenario carries and the bare route does not.
  edge.get('/_bench/bare-307-geo', (c, next) => {
    if (c.env.BENCH_ROUTES !== '1') return next();
    return c.redirect(`https://example.com/${visitorCountry(c.req.raw)}`, 307);
  });
  // The least any conformant answer to the rules benchmark's scans costs: the visitor's country
  // read from `request.cf` (as its country rule must) and a 307 with every header the resolver's
  // redirects carry (redirectResponse), the Link naming the Digital Link after the prefix. No
  // parsing, resolving or rules: the benchmark's rules scenario against this row is what our code
  // costs, apart from what the platform and GS1 require of every scan.
  edge.get(`${RESOLVER_FLOOR_PREFIX}/*`, (c, next) => {
    if (c.env.BENCH_ROUTES !== '1') return next();
    const { origin, pathname } = splitRequestUrl(c.req.url);
    const digitalLink = pathname.slice(RESOLVER_FLOOR_PREFIX.length);
    return redirectResponse(
      `https://example.com/${visitorCountry(c.req.raw)}`,
      `${origin}${digitalLink}?linkType=linkset`,
    );
  });
  // Every other path is a Digital Link for the resolver (or a 400 saying why it is not).
  edge.route('/', resolverRoutes);
  return withErrorHandling(edge);
}

function createApiApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
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
  // Hosted product pages, where rules and the resolver's fallback send scans.
  app.route('/p', hostedPageRoutes);
  // Public product search: no key, rate-limited per client.
  app.route('/search', searchRoutes);
  // The web dashboard is static assets under /dashboard/ (wrangler.toml [assets]), served before
  // the Worker runs; only the bare path reaches it, and is sent to the dashboard's index.
  app.get('/dashboard', (c) => c.redirect('/dashboard/', 301));
  return withErrorHandling(app);
}
