// Worker entry: the fetch handler (resolver, brand API, dashboard), the scheduled and queue
// handlers, and the Durable Object classes this Worker hosts.

import { pruneAlertFlushes } from './alerts/alert-upsert';
import { handleAlertQueue } from './alerts/webhooks/alert-queue';
import { pruneWebhookEvents } from './alerts/webhooks/webhook-store';
import { snapshotAllOrgs } from './analytics/org-metrics';
import { createApp } from './app';
import { reportStaleLocations } from './inventory/stale-locations';
import { checkDestinationUrls } from './rules/url-health';
import { backfillLegacyEvents } from './storage/legacy-backfill';
import { enforceRetention } from './storage/retention';

export { ScanCounter } from './scans/scan-counter';
export { RateLimiter } from './search/rate-limiter';

const app = createApp();

export default {
  fetch: app.fetch,
  // Cron (wrangler.toml [triggers], every 15 minutes): the URL-health check behind the rules'
  // dead-URL policies, and (hourly) the organisations' daily metric snapshots behind the overview's
  // "previous period" figures, the pruning of applied alert-batch tokens (alert-upsert.ts) and
  // the organisations' scan retention (src/storage/retention.ts, bounded per run), stores gone
  // silent (`inventory.stale` events) and the pruning of replayable webhook events; every run, the
  // move of pre-0018 raw events to the archive while any are left.
  async scheduled(controller, env, ctx) {
    // Epoch ms from Cloudflare; a Date from some test harnesses (D1 cannot bind a Date).
    const scheduledAt = new Date(controller.scheduledTime);
    // Once an hour is plenty for a daily figure, and retries a missed run within the day.
    if (scheduledAt.getUTCMinutes() < 15) {
      ctx.waitUntil(snapshotAllOrgs(env.DB, scheduledAt.getTime()));
      ctx.waitUntil(pruneAlertFlushes(env.DB, scheduledAt.getTime()));
      ctx.waitUntil(enforceRetention(env, scheduledAt.getTime()));
      ctx.waitUntil(reportStaleLocations(env, scheduledAt.getTime()));
      ctx.waitUntil(pruneWebhookEvents(env.DB, scheduledAt.getTime()));
    }
    // Until a deployment's pre-0018 raw events are all in the archive (src/storage/legacy-backfill.ts).
    ctx.waitUntil(backfillLegacyEvents(env, scheduledAt.getTime()));
    await checkDestinationUrls(env.DB);
  },
  // Queue consumer (wrangler.toml [[queues.consumers]]): alert fan-out and webhook deliveries.
  async queue(batch, env) {
    await handleAlertQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
