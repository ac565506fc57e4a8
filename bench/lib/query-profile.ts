// What the dashboard's scan queries cost inside D1: the statements src/analytics/scan-queries.ts
// sends (recorded by running its own functions against a stand-in D1), each with SQLite's query
// plan (EXPLAIN QUERY PLAN), the rows it read and its SQL time as local D1 reports them
// (meta.rows_read, meta.duration). Tells a slow route's query from the rest of its path.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Miniflare } from 'miniflare';
import { PROJECT_ROOT } from './wrangler-config.ts';

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

/** The part of src/analytics/analytics-filters.ts `Filters` the queries read. */
export interface ScanFilters {
  orgId: string;
  fromMs: number;
  toMs: number;
  tz: string;
  bots: 'exclude' | 'include' | 'only';
}

interface ScanQueries {
  totalScans(db: unknown, f: ScanFilters): Promise<number>;
  scansPerBucket(db: unknown, f: ScanFilters): Promise<Map<number, number>>;
}

/**
 * scan-queries.ts is Worker code, typed against workers-types, which scripts/tsconfig.json does
 * not load: imported by a computed path, tsc leaves it out and Node strips its types as usual.
 */
export async function scanQueries(): Promise<ScanQueries> {
  return (await import(
    pathToFileURL(join(PROJECT_ROOT, 'src', 'analytics', 'scan-queries.ts')).href
  )) as ScanQueries;
}

export interface StatementProfile {
  sql: string;
  plan: string[];
  rowsRead: number;
  sqlMs: number;
  /** Median of `repeat` runs (the first, cold one excluded). */
  repeat: number;
}

interface Recorded {
  sql: string;
  params: unknown[];
}

/** A D1 stand-in that records every statement and answers it from the real database. */
function recordingD1(d1: D1, log: Recorded[]) {
  return {
    prepare: (sql: string) => ({
      bind: (...params: unknown[]) => {
        const statement = () => {
          log.push({ sql, params });
          return d1.prepare(sql).bind(...params);
        };
        return {
          first: (column?: string) => (column ? statement().first(column) : statement().first()),
          all: () => statement().all(),
        };
      },
    }),
  };
}

/** Runs `query` once to learn its statements, then profiles each: plan, rows read, SQL time. */
export async function profileStatements(
  d1: D1,
  query: (db: unknown) => Promise<unknown>,
  repeat = 5,
): Promise<StatementProfile[]> {
  const log: Recorded[] = [];
  await query(recordingD1(d1, log));
  const profiles: StatementProfile[] = [];
  for (const { sql, params } of log) {
    const plan = await d1
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const runs: { rowsRead: number; ms: number }[] = [];
    for (let i = 0; i <= repeat; i++) {
      const { meta } = await d1
        .prepare(sql)
        .bind(...params)
        .all();
      if (i > 0) runs.push({ rowsRead: Number(meta.rows_read ?? 0), ms: Number(meta.duration ?? 0) });
    }
    runs.sort((a, b) => a.ms - b.ms);
    const median = runs[Math.floor(runs.length / 2)]!;
    profiles.push({
      sql: sql.replace(/\s+/g, ' ').trim(),
      plan: plan.results.map((r) => r.detail),
      rowsRead: median.rowsRead,
      sqlMs: median.ms,
      repeat,
    });
  }
  return profiles;
}
