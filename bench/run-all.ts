// `npm run bench`: every benchmark below, one after another (each in its own process, so each gets
// a fresh workerd), then bench/out/summary.json and summary.md with this run's figures only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorker } from './lib/build-worker.ts';
import { OUT_DIR, readSummary, renderMarkdown, SUMMARY_JSON } from './lib/report.ts';

/** Every benchmark in bench/, in the order they run. Add new ones here. */
// dashboard.ts seeds a million scans first: several minutes on its own.
const BENCHMARKS = [
  'resolve.ts',
  'ingest.ts',
  'bulk-upsert.ts',
  'search.ts',
  'dashboard.ts',
  'shard-simulation.ts',
  'storage.ts',
];

rmSync(SUMMARY_JSON, { force: true });
const bundle = buildWorker(); // once for all of them
const failed: string[] = [];
for (const file of BENCHMARKS) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [join(import.meta.dirname, file)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_WORKER_BUNDLE: bundle },
  });
  if (result.status !== 0) failed.push(file);
}

const runs = readSummary();
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(SUMMARY_JSON, `${JSON.stringify({ runs }, null, 2)}\n`);
const sections = runs.length > 0 ? runs.map(renderMarkdown).join('\n') : 'No benchmark finished.\n';
writeFileSync(join(OUT_DIR, 'summary.md'), `# Benchmark summary\n\n${sections}`);
console.log(`\nWrote ${join(OUT_DIR, 'summary.md')} and ${SUMMARY_JSON}`);
if (failed.length > 0) {
  console.error(`Failed: ${failed.join(', ')}`);
  process.exit(1);
}
