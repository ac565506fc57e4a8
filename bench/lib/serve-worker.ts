// Serves the bundled Worker through Miniflare's own API: clients talk straight to workerd's
// socket, unlike `wrangler dev`, whose proxy (a second workerd and a Durable Object) caps a bare
// redirect at ~1,000 req/s on a 2-core machine and hides what our code costs. Requests still pass
// Miniflare's entry worker inside that workerd, the same for every scenario (see RESULTS.md).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { readD1Migrations } from '@cloudflare/vitest-plugin';
import { Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { findWorkerdPids } from './process-memory.ts';
import {
  PROJECT_ROOT,
  type QueueConsumerConfig,
  readWranglerConfig,
  type WranglerConfig,
} from './wrangler-config.ts';

export interface ServeWorkerOptions {
  /** Entry module of the bundle `buildWorker()` wrote. */
  scriptPath: string;
  /** Overrides for wrangler.toml's [vars]. */
  vars?: Record<string, string>;
  /** SQL statements run against DB after the migrations, in one batch (e.g. `demoSeedSql(...)`). */
  seedSql?: string[];
  /** Defaults to the project's wrangler.toml. */
  config?: WranglerConfig;
  /**
   * Serve wrangler.toml's [assets] (the dashboard) in front of the Worker, as wrangler does. Off by
   * default: Miniflare runs its asset router as one more worker in this workerd, in front of every
   * request (measured: about half the bare-307 throughput on 2 cores), which in production is
   * Cloudflare's routing rather than our code. The dashboard's end-to-end tests turn it on.
   */
  withAssets?: boolean;
  /** Also serve BULK_D1_WRITER beside the Worker (see `bulkD1Url`), for seeding millions of rows. */
  bulkD1Writer?: boolean;
  /** Open V8's inspector on this port, to attach its CPU profiler (bench/RESULTS.md, "How figures are taken"). */
  inspectorPort?: number;
}

export interface ServedWorker {
  /** Origin the Worker answers on, e.g. `http://127.0.0.1:40123`, no trailing slash. */
  url: string;
  mf: Miniflare;
  /** The workerd process serving it, for memory figures (see process-memory.ts). */
  workerdPid: number;
  /** Miniflare's persistence directory (D1, Durable Object and R2 files), removed by dispose(). */
  persistDir: string;
  /** With `bulkD1Writer`: where to POST statements for the Worker's D1 (see BULK_D1_WRITER). */
  bulkD1Url?: string;
  dispose(): Promise<void>;
}

export async function serveWorker(options: ServeWorkerOptions): Promise<ServedWorker> {
  const config = options.config ?? readWranglerConfig();
  const persistDir = mkdtempSync(join(tmpdir(), 'dle-bench-'));
  const workerdBefore = new Set(findWorkerdPids());

  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0, // a free port, chosen by the OS
    log: new Log(LogLevel.WARN),
    // Miniflare 5 logs every request by default (a loopback fetch to Node per request) and joins
    // a machine-wide dev registry by default; either would put work on the measured path.
    logRequests: false,
    enableDevRegistry: false,
    // Its default fetches a real `request.cf` from Cloudflare (and warns offline); the fixed
    // placeholder (an Austin, US visitor) keeps runs offline and comparable.
    cf: false,
    resourcePersistencePath: persistDir,
    ...(options.inspectorPort !== undefined ? { inspectorPort: options.inspectorPort } : {}),
    workers: [
      {
        config: {
          name: config.name,
          compatibilityDate: config.compatibilityDate,
          compatibilityFlags: config.compatibilityFlags,
          manifest: bundleManifest(options.scriptPath),
          env: bindings(config, { ...BENCH_LIMITS, ...options.vars }, options.withAssets ?? false),
          // Queue consumers are triggers in Miniflare 5: this Worker's queue() handler runs for each.
          triggers: config.queueConsumers.map((c) => ({
            type: 'queue' as const,
            name: c.queue,
            ...queueConsumerOptions(c),
          })),
          exports: Object.fromEntries(
            config.durableObjects.map((d) => [
              d.className,
              { type: 'durable-object', storage: d.useSQLite ? 'sqlite' : 'legacy-kv' },
            ]),
          ),
          // Static assets (the dashboard) as wrangler serves them (`withAssets`): Miniflare's asset
          // router sits in front of the Worker, applies run_worker_first and reads public/_headers.
          ...(config.assets && options.withAssets
            ? {
                assets: {
                  directory: config.assets.directory,
                  hasUserWorker: true,
                  ...(config.assets.runWorkerFirst !== undefined
                    ? { runWorkerFirst: config.assets.runWorkerFirst }
                    : {}),
                  ...(config.assets.htmlHandling ? { htmlHandling: config.assets.htmlHandling } : {}),
                  ...(config.assets.notFoundHandling
                    ? { notFoundHandling: config.assets.notFoundHandling }
                    : {}),
                },
              }
            : {}),
        },
      },
      ...(options.bulkD1Writer ? [bulkD1WriterWorker(config)] : []),
    ],
  });

  const dispose = async () => {
    await mf.dispose();
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    const url = (await mf.ready).origin;
    for (const db of config.d1Databases) {
      const d1 = await mf.getD1Database(db.binding);
      await applyMigrations(d1, resolve(PROJECT_ROOT, db.migrationsDir));
    }
    if (options.seedSql?.length) {
      const d1 = await mf.getD1Database('DB');
      await d1.batch(options.seedSql.map((sql) => d1.prepare(sql)));
    }
    const workerdPid = findWorkerdPids().find((pid) => !workerdBefore.has(pid));
    if (workerdPid === undefined)
      throw new Error('Miniflare started, but no new workerd child process was found');
    const bulkD1Url = options.bulkD1Writer
      ? (await mf.unsafeGetDirectURL(BULK_D1_WRITER_NAME)).origin
      : undefined;
    return { url, mf, workerdPid, persistDir, dispose, ...(bulkD1Url ? { bulkD1Url } : {}) };
  } catch (error) {
    await dispose();
    throw error;
  }
}

type WorkerConfig = MiniflareOptions['workers'][number]['config'];

const BULK_D1_WRITER_NAME = 'bench-bulk-d1-writer';

/**
 * A second Worker in the same workerd, bound to the same D1 database, on its own socket: POST it
 * a JSON array of `{ sql, params }` and it runs them as one `DB.batch` (one transaction). Rows
 * reach D1 as they do from our Worker; `mf.getD1Database()` would carry each parameter through
 * Miniflare's Node proxy instead, whose serialiser escapes strings a character at a time in
 * JavaScript (minutes for a million scans).
 */
const BULK_D1_WRITER = `export default {
  async fetch(request, env) {
    const statements = await request.json();
    const results = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
    return Response.json(results.map((r) => ({ changes: r.meta.changes, ms: r.meta.duration })));
  },
};`;

function bulkD1WriterWorker(config: WranglerConfig): MiniflareOptions['workers'][number] {
  const db = config.d1Databases.find((d) => d.binding === 'DB');
  if (!db) throw new Error('wrangler.toml binds no D1 database as DB');
  return {
    config: {
      name: BULK_D1_WRITER_NAME,
      compatibilityDate: config.compatibilityDate,
      manifest: {
        mainModule: 'writer.js',
        modules: { 'writer.js': { type: 'esm', contents: BULK_D1_WRITER } },
      },
      env: { DB: { type: 'd1', id: db.databaseId } },
    },
    dev: { unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }] },
  };
}

// Miniflare 5 takes no `scriptPath`/`modules: true`: every module is listed in a manifest. The
// bundle's directory holds the entry and whatever modules wrangler emitted beside it.
const MODULE_TYPES: Record<string, 'esm' | 'wasm' | 'text' | 'data'> = {
  '.js': 'esm',
  '.mjs': 'esm',
  '.wasm': 'wasm',
  '.txt': 'text',
  '.html': 'text',
  '.sql': 'text',
  '.bin': 'data',
};

function bundleManifest(scriptPath: string): NonNullable<WorkerConfig['manifest']> {
  const modulesRoot = dirname(scriptPath);
  const modules: NonNullable<WorkerConfig['manifest']>['modules'] = {};
  for (const file of readdirSync(modulesRoot, { recursive: true, encoding: 'utf8' })) {
    const type = MODULE_TYPES[extname(file)];
    if (!type) continue; // source maps, wrangler's README.md
    const path = join(modulesRoot, file);
    modules[file.split(sep).join('/')] = {
      type,
      contents:
        type === 'esm' || type === 'text' ? readFileSync(path, 'utf8') : new Uint8Array(readFileSync(path)),
    };
  }
  return { mainModule: basename(scriptPath), modulesRoot, modules };
}

/** wrangler.toml's vars, D1 databases and Durable Objects as Miniflare 5 `env` bindings. */
/**
 * A benchmark's load comes from one address, far past any per-client limit: the limiters still
 * run (their cost is measured), they only never refuse.
 */
const BENCH_LIMITS = {
  SCAN_RATE_LIMIT: '1000000000',
  SCAN_BOT_RATE_LIMIT: '1000000000',
  API_AUTH_FAILURE_LIMIT: '1000000000',
  API_RATE_LIMIT_PER_KEY: '1000000000',
  API_RATE_LIMIT_PER_ORGANIZATION: '1000000000',
  POS_WEBHOOK_RATE_LIMIT: '1000000000',
};

/** Fixed values for the Worker's required secrets, for local benchmarks only. */
const BENCH_SECRETS: Record<string, string> = {
  SECRETS_KEY: btoa('bench-only-secrets-key-32-bytes!'),
  SCANNER_HASH_SECRET: 'bench-only-scanner-hash-secret',
};

function bindings(
  config: WranglerConfig,
  varOverrides: Record<string, string>,
  withAssets: boolean,
): NonNullable<WorkerConfig['env']> {
  const env: NonNullable<WorkerConfig['env']> = {};
  for (const name of config.requiredSecrets) {
    const value = BENCH_SECRETS[name];
    if (value === undefined) throw new Error(`wrangler.toml requires secret ${name}: give it a bench value`);
    env[name] = { type: 'text', value };
  }
  for (const [name, value] of Object.entries({ ...config.vars, ...varOverrides })) {
    env[name] = typeof value === 'string' ? { type: 'text', value } : { type: 'json', value: value as never };
  }
  for (const db of config.d1Databases) env[db.binding] = { type: 'd1', id: db.databaseId };
  for (const r2 of config.r2Buckets) env[r2.binding] = { type: 'r2', name: r2.bucketName };
  for (const q of config.queueProducers) env[q.binding] = { type: 'queue', name: q.queue };
  if (config.assets?.binding && withAssets) env[config.assets.binding] = { type: 'assets' };
  for (const d of config.durableObjects) {
    if (d.scriptName && d.scriptName !== config.name)
      throw new Error(
        `${d.name} binds a Durable Object of another Worker (${d.scriptName}); serve-worker.ts runs one Worker`,
      );
    env[d.name] = { type: 'durable-object', worker: config.name, exportName: d.className };
  }
  return env;
}

function queueConsumerOptions(c: QueueConsumerConfig) {
  const { queue: _queue, ...options } = c;
  return options;
}

type D1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

/**
 * Applies `migrations/*.sql` in order, as the tests' `applyD1Migrations` does: statements split
 * by wrangler's own SQL splitter, one batch per file, each recorded in wrangler's `d1_migrations`.
 */
async function applyMigrations(d1: D1, migrationsDir: string): Promise<void> {
  await d1
    .prepare(`CREATE TABLE IF NOT EXISTS d1_migrations (
      id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`)
    .run();
  for (const migration of await readD1Migrations(migrationsDir)) {
    await d1.batch([
      ...migration.queries.map((sql) => d1.prepare(sql)),
      d1.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(migration.name),
    ]);
  }
}
