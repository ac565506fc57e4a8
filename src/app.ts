// Builds the Hono app: used by the Worker entry (src/index.ts) and by tests alike.
import { Hono } from 'hono';
import { apiKeyRoutes } from './accounts/api-keys.routes';
import { authenticate } from './accounts/authenticate';
import { brandRoutes } from './accounts/brands.routes';
import { organizationRoutes } from './accounts/organization.routes';
import { ApiError } from './http/api-error';
import type { AppEnv } from './http/app-env';
import { limitBody } from './http/body-limit';
import { errorResponse, onError } from './http/on-error';

export function createApp() {
  const app = new Hono<AppEnv>();

  const v1 = new Hono<AppEnv>()
    .use(limitBody())
    .use(authenticate)
    .route('/organization', organizationRoutes)
    .route('/api-keys', apiKeyRoutes)
    .route('/brands', brandRoutes);

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/v1', v1);

  app.notFound((c) => errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError(onError);
  return app;
}
