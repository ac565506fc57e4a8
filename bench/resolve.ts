// `npm run bench:resolve [-- paths.txt]`: what resolving a Digital Link costs, as throughput and
// latency beside the bare 307 route measured in the same run.
//
// Settings: BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3), BENCH_ROUNDS (1),
// BENCH_LOAD_TOOL (wrk|autocannon), BENCH_SCAN_RECORDING (off|on, default off). Resolver paths: a file, one path per line (`#` starts a
// comment), named as the first argument or by BENCH_RESOLVE_PATHS; by default, walk-up paths of GS1's
// sample GTIN.
import { readFileSync } from 'node:fs';
import { benchmarkRules } from '../src/demo/demo-rules.ts';
import { workerBundle } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { BARE_REDIRECT, loadSettingsFromEnv, measureScenarios, type ScenarioSpec } from './lib/measure-scenario.ts';
import { printTable, saveRun, startRun } from './lib/report.ts';
import { serveWorker } from './lib/serve-worker.ts';

function readResolverPaths(): string[] | undefined {
  const file = process.argv[2] ?? process.env.BENCH_RESOLVE_PATHS;
  if (!file) return undefined;
  const paths = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  if (paths.length === 0) throw new Error(`${file} lists no paths`);
  return paths;
}

/**
 * By default: GS1's sample GTIN with a different unknown lot and serial on every request, so
 * each resolution walks up serial → lot → GTIN (the issue's scenario) and no two paths repeat
 * within a thousand requests.
 */
function defaultResolverPaths(): string[] {
  return Array.from({ length: 1000 }, (_, i) => `/01/09506000134352/10/LOT${i % 37}/21/SER${i}`);
}

function resolveScenario(paths: string[]): ScenarioSpec {
  return { scenario: `resolve walk-up (${paths.length} paths)`, paths, expectStatus: 307 };
}

/** The second GS1 sample GTIN carries 50 brand rules, none matching, so every scan evaluates all 50. */
const RULES_GTIN = '09506000134376';

async function seedRules(origin: string, apiKey: string): Promise<void> {
  const res = await fetch(`${origin}/v1/rules/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules: benchmarkRules(RULES_GTIN, 50) }),
  });
  if (!res.ok) throw new Error(`seeding rules failed: ${res.status} ${await res.text()}`);
}

/** The same walk-up on the GTIN that carries 50 rules (its lot and serial levels are wildcards). */
function rulesScenario(): ScenarioSpec {
  const paths = Array.from({ length: 1000 }, (_, i) => `/01/${RULES_GTIN}/10/LOT${i % 37}/21/SER${i}`);
  return { scenario: 'resolve + 50 rules (1000 paths)', paths, expectStatus: 307 };
}

const settings = loadSettingsFromEnv();
const resolverPaths = readResolverPaths() ?? defaultResolverPaths();
const run = startRun('resolve', 'npm run bench:resolve', settings.warmupS);

const demo = await demoOrg();
// Resolution alone by default: scan recording is the ingest benchmark's subject (bench/ingest.ts).
const recording = process.env.BENCH_SCAN_RECORDING === 'on' ? 'on' : 'off';
console.log(`Scan recording: ${recording} (BENCH_SCAN_RECORDING=on|off)`);
const worker = await serveWorker({ scriptPath: workerBundle(), seedSql: demo.seedSql, vars: { SCAN_RECORDING: recording } });
try {
  await demo.seedLinks(worker.url);
  await seedRules(worker.url, demo.apiKey);
  const scenarios = [BARE_REDIRECT, resolveScenario(resolverPaths), rulesScenario()];
  run.scenarios = await measureScenarios(worker, scenarios, settings);
} finally {
  await worker.dispose();
}
printTable(run);
saveRun(run);
