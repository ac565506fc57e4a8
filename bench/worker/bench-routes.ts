// The benchmarks' baselines (bench/): redirects that do no other work, on the same edge app and
// switch as a scan, so a scenario's cost reads as a ratio to them. Only the bench Worker
// (bench/worker/bench-entry.ts) mounts them; the deployed Worker has no such routes.
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/http/app-env';
import { splitRequestUrl } from '../../src/http/request-url';
import { redirectResponse } from '../../src/resolver/resolver.routes';
import type { ScanEvent } from '../../src/scans/scan-event-shape';
import { counterName } from '../../src/scans/scan-shards';
import type { StorageUsage } from '../../src/scans/storage-usage';
import { ARCHIVE_ROOT } from '../../src/storage/archive-layout';
import { backfillLegacyEvents } from '../../src/storage/legacy-backfill';
import { hourMoveStatements } from '../../src/storage/rollup-compaction';
import {
  addCounts,
  emptyCounts,
  type StorageRecordResult,
  type StoreSizes,
  type UsageCounts,
} from '../lib/storage-bench-types';

// The ScanCounter's counters still fit what bench/storage.ts reads (a compile-time check).
const _usageFits = (u: StorageUsage): UsageCounts => u;
void _usageFits;

/** `<prefix>/01/…` answers like a resolved scan without resolving it. */
export const RESOLVER_FLOOR_PREFIX = '/_bench/resolver-floor';

/** What the routes read from `request.cf`, as a country rule must (the first read parses it). */
const visitorCountry = (request: Request) =>
  (request.cf as IncomingRequestCfProperties | undefined)?.country ?? 'unknown';

export function mountBenchRoutes(edge: Hono<AppEnv>): void {
  edge.get('/_bench/bare-307', (c) => c.redirect('https://example.com/', 307));
  // After reading the visitor's country, as a geography rule must: workerd parses and freezes
  // the cf object on first read, a platform cost the bare route does not carry.
  edge.get('/_bench/bare-307-geo', (c) =>
    c.redirect(`https://example.com/${visitorCountry(c.req.raw)}`, 307),
  );
  // The least any conformant answer to the rules scenario's scans costs: the country read and a
  // 307 with every header the resolver's redirects carry; no parsing, resolving or rules.
  edge.get(`${RESOLVER_FLOOR_PREFIX}/*`, (c) => {
    const { origin, pathname } = splitRequestUrl(c.req.url);
    const digitalLink = pathname.slice(RESOLVER_FLOOR_PREFIX.length);
    return redirectResponse(
      `https://example.com/${visitorCountry(c.req.raw)}`,
      `${origin}${digitalLink}?linkType=linkset`,
    );
  });
  edge.post('/_bench/storage/record', async (c) =>
    c.json(await recordForStorageBench(c.env, await c.req.json())),
  );
  edge.get('/_bench/storage/sizes', async (c) => c.json(await storeSizes(c.env)));
  // Moves a seeded pre-0018 scan_events (scan_events_legacy) into R2 and D1's window, as the cron
  // does, in big chunks (bench/dashboard.ts): one call does a slice, the caller repeats.
  // What the compaction would write for every hour the organisation holds, copied without the
  // deletes, so both tiers stay for their sizes to be read (bench/storage.ts counts the deletes).
  edge.post('/_bench/storage/compact', async (c) => {
    const orgId = c.req.query('org') ?? '';
    const { results } = await c.env.DB.prepare(
      `SELECT DISTINCT bucket - bucket % 3600000 AS hour FROM scan_rollup_hourly WHERE org_id = ?1
       UNION SELECT DISTINCT bucket - bucket % 3600000 FROM scan_rollup_dims WHERE org_id = ?1`,
    )
      .bind(orgId)
      .all<{ hour: number }>();
    let rowsWritten = 0;
    for (const { hour } of results) {
      const done = await c.env.DB.batch(hourMoveStatements(c.env.DB, orgId, hour, { copyOnly: true }));
      for (const r of done) rowsWritten += r.meta.rows_written ?? 0;
    }
    return c.json({ hours: results.length, rowsWritten });
  });
  edge.post('/_bench/storage/backfill', async (c) =>
    c.json(await backfillLegacyEvents(c.env, Date.now(), { chunkRows: 20_000, chunks: 5 })),
  );
}

/** bench/storage.ts: one simulated hour of scans, as the ScanCounters receive and ship them. */
export interface StorageRecordRequest {
  events: (ScanEvent & { shard: number })[];
  /** Events per record() RPC (per counter). */
  batchSize: number;
  /** record() RPCs per flush() (and one flush after the last). */
  flushEvery: number;
}

/**
 * Groups the events by counter, calls record() in batches of `batchSize`, flush() after every
 * `flushEvery` batches and after the last, then archive(true) once (the hour's archive run), and
 * returns what the touched counters' usage() counted meanwhile. Counters run one after another.
 */
async function recordForStorageBench(env: Env, body: StorageRecordRequest): Promise<StorageRecordResult> {
  const byCounter = new Map<string, (ScanEvent & { shard: number })[]>();
  for (const e of body.events) {
    const name = counterName(e.keyAi, e.keyValue, e.shard);
    (byCounter.get(name) ?? byCounter.set(name, []).get(name)!).push(e);
  }
  const result: StorageRecordResult = {
    counters: [...byCounter.keys()],
    calls: { record: 0, flush: 0, archive: 0 },
    wallMs: { record: 0, flush: 0, archive: 0 },
    usage: emptyCounts(),
  };
  const timed = async <T>(kind: keyof StorageRecordResult['calls'], call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      result.wallMs[kind] += performance.now() - started;
      result.calls[kind]++;
    }
  };
  for (const [name, events] of byCounter) {
    const stub = env.SCAN_COUNTER.getByName(name);
    const before = await stub.usage(); // an RPC result: a copy, not the object's live counters
    let sinceFlush = 0;
    for (let i = 0; i < events.length; i += body.batchSize) {
      await timed('record', () => stub.record(events.slice(i, i + body.batchSize)));
      if (++sinceFlush >= body.flushEvery) {
        await timed('flush', () => stub.flush());
        sinceFlush = 0;
      }
    }
    if (sinceFlush > 0) await timed('flush', () => stub.flush());
    await timed('archive', () => stub.archive(true));
    addCounts(result.usage, await stub.usage(), before);
  }
  return result;
}

async function storeSizes(env: Env): Promise<StoreSizes> {
  const master = (
    await env.DB.prepare(
      "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
    ).all<{ type: string; name: string; tbl_name: string }>()
  ).results;
  const tables = master.filter((m) => m.type === 'table' && !/_fts(_|$)/.test(m.name)).map((m) => m.name);
  const indexOf = Object.fromEntries(
    master.filter((m) => m.type === 'index').map((m) => [m.name, m.tbl_name]),
  );
  const rows: Record<string, number> = {};
  for (const t of tables)
    rows[t] = (await env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`).first<{ n: number }>())?.n ?? 0;
  const page = async (pragma: string) =>
    Object.values((await env.DB.prepare(`PRAGMA ${pragma}`).first<Record<string, number>>()) ?? {})[0] ?? 0;
  let totalBytes: number | null = null;
  let pageCountError: string | undefined;
  try {
    totalBytes = (await page('page_count')) * (await page('page_size'));
  } catch (err) {
    pageCountError = String(err); // Miniflare's D1 refuses it too (SQLITE_AUTH)
  }
  let d1: StoreSizes['d1'];
  try {
    const stat = await env.DB.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all<{
      name: string;
      bytes: number;
    }>();
    d1 = {
      method: 'dbstat',
      totalBytes,
      bytes: Object.fromEntries(stat.results.map((r) => [r.name, r.bytes])),
      indexOf,
      rows,
    };
  } catch (err) {
    d1 = {
      method: 'page_count',
      dbstatError: String(err),
      ...(pageCountError ? { pageCountError } : {}),
      totalBytes,
      bytes: {},
      indexOf,
      rows,
    };
  }
  const r2 = { objects: 0, bytes: 0, listCalls: 0 };
  let cursor: string | undefined;
  do {
    const page = await env.SCAN_ARCHIVE.list({ prefix: ARCHIVE_ROOT, ...(cursor ? { cursor } : {}) });
    r2.listCalls++;
    for (const o of page.objects) {
      r2.objects++;
      r2.bytes += o.size;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const probe = 'bench_storage_index_probe';
  await env.DB.prepare(
    `CREATE TABLE IF NOT EXISTS ${probe} (id TEXT PRIMARY KEY, day INTEGER NOT NULL)`,
  ).run();
  await env.DB.prepare(`CREATE INDEX IF NOT EXISTS ${probe}_day ON ${probe} (day)`).run();
  const inserted = await env.DB.prepare(`INSERT INTO ${probe} (id, day) VALUES (?, 1)`)
    .bind(crypto.randomUUID())
    .run();
  await env.DB.prepare(`DROP TABLE ${probe}`).run();
  const empty = env.SCAN_COUNTER.idFromName('bench-storage-empty');
  await env.SCAN_COUNTER.get(empty).usage(); // its constructor creates the tables
  return {
    d1,
    r2,
    indexProbeRowsWritten: inserted.meta.rows_written ?? 0,
    emptyCounterId: empty.toString(),
  };
}
