// Prints the size of the Worker bundle `wrangler deploy --dry-run --outdir <dir>` wrote, as
// Cloudflare counts it (every module, before and after gzip), and fails above the budget: 1 MiB
// uncompressed (issue 21: a lean Worker starts faster; Cloudflare's own limit is on the gzip size).
// Usage: node scripts/bundle-size.ts dist/worker
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 1024 * 1024;
const dir = process.argv[2] ?? 'dist/worker';

const modules = readdirSync(dir).filter((name) => /\.(m?js|wasm)$/.test(name));
if (modules.length === 0)
  throw new Error(`no bundle in ${dir}: run wrangler deploy --dry-run --outdir ${dir}`);
let raw = 0;
let gzip = 0;
for (const name of modules) {
  const bytes = readFileSync(join(dir, name));
  raw += statSync(join(dir, name)).size;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `Worker bundle: ${kib(raw)} (gzip ${kib(gzip)}) in ${modules.length} module(s); budget ${kib(BUDGET_BYTES)}`,
);
if (raw > BUDGET_BYTES) {
  console.error(
    `The bundle is over its budget by ${kib(raw - BUDGET_BYTES)}: see bench/RESULTS.md, "Bundle size"`,
  );
  process.exit(1);
}
