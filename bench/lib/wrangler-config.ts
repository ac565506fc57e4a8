// The parts of wrangler.toml the benchmarks mirror into Miniflare: entry, compatibility, vars,
// D1, Durable Objects, R2, Queues and static assets. Binding kinds it does not map yet fail loudly
// rather than leaving a benchmarked Worker with a missing binding.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'smol-toml';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface DurableObjectBindingConfig {
  name: string;
  className: string;
  scriptName?: string;
  useSQLite: boolean;
}

export interface WranglerConfig {
  name: string;
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** As wrangler binds them: strings stay strings, TOML tables and arrays become JSON values. */
  vars: Record<string, unknown>;
  /** `[secrets] required`: names only; serve-worker.ts gives each a fixed bench-only value. */
  requiredSecrets: string[];
  d1Databases: { binding: string; databaseId: string; migrationsDir: string }[];
  r2Buckets: { binding: string; bucketName: string }[];
  durableObjects: DurableObjectBindingConfig[];
  /** `[[queues.producers]]`: binding → queue name. */
  queueProducers: { binding: string; queue: string }[];
  /** `[[queues.consumers]]`: this Worker's queue handler for each queue. */
  queueConsumers: QueueConsumerConfig[];
  /** `[assets]`: static files served beside the Worker (the dashboard), `directory` absolute. */
  assets?: AssetsConfig;
}

export interface AssetsConfig {
  directory: string;
  binding?: string;
  runWorkerFirst?: boolean | string[];
  htmlHandling?: 'auto-trailing-slash' | 'force-trailing-slash' | 'drop-trailing-slash' | 'none';
  notFoundHandling?: 'none' | 'single-page-application' | '404-page';
}

export interface QueueConsumerConfig {
  queue: string;
  maxBatchSize?: number;
  maxBatchTimeout?: number;
  maxRetries?: number;
  retryDelay?: number;
  deadLetterQueue?: string;
}

// Top-level keys that only matter to deploys, dashboards or wrangler itself.
const IGNORED_KEYS = new Set([
  'name',
  'main',
  'compatibility_date',
  'compatibility_flags',
  'vars',
  'secrets',
  'd1_databases',
  'r2_buckets',
  'durable_objects',
  'queues',
  'migrations',
  'observability',
  'triggers',
  'workers_dev',
  'routes',
  'route',
  'account_id',
  'minify',
  'placement',
  'limits',
  'upload_source_maps',
  'preview_urls',
  'keep_vars',
  'send_metrics',
  'assets',
  // A custom build command: wrangler runs it (`wrangler deploy --dry-run` in build-worker.ts too).
  'build',
  // Bundling options: wrangler applies them when it builds (build-worker.ts runs wrangler).
  'keep_names',
  'alias',
]);

interface RawConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  secrets?: { required?: string[] };
  d1_databases?: { binding: string; database_id?: string; database_name?: string; migrations_dir?: string }[];
  r2_buckets?: { binding: string; bucket_name: string }[];
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
  migrations?: { new_classes?: string[]; new_sqlite_classes?: string[] }[];
  assets?: {
    directory: string;
    binding?: string;
    run_worker_first?: boolean | string[];
    html_handling?: AssetsConfig['htmlHandling'];
    not_found_handling?: AssetsConfig['notFoundHandling'];
  };
  queues?: {
    producers?: { binding: string; queue: string }[];
    consumers?: {
      queue: string;
      max_batch_size?: number;
      max_batch_timeout?: number;
      max_retries?: number;
      retry_delay?: number;
      dead_letter_queue?: string;
    }[];
  };
}

export function readWranglerConfig(path = join(PROJECT_ROOT, 'wrangler.toml')): WranglerConfig {
  const raw = parse(readFileSync(path, 'utf8')) as RawConfig & Record<string, unknown>;
  const unmapped = Object.keys(raw).filter((key) => !IGNORED_KEYS.has(key));
  if (unmapped.length > 0) {
    throw new Error(
      `wrangler.toml declares ${unmapped.join(', ')}, which bench/lib/wrangler-config.ts does not mirror into Miniflare yet`,
    );
  }
  if (!raw.name || !raw.main || !raw.compatibility_date)
    throw new Error('wrangler.toml needs `name`, `main` and `compatibility_date`');

  // A class listed in any `new_sqlite_classes` migration keeps its state in SQLite storage.
  const sqliteClasses = new Set((raw.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    name: raw.name,
    main: raw.main,
    compatibilityDate: raw.compatibility_date,
    compatibilityFlags: raw.compatibility_flags ?? [],
    vars: raw.vars ?? {},
    requiredSecrets: raw.secrets?.required ?? [],
    d1Databases: (raw.d1_databases ?? []).map((db) => ({
      binding: db.binding,
      databaseId: db.database_id ?? db.database_name ?? db.binding,
      migrationsDir: db.migrations_dir ?? 'migrations',
    })),
    r2Buckets: (raw.r2_buckets ?? []).map((b) => ({ binding: b.binding, bucketName: b.bucket_name })),
    durableObjects: (raw.durable_objects?.bindings ?? []).map((b) => ({
      name: b.name,
      className: b.class_name,
      ...(b.script_name ? { scriptName: b.script_name } : {}),
      useSQLite: sqliteClasses.has(b.class_name),
    })),
    queueProducers: (raw.queues?.producers ?? []).map((p) => ({ binding: p.binding, queue: p.queue })),
    queueConsumers: (raw.queues?.consumers ?? []).map((c) => ({
      queue: c.queue,
      ...(c.max_batch_size !== undefined ? { maxBatchSize: c.max_batch_size } : {}),
      ...(c.max_batch_timeout !== undefined ? { maxBatchTimeout: c.max_batch_timeout } : {}),
      ...(c.max_retries !== undefined ? { maxRetries: c.max_retries } : {}),
      ...(c.retry_delay !== undefined ? { retryDelay: c.retry_delay } : {}),
      ...(c.dead_letter_queue !== undefined ? { deadLetterQueue: c.dead_letter_queue } : {}),
    })),
    ...(raw.assets
      ? {
          assets: {
            directory: resolve(dirname(path), raw.assets.directory),
            ...(raw.assets.binding ? { binding: raw.assets.binding } : {}),
            ...(raw.assets.run_worker_first !== undefined
              ? { runWorkerFirst: raw.assets.run_worker_first }
              : {}),
            ...(raw.assets.html_handling ? { htmlHandling: raw.assets.html_handling } : {}),
            ...(raw.assets.not_found_handling ? { notFoundHandling: raw.assets.not_found_handling } : {}),
          },
        }
      : {}),
  };
}
