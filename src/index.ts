// Worker entry: the fetch handler (resolver, brand API, dashboard), the scheduled handler, and
// the Durable Object classes this Worker hosts.
import { createApp } from './app';
import { checkDestinationUrls } from './rules/url-health';

export { ScanCounter } from './scans/scan-counter';

const app = createApp();

export default {
  fetch: app.fetch,
  // Cron (wrangler.toml [triggers]): the URL-health check behind the rules' dead-URL policies.
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(checkDestinationUrls(env.DB).then(() => undefined));
  },
} satisfies ExportedHandler<Env>;
