// GET /v1/scans/live/:ai/:value — a key's totals read straight from its ScanCounter objects
// (fresher than D1, which sees scans only after a flush).
import { Hono } from 'hono';
import * as z from 'zod';
import { ownsKey } from '../accounts/owns-key';
import { parseDigitalLinkPath } from '../digital-link';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { gs1Key, timestampOrNull } from '../http/response-schemas';
import { pathParams } from '../http/validate';
import type { LiveTotals } from './scan-counter';
import { hourOf } from './scan-dimensions';
import { counterName, shardCount } from './scan-shards';

export function sumTotals(parts: LiveTotals[]): LiveTotals {
  const byCountry: Record<string, number> = {};
  for (const p of parts)
    for (const [c, n] of Object.entries(p.byCountry)) byCountry[c] = (byCountry[c] ?? 0) + n;
  const last = parts.map((p) => p.lastScanAt).filter((t): t is number => t !== null);
  return {
    scans: parts.reduce((a, p) => a + p.scans, 0),
    humanScans: parts.reduce((a, p) => a + p.humanScans, 0),
    botScans: parts.reduce((a, p) => a + p.botScans, 0),
    pendingFlush: parts.reduce((a, p) => a + p.pendingFlush, 0),
    pendingArchive: parts.reduce((a, p) => a + p.pendingArchive, 0),
    rawEventsDropped: parts.reduce((a, p) => a + p.rawEventsDropped, 0),
    lastScanAt: last.length ? Math.max(...last) : null,
    byCountry,
  };
}

const liveTotalsView = z.object({
  key: gs1Key,
  shards: z.number().int(),
  scans: z.number().int(),
  human_scans: z.number().int(),
  bot_scans: z.number().int(),
  pending_flush: z.number().int().meta({ description: 'Recorded, not yet in D1' }),
  pending_archive: z.number().int().meta({ description: 'Recorded, not yet in the R2 archive' }),
  raw_events_dropped: z.number().int(),
  last_scan_hour: timestampOrNull,
  by_country: z.record(z.string(), z.number().int()),
});

export const liveTotalsRoutes = new Hono<AppEnv>().get(
  '/live/:ai/:value',
  documented({
    summary: "A key's scan totals straight from its ScanCounter objects (before any flush)",
    responses: { 200: liveTotalsView },
    errors: ['invalid_digital_link'],
  }),
  pathParams(z.object({ ai: z.string().regex(/^\d{2,4}$/), value: z.string().min(1).max(90) })),
  async (c) => {
    const { ai, value } = c.req.valid('param');
    const parsed = parseDigitalLinkPath(`/${ai}/${encodeURIComponent(value)}`, '', {
      permitZeroSuppressedGTIN: true,
    });
    if (!parsed.ok) throw new ApiError('invalid_digital_link', parsed.error.message);
    const key = parsed.link.primaryKey;
    if (!(await ownsKey(c.env.DB, c.get('auth').orgId, key.ai, key.value)))
      throw new ApiError('not_found', `No key /${key.ai}/${key.value} in this organisation`);
    const shards = shardCount(c.env, key.ai, key.value);
    const parts = await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        c.env.SCAN_COUNTER.getByName(counterName(key.ai, key.value, shard)).totals(),
      ),
    );
    const totals = sumTotals(parts);
    return c.json({
      key: { ai: key.ai, value: key.value },
      shards,
      scans: totals.scans,
      human_scans: totals.humanScans,
      bot_scans: totals.botScans,
      pending_flush: totals.pendingFlush,
      pending_archive: totals.pendingArchive,
      raw_events_dropped: totals.rawEventsDropped,
      // The last scan's 15-minute bucket, floored to its UTC hour as the field's name says.
      last_scan_hour: totals.lastScanAt === null ? null : new Date(hourOf(totals.lastScanAt)).toISOString(),
      by_country: totals.byCountry,
    });
  },
);
