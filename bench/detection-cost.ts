// `npx node bench/detection-cost.ts`: what the anomaly detectors (src/alerts) cost a ScanCounter,
// apart from everything else a scan costs. The ingest benchmark measures whole requests, where the
// Durable Object is a small share and the machine's noise hides the difference; this one feeds the
// ScanCounter objects directly, through the dev-only POST /v1/demo/scans route (weeks of realistic
// demo scans — places, lots, serials, bots — recorded with record() RPCs of 500, as a busy isolate
// would batch them), on a Worker with ANOMALY_DETECTION "on" and one with "off", in alternating
// order, each round on fresh instances (the demo scans have fixed ids).
//
// Per mode it reports the record phase (the POST: every scan stored, counted and — when on — run
// through the detectors) as scans/s and workerd CPU µs per scan, and the CPU of the flush that
// follows (D1 writes of events, roll-ups and — when on — alert upserts), per scan.
//
// Settings: BENCH_DETECTION_SCANS (30000, at most 50000), BENCH_ROUNDS (3).
import { workerBundle } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { serveWorker } from './lib/serve-worker.ts';

const SCANS = Number(process.env.BENCH_DETECTION_SCANS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SCANS = 2_000;
const FLUSH_DELAY_MS = 500;
if (!Number.isInteger(SCANS) || SCANS <= WARMUP_SCANS || SCANS > 50_000)
  throw new Error(`BENCH_DETECTION_SCANS must be a whole number in ${WARMUP_SCANS + 1}–50000`);

type Mode = 'on' | 'off';
interface Round {
  recorded: number;
  recordMs: number;
  recordCpuMs: number;
  flushCpuMs: number;
  alerts: number;
  occurrences: number;
}

const scriptPath = workerBundle();
const results: Record<Mode, Round[]> = { on: [], off: [] };

async function measure(mode: Mode): Promise<Round> {
  const demo = await demoOrg();
  const worker = await serveWorker({
    scriptPath,
    seedSql: demo.seedSql,
    vars: {
      DEMO_ROUTES: '1',
      ANOMALY_DETECTION: mode,
      SCANNER_HASH_SECRET: 'bench-only',
      SCAN_FLUSH_DELAY_MS: String(FLUSH_DELAY_MS),
    },
  });
  try {
    const d1 = await worker.mf.getD1Database('DB');
    const post = async (count: number) => {
      const res = await fetch(`${worker.url}/v1/demo/scans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ count, days: 28 }),
      });
      if (!res.ok) throw new Error(`demo scans: ${res.status} ${await res.text()}`);
      return (await res.json()) as { recorded: number };
    };
    const drained = async (events: number) => {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const n = (await d1.prepare('SELECT count(*) AS n FROM scan_events').first<{ n: number }>())?.n ?? 0;
        if (n >= events) {
          await new Promise((r) => setTimeout(r, 2 * FLUSH_DELAY_MS + 500)); // the alerts' share of the last alarm
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`flush did not reach ${events} events within 120 s`);
    };
    // Warm-up: JIT, the objects, their reference data (demo-000000 … are then duplicates below).
    await post(WARMUP_SCANS);
    await drained(WARMUP_SCANS);

    const cpu0 = cpuMs(worker.workerdPid);
    const t0 = performance.now();
    const { recorded } = await post(SCANS);
    const recordMs = performance.now() - t0;
    const cpu1 = cpuMs(worker.workerdPid);
    await drained(SCANS);
    const cpu2 = cpuMs(worker.workerdPid);
    const alerts = await d1
      .prepare('SELECT count(*) AS n, coalesce(sum(occurrences), 0) AS o FROM alerts')
      .first<{ n: number; o: number }>();
    return {
      recorded,
      recordMs,
      recordCpuMs: cpu1 - cpu0,
      flushCpuMs: cpu2 - cpu1,
      alerts: alerts?.n ?? 0,
      occurrences: alerts?.o ?? 0,
    };
  } finally {
    await worker.dispose();
  }
}

for (let round = 1; round <= ROUNDS; round++) {
  const order: Mode[] = round % 2 ? ['off', 'on'] : ['on', 'off'];
  for (const mode of order) {
    const r = await measure(mode);
    results[mode].push(r);
    console.log(
      `round ${round}, detection ${mode}: ${r.recorded} scans recorded in ${(r.recordMs / 1000).toFixed(2)} s (${Math.round((r.recorded * 1000) / r.recordMs)} scans/s), ` +
        `workerd CPU ${((r.recordCpuMs * 1000) / r.recorded).toFixed(0)} µs/scan recording + ${((r.flushCpuMs * 1000) / r.recorded).toFixed(0)} µs/scan flushing; ` +
        `${r.alerts} alerts (${r.occurrences} detections)`,
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const summary = (mode: Mode) => {
  const rs = results[mode];
  return {
    scansPerS: median(rs.map((r) => (r.recorded * 1000) / r.recordMs)),
    recordUs: median(rs.map((r) => (r.recordCpuMs * 1000) / r.recorded)),
    flushUs: median(rs.map((r) => (r.flushCpuMs * 1000) / r.recorded)),
  };
};
const off = summary('off');
const on = summary('on');
console.log(`\nmedian of ${ROUNDS} rounds, ${SCANS - WARMUP_SCANS} measured scans each:`);
console.log('| detection | scans/s recorded | workerd CPU µs/scan, recording | µs/scan, flush |');
console.log('| --- | ---: | ---: | ---: |');
for (const [mode, s] of [
  ['off', off],
  ['on', on],
] as const) {
  console.log(
    `| ${mode} | ${Math.round(s.scansPerS).toLocaleString('en-US')} | ${s.recordUs.toFixed(0)} | ${s.flushUs.toFixed(0)} |`,
  );
}
console.log(
  `\nDetectors: ${Math.round(off.scansPerS - on.scansPerS).toLocaleString('en-US')} fewer scans/s recorded (${((1 - on.scansPerS / off.scansPerS) * 100).toFixed(0)} %), ` +
    `+${(on.recordUs - off.recordUs).toFixed(0)} µs CPU per scan recording, +${(on.flushUs - off.flushUs).toFixed(0)} µs per scan flushing.`,
);
