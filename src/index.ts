// Worker entry: the fetch handler (resolver, brand API, dashboard), the scheduled handler, and
// the Durable Object classes this Worker hosts.
import { createApp } from './app';
import { checkDestinationUrls } from './rules/url-health';

export { ScanCounter } from './scans/scan-counter';
export { RateLimiter } from './search/rate-limiter';

const app = createApp();

export default {
  fetch: app.fetch,
  // Cron (wrangler.toml [triggers]): the URL-health check behind the rules' dead-URL policies.
  async scheduled(_controller, env) {
    await checkDestinationUrls(env.DB);
  },
} satisfies ExportedHandler<Env>;
