// POST /v1/demo/scans — fills a local demo organisation with months of past scans, served by its
// rules and recorded through the ScanCounter objects exactly like live scans after the HTTP part. Only served
// when DEMO_ROUTES is "1" (npm start sets it); in production the route does not exist.
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { productGtins } from '../catalog/product-store';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { publicOrigin } from '../http/request-url';
import { jsonBody } from '../http/validate';
import type { ScanEvent } from '../scans/scan-event';
import { counterName, shardCount, shardOf } from '../scans/scan-shards';
import { applyDemoRules, demoRecalledLots } from './demo-rule-matches';
import { demoScans } from './demo-scans';

const RPC_BATCH = 500;

export const demoScanRoutes = new Hono<AppEnv>().post(
  '/scans',
  documented({
    summary:
      'Write months of generated past scans, served by the rules (only where DEMO_ROUTES is 1, as npm start sets it)',
    responses: { 200: z.object({ generated: z.number().int(), recorded: z.number().int() }) },
    errors: ['conflict', 'not_found'],
  }),
  async (c, next) => {
    if (c.env.DEMO_ROUTES !== '1') throw new ApiError('not_found', `No route for POST ${c.req.path}`);
    await next();
  },
  requireRole('owner'),
  jsonBody(
    z.strictObject({
      count: z.number().int().min(1).max(50_000).default(3_000),
      days: z.number().int().min(1).max(120).default(28),
    }),
  ),
  async (c) => {
    const { orgId } = c.get('auth');
    const { count, days } = c.req.valid('json');
    const gtins = await productGtins(c.env.DB, orgId);
    if (gtins.length === 0)
      throw new ApiError(
        'conflict',
        "Add products first: demo scans are spread over the organisation's products",
      );
    const recalledLots = await demoRecalledLots(c.env.DB, orgId, gtins);
    const events = demoScans({ orgId, gtins, count, days, endMs: Date.now(), recalledLots });
    await applyDemoRules(c.env.DB, publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url), events);
    const byCounter = new Map<string, (ScanEvent & { shard: number })[]>();
    for (const e of events) {
      const shard = shardOf(shardCount(c.env, e.keyAi, e.keyValue), e.serial ?? e.lot ?? e.id);
      const name = counterName(e.keyAi, e.keyValue, shard);
      (byCounter.get(name) ?? byCounter.set(name, []).get(name)!).push({ ...e, shard });
    }
    let recorded = 0;
    for (const [name, batch] of byCounter) {
      for (let i = 0; i < batch.length; i += RPC_BATCH) {
        recorded += (await c.env.SCAN_COUNTER.getByName(name).record(batch.slice(i, i + RPC_BATCH))).recorded;
      }
    }
    return c.json({ generated: events.length, recorded });
  },
);
