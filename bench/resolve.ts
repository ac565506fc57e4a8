// `npm run bench:resolve [-- paths.txt]`: what resolving a Digital Link costs, as throughput and
// latency beside the bare 307 route measured in the same run.
//
// Settings: BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3), BENCH_ROUNDS (1),
// BENCH_LOAD_TOOL (wrk|autocannon). Resolver paths: a file, one path per line (`#` starts a
// comment), named as the first argument or by BENCH_RESOLVE_PATHS.
import { readFileSync } from 'node:fs';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../src/accounts/api-key-secret.ts';
import { demoSeedSql } from '../src/demo/demo-seed.ts';
import { workerBundle } from './lib/build-worker.ts';
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

/** The demo organisation and brand; the resolver's links will hang off them. */
async function seedSql(): Promise<string[]> {
  const { key } = await generateApiKey();
  return [
    ...demoSeedSql({ prefix: apiKeyPrefix(key), hash: await hashApiKey(key) }),
    // TODO(resolve scenario): the links the resolver paths resolve to, for the demo brand.
  ];
}

/**
 * TO FINISH once the resolver is complete: the second scenario, Digital Link paths such as
 * `/01/09506000134352/10/ABC123` resolved through D1 to their redirect. Seed what they resolve
 * to in `seedSql()` and check the status a resolved link answers with.
 */
function resolveScenario(paths: string[]): ScenarioSpec {
  return { scenario: `resolve (${paths.length} paths)`, paths, expectStatus: 307 };
}

const settings = loadSettingsFromEnv();
const resolverPaths = readResolverPaths();
const run = startRun('resolve', 'npm run bench:resolve', settings.warmupS);

const worker = await serveWorker({ scriptPath: workerBundle(), seedSql: await seedSql() });
try {
  if (!resolverPaths) console.log('No resolver paths given (argument or BENCH_RESOLVE_PATHS): measuring the baseline only.');
  const scenarios = resolverPaths ? [BARE_REDIRECT, resolveScenario(resolverPaths)] : [BARE_REDIRECT];
  run.scenarios = await measureScenarios(worker, scenarios, settings);
} finally {
  await worker.dispose();
}
printTable(run);
saveRun(run);
