// Bundles the Worker exactly as a deploy would (`wrangler deploy --dry-run`), so benchmarks
// measure the code that ships, not wrangler dev's middleware-wrapped build.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { PROJECT_ROOT, readWranglerConfig } from './wrangler-config.ts';

export const WORKER_OUT_DIR = join(PROJECT_ROOT, 'bench', 'out', 'worker');
const WRANGLER = join(PROJECT_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
export const BENCH_ENTRY = 'bench/worker/bench-entry.ts';
export const PRODUCTION_ENTRY = readWranglerConfig().main;

/**
 * Builds a Worker into `outDir` and returns the path of its entry module: `entry` (a path from the
 * project root) in place of wrangler.toml's `main`. Benchmarks build the bench Worker (the deployed
 * one plus its baseline routes); `PRODUCTION_ENTRY` builds exactly what deploys.
 */
export function buildWorker(outDir = WORKER_OUT_DIR, entry: string = BENCH_ENTRY): string {
  rmSync(outDir, { recursive: true, force: true }); // no stale modules from an earlier build
  // This Node (≥ 22, since it runs .ts) rather than the shebang's, which may find an older one.
  const result = spawnSync(process.execPath, [WRANGLER, 'deploy', entry, '--dry-run', '--outdir', outDir], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`wrangler deploy --dry-run failed with exit code ${result.status}`);
  }

  // wrangler names the entry module after the entry point (src/index.ts → index.js).
  const built = `${basename(entry, extname(entry))}.js`;
  if (!readdirSync(outDir).includes(built)) {
    throw new Error(`wrangler wrote no ${built} into ${outDir} (found: ${readdirSync(outDir).join(', ')})`);
  }
  return join(outDir, built);
}

/** The bundle `npm run bench` already built (BENCH_WORKER_BUNDLE), else a fresh build. */
export function workerBundle(): string {
  return process.env.BENCH_WORKER_BUNDLE || buildWorker();
}
