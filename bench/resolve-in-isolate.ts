// `npm run bench:resolve-in-isolate`: what our code costs per resolution, without the harness.
// bench/resolve.ts measures through sockets, Miniflare's entry worker and wrk, all sharing two
// cores; their cost and noise are many times our code's. Here the Worker's fetch handler is called
// in a loop inside the isolate (bench/lib/resolve-loop-entry.js) for the same three scenarios,
// and workerd's CPU time per call is read from /proc.
//
// Settings: BENCH_LOOP_CALLS (100000 per scenario and round), BENCH_ROUNDS (5).
import { benchmarkRules } from '../src/demo/demo-rules.ts';
import { buildWorker } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { serveWorker, type ServedWorker } from './lib/serve-worker.ts';

const CALLS = Number(process.env.BENCH_LOOP_CALLS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// Calls per request to the loop route: short enough that workerd's inspector and timers get a turn.
const CHUNK = 2_000;
const RULES_GTIN = '09506000134376';

const scenarios = [
  { name: 'bare 307 (baseline)', paths: ['/_bench/bare-307'] },
  { name: 'resolve walk-up (1000 paths)', paths: Array.from({ length: 1000 }, (_, i) => `/01/09506000134352/10/LOT${i % 37}/21/SER${i}`) },
  { name: 'resolve + 50 rules (1000 paths)', paths: Array.from({ length: 1000 }, (_, i) => `/01/${RULES_GTIN}/10/LOT${i % 37}/21/SER${i}`) },
];

async function loop(worker: ServedWorker, paths: string[], calls: number): Promise<void> {
  for (let done = 0; done < calls; done += CHUNK) {
    const n = Math.min(CHUNK, calls - done);
    const res = await fetch(`${worker.url}/_bench/loop`, { method: 'POST', body: JSON.stringify({ paths, n, expectStatus: 307 }) });
    if (res.status !== 204) throw new Error(`loop failed: ${res.status} ${await res.text()}`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const demo = await demoOrg();
const worker = await serveWorker({
  scriptPath: buildWorker(undefined, 'bench/lib/resolve-loop-entry.js'),
  seedSql: demo.seedSql,
  vars: { SCAN_RECORDING: 'off' },
});
try {
  await demo.seedLinks(worker.url);
  const seeded = await fetch(`${worker.url}/v1/rules/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules: benchmarkRules(RULES_GTIN, 50) }),
  });
  if (!seeded.ok) throw new Error(`seeding rules failed: ${seeded.status} ${await seeded.text()}`);
  for (const s of scenarios) await loop(worker, s.paths, CALLS / 5); // warm-up: caches filled, code optimised

  const cpuPerCall: number[][] = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const before = cpuMs(worker.workerdPid);
      await loop(worker, s.paths, CALLS);
      cpuPerCall[i]!.push(((cpuMs(worker.workerdPid) - before) * 1000) / CALLS);
    }
  }
  console.log(`resolve in the isolate: ${CALLS.toLocaleString('en-US')} calls per scenario and round, median of ${ROUNDS} interleaved rounds`);
  const base = median(cpuPerCall[0]!);
  console.log(`${'scenario'.padEnd(34)}${'CPU µs/call'.padStart(12)}${'vs baseline'.padStart(14)}   rounds`);
  for (const [i, s] of scenarios.entries()) {
    const m = median(cpuPerCall[i]!);
    const extra = i === 0 ? '' : `+${(m - base).toFixed(1)} µs`;
    console.log(`${s.name.padEnd(34)}${m.toFixed(1).padStart(12)}${extra.padStart(14)}   ${cpuPerCall[i]!.map((x) => x.toFixed(1)).join(' ')}`);
  }
} finally {
  await worker.dispose();
}
