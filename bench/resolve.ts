// `npm run bench:resolve [-- paths.txt]`: what resolving a Digital Link costs, as throughput and
// latency beside the bare 307 route measured in the same run.
//
// Settings: BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3), BENCH_ROUNDS (1),
// BENCH_LOAD_TOOL (wrk|autocannon), BENCH_SCAN_RECORDING (off|on, default off), BENCH_RULES (50). Resolver
// paths: a file, one path per line (`#` starts a
// comment), named as the first argument or by BENCH_RESOLVE_PATHS; by default, walk-up paths of GS1's
// sample GTIN.
import { readFileSync } from 'node:fs';
import { workerBundle } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import {
  BARE_REDIRECT,
  loadSettingsFromEnv,
  measureScenarios,
  type ScenarioSpec,
} from './lib/measure-scenario.ts';
import { printTable, saveRun, startRun } from './lib/report.ts';
import {
  BARE_REDIRECT_READING_GEOGRAPHY,
  BENCHMARK_RULE_COUNT,
  DEFAULT_RESOLVER_PATHS,
  RESOLVER_FLOOR,
  RULES_PATHS,
  seedBenchmarkRules,
} from './lib/resolve-scenarios.ts';
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

function resolveScenario(paths: string[]): ScenarioSpec {
  return { scenario: `resolve walk-up (${paths.length} paths)`, paths, expectStatus: 307 };
}

const rulesScenario: ScenarioSpec = {
  scenario: `resolve + ${BENCHMARK_RULE_COUNT} rules (${RULES_PATHS.length} paths)`,
  paths: RULES_PATHS,
  expectStatus: 307,
};

const settings = loadSettingsFromEnv();
const resolverPaths = readResolverPaths() ?? DEFAULT_RESOLVER_PATHS;
const run = startRun('resolve', 'npm run bench:resolve', settings.warmupS);

const demo = await demoOrg();
// Resolution alone by default: scan recording is the ingest benchmark's subject (bench/ingest.ts).
const recording = process.env.BENCH_SCAN_RECORDING === 'on' ? 'on' : 'off';
console.log(`Scan recording: ${recording} (BENCH_SCAN_RECORDING=on|off)`);
const worker = await serveWorker({
  scriptPath: workerBundle(),
  seedSql: demo.seedSql,
  vars: { SCAN_RECORDING: recording },
});
try {
  await demo.seedLinks(worker.url);
  await seedBenchmarkRules(worker.url, demo.apiKey);
  const scenarios = [
    BARE_REDIRECT,
    BARE_REDIRECT_READING_GEOGRAPHY,
    RESOLVER_FLOOR,
    resolveScenario(resolverPaths),
    rulesScenario,
  ];
  run.scenarios = await measureScenarios(worker, scenarios, settings);
} finally {
  await worker.dispose();
}
printTable(run);
// The rules scenario reads request.cf (its first rule is a country rule) and answers with GS1's
// headers; the floor row pays exactly that with nothing else, so this ratio is what parsing,
// resolving and the rules cost on top of what every conformant answer to these scans costs.
const resultOf = (spec: ScenarioSpec) => run.scenarios.find((s) => s.scenario === spec.scenario)!;
const [floor, rules] = [resultOf(RESOLVER_FLOOR), resultOf(rulesScenario)];
console.log(
  `${rules.scenario} vs ${floor.scenario}: ${(rules.requestsPerSec / floor.requestsPerSec).toFixed(2)}× throughput, ${(floor.cpuUsPerRequest! / rules.cpuUsPerRequest!).toFixed(2)}× CPU`,
);
saveRun(run);
