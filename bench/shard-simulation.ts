// `npm run bench:shards`: does sharding keep every ScanCounter object under its limits for a given
// scan rate? A discrete-event simulation of the isolate-side batching (src/scans/scan-recorder.ts:
// a batch per counter opens on a scan and is sent SCAN_BATCH_WINDOW_MS later, or when full) across
// the isolates that see one hot GTIN, checked against the closed form r / (1 + r·w) batches per
// second per isolate and shard. Pure arithmetic: no Worker is started.
//
// Settings: BENCH_OBJECT_RPC_LIMIT (1,000 requests/s: Cloudflare's documented soft limit for one
// Durable Object), BENCH_OBJECT_EVENT_BUDGET (scans/s one object can store; default 4,000, see
// bench/RESULTS.md for the measured per-scan cost), BENCH_BATCH_WINDOW_MS (10, as wrangler.toml),
// BENCH_SIM_SECONDS (2).
import { seededRandom } from '../src/demo/seeded-random.ts';

const RPC_LIMIT = Number(process.env.BENCH_OBJECT_RPC_LIMIT ?? 1_000);
const EVENT_BUDGET = Number(process.env.BENCH_OBJECT_EVENT_BUDGET ?? 4_000);
const WINDOW_S = Number(process.env.BENCH_BATCH_WINDOW_MS ?? 10) / 1000;
const SIM_SECONDS = Number(process.env.BENCH_SIM_SECONDS ?? 2);
const MAX_BATCH = 200;
// Headroom: plan for 80 % of a limit, not 100 %.
const HEADROOM = 0.8;

interface Result {
  rpcPerObject: number;
  eventsPerObject: number;
}

/** Simulates `seconds` of Poisson scans at `rate`/s spread evenly over isolates and shards. */
function simulate(
  rate: number,
  isolates: number,
  shards: number,
  seconds: number,
  random: () => number,
): Result {
  // Each (isolate, shard) pair batches independently; count one object's RPCs from all isolates.
  const perPair = rate / (isolates * shards);
  let rpcs = 0;
  let events = 0;
  for (let i = 0; i < isolates; i++) {
    let t = 0;
    let batchEnds = -1;
    let batchSize = 0;
    for (;;) {
      t += -Math.log(1 - random()) / perPair;
      if (t > seconds) break;
      events++;
      if (t >= batchEnds || batchSize >= MAX_BATCH) {
        rpcs++;
        batchEnds = t + WINDOW_S;
        batchSize = 0;
      }
      batchSize++;
    }
  }
  return { rpcPerObject: rpcs / seconds, eventsPerObject: events / seconds };
}

function closedForm(rate: number, isolates: number, shards: number): number {
  const r = rate / (isolates * shards);
  return isolates * (r / (1 + r * WINDOW_S));
}

const random = seededRandom(42);
const rates = [1_000, 10_000, 50_000, 200_000];
const isolateCounts = [50, 300];
const shardCounts = [1, 2, 4, 8, 16, 32, 64];

console.log(
  `Hot-GTIN sharding: RPC limit ${RPC_LIMIT}/s, event budget ${EVENT_BUDGET}/s per object, ${HEADROOM * 100} % headroom, batch window ${WINDOW_S * 1000} ms`,
);
console.log('scans/s   isolates  shards  RPC/s/object (sim | formula)  scans/s/object  within limits');
const plan: { rate: number; isolates: number; shards: number | null }[] = [];
for (const rate of rates) {
  for (const isolates of isolateCounts) {
    let chosen: number | null = null;
    for (const shards of shardCounts) {
      // Simulating one object's share is enough: every shard sees the same load.
      const sim = simulate(rate / shards, isolates, 1, SIM_SECONDS, random);
      const formula = closedForm(rate, isolates, shards);
      const ok = sim.rpcPerObject <= RPC_LIMIT * HEADROOM && sim.eventsPerObject <= EVENT_BUDGET * HEADROOM;
      if (ok && chosen === null) chosen = shards;
      console.log(
        `${String(rate).padStart(7)}  ${String(isolates).padStart(8)}  ${String(shards).padStart(6)}  ${sim.rpcPerObject.toFixed(0).padStart(12)} | ${formula.toFixed(0).padEnd(12)}  ${sim.eventsPerObject.toFixed(0).padStart(14)}  ${ok ? 'yes' : 'no'}`,
      );
    }
    plan.push({ rate, isolates, shards: chosen });
  }
}
console.log('\nFewest shards that keep one object within both limits:');
for (const p of plan)
  console.log(
    `  ${p.rate.toLocaleString('en')} scans/s over ${p.isolates} isolates → ${p.shards ?? `more than ${shardCounts.at(-1)}`} shards`,
  );
