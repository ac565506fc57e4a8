// `npm run bench:resolve-in-isolate`: what our code costs per resolution, without the harness.
// bench/resolve.ts measures through sockets, Miniflare's entry worker and wrk, all sharing two
// cores; their cost and noise are many times our code's. Here the Worker's fetch handler is called
// in a loop inside the isolate (bench/worker/resolve-loop-entry.js) for the same three scenarios,
// and workerd's CPU time per call is read from /proc.
//
// Settings: BENCH_LOOP_CALLS (100000 per scenario and round), BENCH_ROUNDS (5), BENCH_RULES (50).
import { join } from 'node:path';
import { buildWorker } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { BARE_REDIRECT, median } from './lib/measure-scenario.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { OUT_DIR } from './lib/report.ts';
import { loopResolves } from './lib/resolve-loop.ts';
import {
  BENCHMARK_RULE_COUNT,
  DEFAULT_RESOLVER_PATHS,
  RULES_PATHS,
  seedBenchmarkRules,
} from './lib/resolve-scenarios.ts';
import { serveWorker } from './lib/serve-worker.ts';

const CALLS = Number(process.env.BENCH_LOOP_CALLS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// Calls per request to the loop route: short enough that workerd's inspector and timers get a turn.
const scenarios = [
  { name: BARE_REDIRECT.scenario, paths: BARE_REDIRECT.paths },
  { name: `resolve walk-up (${DEFAULT_RESOLVER_PATHS.length} paths)`, paths: DEFAULT_RESOLVER_PATHS },
  { name: `resolve + ${BENCHMARK_RULE_COUNT} rules (${RULES_PATHS.length} paths)`, paths: RULES_PATHS },
  // The same walk-up from a named client: the resolver's per-client throttle counts each scan.
  {
    name: 'resolve walk-up, client named',
    paths: DEFAULT_RESOLVER_PATHS,
    headers: { 'cf-connecting-ip': '203.0.113.9' },
  },
];

const demo = await demoOrg();
const worker = await serveWorker({
  scriptPath: buildWorker(join(OUT_DIR, 'worker-resolve-loop'), 'bench/worker/resolve-loop-entry.js'),
  seedSql: demo.seedSql,
  vars: { SCAN_RECORDING: 'off' },
});
try {
  await demo.seedLinks(worker.url);
  await seedBenchmarkRules(worker.url, demo.apiKey);
  for (const s of scenarios) await loopResolves(worker, s.paths, CALLS / 5, s.headers); // warm-up: caches filled, code optimised

  const cpuPerCall: number[][] = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const before = cpuMs(worker.workerdPid);
      await loopResolves(worker, s.paths, CALLS, s.headers);
      cpuPerCall[i]!.push(((cpuMs(worker.workerdPid) - before) * 1000) / CALLS);
    }
  }
  console.log(
    `resolve in the isolate: ${CALLS.toLocaleString('en-US')} calls per scenario and round, median of ${ROUNDS} interleaved rounds`,
  );
  const base = median(cpuPerCall[0]!);
  console.log(`${'scenario'.padEnd(34)}${'CPU µs/call'.padStart(12)}${'vs baseline'.padStart(14)}   rounds`);
  for (const [i, s] of scenarios.entries()) {
    const m = median(cpuPerCall[i]!);
    const extra = i === 0 ? '' : `+${(m - base).toFixed(1)} µs`;
    console.log(
      `${s.name.padEnd(34)}${m.toFixed(1).padStart(12)}${extra.padStart(14)}   ${cpuPerCall[i]!.map((x) => x.toFixed(1)).join(' ')}`,
    );
  }
} finally {
  await worker.dispose();
}
