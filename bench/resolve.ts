// `npm run bench:resolve [-- paths.txt]`: what resolving a Digital Link costs, as throughput and
// latency beside the bare 307 route measured in the same run.
//
// Settings: BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3), BENCH_ROUNDS (1),
// BENCH_LOAD_TOOL (wrk|autocannon). Resolver paths: a file, one path per line (`#` starts a
// comment), named as the first argument or by BENCH_RESOLVE_PATHS; by default, walk-up paths of GS1's
// sample GTIN.
import { readFileSync } from 'node:fs';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../src/accounts/api-key-secret.ts';
import { DEMO_LINK_ENTITIES } from '../src/demo/demo-links.ts';
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

const demoKey = await generateApiKey();

/** The demo organisation and brand (SQL); its links go through the API once the Worker runs. */
async function seedSql(): Promise<string[]> {
  return demoSeedSql({ prefix: apiKeyPrefix(demoKey.key), hash: await hashApiKey(demoKey.key) });
}

async function seedLinks(origin: string): Promise<void> {
  const res = await fetch(`${origin}/v1/links/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demoKey.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entries: DEMO_LINK_ENTITIES }),
  });
  if (!res.ok) throw new Error(`seeding links failed: ${res.status} ${await res.text()}`);
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

const settings = loadSettingsFromEnv();
const resolverPaths = readResolverPaths() ?? defaultResolverPaths();
const run = startRun('resolve', 'npm run bench:resolve', settings.warmupS);

const worker = await serveWorker({ scriptPath: workerBundle(), seedSql: await seedSql() });
try {
  await seedLinks(worker.url);
  const scenarios = [BARE_REDIRECT, resolveScenario(resolverPaths)];
  run.scenarios = await measureScenarios(worker, scenarios, settings);
} finally {
  await worker.dispose();
}
printTable(run);
saveRun(run);
