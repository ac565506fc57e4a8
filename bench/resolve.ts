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

/**
 * The bare 307 route fed URLs as long as the rule scenario's and as varied (the same characters
 * after its first 17, as a query string the route ignores). Measured: Miniflare's entry worker and
 * workerd spend ~50–80 µs more CPU on such URLs than on the bare route's short fixed one, before
 * the Worker runs (bench/RESULTS.md), so this row shows what the URLs cost the harness and the
 * rules scenario can be compared with a bare route that pays it too.
 */
function bareWithRulePathUrls(rulePaths: string[]): ScenarioSpec {
  const paths = rulePaths.map((p) => `${BARE_REDIRECT.paths[0]}?${p.slice(BARE_REDIRECT.paths[0]!.length + 1)}`);
  return { scenario: 'bare 307, rule-scenario URLs', paths, expectStatus: 307 };
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
  const rules = rulesScenario();
  const scenarios = [BARE_REDIRECT, bareWithRulePathUrls(rules.paths), resolveScenario(resolverPaths), rules];
  run.scenarios = await measureScenarios(worker, scenarios, settings);
} finally {
  await worker.dispose();
}
printTable(run);
const [, sameUrls, , withRules] = run.scenarios;
if (sameUrls && withRules?.cpuUsPerRequest && sameUrls.cpuUsPerRequest) {
  const throughput = (withRules.requestsPerSec / sameUrls.requestsPerSec).toFixed(2);
  const cpu = (sameUrls.cpuUsPerRequest / withRules.cpuUsPerRequest).toFixed(2);
  console.log(`50 rules vs the bare route on the same URLs: ${throughput}× throughput, ${cpu}× CPU`);
}
saveRun(run);
