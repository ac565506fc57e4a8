// `npm run bench:ingest`: what recording scans costs the redirect, and whether every scan reaches
// D1 exactly once (issue 5). Fires a fixed number of scans at the Worker with recording off and
// with it on — two Miniflare instances served side by side, the same bundle, differing only in
// SCAN_RECORDING — beside the bare 307 route, in interleaved rounds. After each round with
// recording on it waits for the ScanCounter flushes and checks D1's events and roll-ups against
// the count sent; any loss or double count exits non-zero.
//
// Settings: BENCH_INGEST_SCANS (50000 per scenario and round), BENCH_CONNECTIONS (32),
// BENCH_ROUNDS (1; prefer 3 on the shared machine), BENCH_WARMUP_S (3), BENCH_INGEST_FLUSH_DELAY_MS
// (500: SCAN_FLUSH_DELAY_MS of both instances), BENCH_INGEST_VARS (JSON of further [vars]
// overrides for both, e.g. '{"SCAN_BATCH_WINDOW_MS":"0"}').
//
// Local caveat: the Worker, the ScanCounter objects and D1 all run in the one workerd process on
// the same two cores as the loader, so "recording on" pays here for SQLite work that production
// spreads over Durable Object hosts and D1. A fourth scenario separates the two shares: the same
// Worker whose ScanCounter acknowledges each batch without storing it (counters "elsewhere").
import { join } from 'node:path';
import { buildWorker } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { type FixedCountRequest, type FixedCountResult, runFixedCount } from './lib/fixed-count-load.ts';
import { loadSettingsFromEnv, median, medianRound } from './lib/measure-scenario.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { peakRssMiB, resetPeakRss } from './lib/process-memory.ts';
import { OUT_DIR, printTable, saveRun, startRun } from './lib/report.ts';
import {
  type CheckLine,
  checkKey,
  checkRound,
  formatCheck,
  passed,
  waitForFlush,
} from './lib/scan-count-check.ts';
import { bareRequest, isBotScan, scanRequest } from './lib/scan-traffic.ts';
import { type ServedWorker, serveWorker } from './lib/serve-worker.ts';
import { readWranglerConfig } from './lib/wrangler-config.ts';

/** GS1's sample GTIN (seeded links): every scan of it walks up from an unknown serial. */
const GTIN = '09506000134352';

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
}

const SCANS = positiveInt('BENCH_INGEST_SCANS', 50_000);
const FLUSH_DELAY_MS = positiveInt('BENCH_INGEST_FLUSH_DELAY_MS', 500);
const EXTRA_VARS = JSON.parse(process.env.BENCH_INGEST_VARS ?? '{}') as Record<string, string>;
const settings = loadSettingsFromEnv(); // connections, rounds, warm-up; BENCH_DURATION_S is unused
// Serials are `<prefix><i>`, at most 20 characters (GS1 AI 21): a 6-character run id keeps
// each round's scans apart from another run's and from the checks and warm-ups.
const runId = Date.now().toString(36).slice(-6);
const roundPrefix = (round: number) => `${runId}r${round}-`;

interface Scenario {
  scenario: string;
  baseline?: boolean;
  worker: ServedWorker;
  request: (serialPrefix: string) => (i: number) => FixedCountRequest;
  /** Its Worker records scans: count what it is sent, and check D1 after each round. */
  records: boolean;
  rounds: FixedCountResult[];
  peakRssMiB?: number;
  /** workerd CPU during each measured load, and (recording) while the flush drained after it. */
  workerdCpuMs: number[];
  /** Recording: the recorder's RPCs during each measured round. */
  rpcs: number[];
  drainCpuMs: number[];
  drainMs: number[];
  loaderCpuMs: number[];
}

const run = startRun('ingest', 'npm run bench:ingest', settings.warmupS);
const checks: CheckLine[] = [];
const notes: string[] = [];
let sentToKey = 0; // every request to GTIN's resolver paths on the recording instance

// Its own build, whatever BENCH_WORKER_BUNDLE says: the deployed Worker plus one bench route that
// reports the scan recorder's counters (bench/worker/ingest-entry.js).
const scriptPath = buildWorker(join(OUT_DIR, 'worker-ingest'), 'bench/worker/ingest-entry.js');
// The same Worker whose ScanCounter acknowledges without storing (bench/worker/ingest-null-counter-entry.js).
const nullCounterScriptPath = buildWorker(
  join(OUT_DIR, 'worker-ingest-null-counter'),
  'bench/worker/ingest-null-counter-entry.js',
);
const demo = await demoOrg();
// A deployed Worker has its scanner-hash secret (a `wrangler secret`); the hash costs the same.
const vars = {
  SCANNER_HASH_SECRET: 'bench-only-scanner-hash-secret',
  SCAN_FLUSH_DELAY_MS: String(FLUSH_DELAY_MS),
  ...EXTRA_VARS,
};
const workers: ServedWorker[] = [];
try {
  const off = await serveWorker({
    scriptPath,
    seedSql: demo.seedSql,
    vars: { ...vars, SCAN_RECORDING: 'off' },
  });
  workers.push(off);
  const on = await serveWorker({
    scriptPath,
    seedSql: demo.seedSql,
    vars: { ...vars, SCAN_RECORDING: 'on' },
  });
  workers.push(on);
  const elsewhere = await serveWorker({
    scriptPath: nullCounterScriptPath,
    seedSql: demo.seedSql,
    vars: { ...vars, SCAN_RECORDING: 'on' },
  });
  workers.push(elsewhere);
  for (const w of workers) await demo.seedLinks(w.url);
  const d1 = await on.mf.getD1Database('DB');

  const blank = () => ({
    rounds: [],
    workerdCpuMs: [],
    rpcs: [],
    drainCpuMs: [],
    drainMs: [],
    loaderCpuMs: [],
  });
  const recorderStats = async () => {
    const res = await fetch(`${on.url}/_bench/scan-recorder`);
    if (!res.ok) throw new Error(`/_bench/scan-recorder: ${res.status} ${await res.text()}`);
    return (await res.json()) as { rpcs: number; delivered: number; lost: number };
  };
  const scenarios: Scenario[] = [
    {
      scenario: 'bare 307 (baseline)',
      baseline: true,
      worker: off,
      request: () => bareRequest('/_bench/bare-307'),
      records: false,
      ...blank(),
    },
    {
      scenario: 'resolve, recording off',
      worker: off,
      request: (prefix) => scanRequest(GTIN, prefix),
      records: false,
      ...blank(),
    },
    {
      scenario: 'resolve, recording on',
      worker: on,
      request: (prefix) => scanRequest(GTIN, prefix),
      records: true,
      ...blank(),
    },
    {
      scenario: 'resolve, recording on, counters elsewhere',
      worker: elsewhere,
      request: (prefix) => scanRequest(GTIN, prefix),
      records: false,
      ...blank(),
    },
  ];
  const load = (s: Scenario, prefix: string, size: { count: number } | { durationS: number }) =>
    runFixedCount({
      baseUrl: s.worker.url,
      connections: settings.connections,
      request: s.request(prefix),
      expectStatus: (status) => status === 307,
      ...size,
    });

  /** Waits until D1 holds everything sent to the recording instance so far. */
  const drain = async () => {
    const result = await waitForFlush(d1, GTIN, sentToKey, { flushDelayMs: FLUSH_DELAY_MS });
    if (result.events !== sentToKey || result.rollup !== sentToKey) {
      checks.push(
        { what: 'scan_events rows of the key after the flush', expected: sentToKey, actual: result.events },
        {
          what: 'sum(scans) over scan_rollup_hourly after the flush',
          expected: sentToKey,
          actual: result.rollup,
        },
      );
    }
    return result;
  };

  for (let round = 1; round <= settings.rounds; round++) {
    for (const s of scenarios) {
      const pid = s.worker.workerdPid;
      const memoryTracked = resetPeakRss(pid);
      if (round === 1) {
        // Every lot once, answered 307, before any load; then the warm-up (JIT, caches, sockets).
        const checked = await load(s, `C${runId}-`, { count: 37 });
        const warmed =
          settings.warmupS > 0 ? await load(s, `W${runId}-`, { durationS: settings.warmupS }) : undefined;
        if (s.records) {
          sentToKey += checked.sent + (warmed?.sent ?? 0);
          await drain(); // so the warm-up's flush does not land in the measured round
        }
      }
      const statsBefore = s.records ? await recorderStats() : undefined;
      const cpuBefore = cpuMs(pid);
      const loaderBefore = process.cpuUsage();
      const result = await load(s, roundPrefix(round), { count: SCANS });
      const loader = process.cpuUsage(loaderBefore);
      s.loaderCpuMs.push((loader.user + loader.system) / 1000);
      s.workerdCpuMs.push(cpuMs(pid) - cpuBefore);
      s.rounds.push(result);
      if (s.records) {
        sentToKey += result.sent;
        const drainCpuBefore = cpuMs(pid);
        const drained = await drain();
        s.drainCpuMs.push(cpuMs(pid) - drainCpuBefore);
        s.drainMs.push(drained.drainMs);
        s.rpcs.push((await recorderStats()).rpcs - statsBefore!.rpcs);
        const botsSent = Array.from({ length: result.sent }, (_, i) => i).filter(isBotScan).length;
        checks.push(
          ...(await checkRound(d1, GTIN, {
            label: `round ${round}`,
            serialPrefix: roundPrefix(round),
            sent: result.sent,
            botsSent,
          })),
        );
      }
      if (memoryTracked) s.peakRssMiB = Math.max(s.peakRssMiB ?? 0, peakRssMiB(pid));
      const rps = Math.round(result.requestsPerSec).toLocaleString('en-US');
      console.log(
        `round ${round}: ${s.scenario}: ${rps} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`,
      );
    }
  }

  const liveResponse = await fetch(`${on.url}/v1/scans/live/01/${GTIN}`, {
    headers: { authorization: `Bearer ${demo.apiKey}` },
  });
  if (!liveResponse.ok) throw new Error(`live totals: ${liveResponse.status} ${await liveResponse.text()}`);
  checks.push(
    ...(await checkKey(
      d1,
      GTIN,
      sentToKey,
      (await liveResponse.json()) as { scans: number; pending_flush: number },
    )),
  );
  const recorder = await recorderStats();
  checks.push(
    {
      what: 'scans the recorder delivered to ScanCounter objects',
      expected: sentToKey,
      actual: recorder.delivered,
    },
    { what: 'scans the recorder gave up on (lost)', expected: 0, actual: recorder.lost },
  );
  const offD1 = await off.mf.getD1Database('DB');
  const offRows =
    (await offD1.prepare('SELECT count(*) AS n FROM scan_events').first<{ n: number }>())?.n ?? 0;
  checks.push({ what: 'scan_events rows with SCAN_RECORDING="off"', expected: 0, actual: offRows });

  run.scenarios = scenarios.map((s) => ({
    ...medianRound(s, s.rounds, s.peakRssMiB),
    requestsPerRound: SCANS,
  }));
  const perRequestUs = (ms: number[]) => (median(ms) * 1000) / SCANS;
  const [, recordingOff, recordingOn, countersElsewhere] = run.scenarios;
  const versusOff = (label: string, s: typeof recordingOn) => {
    if (!recordingOff || !s) return;
    const ratio = s.requestsPerSec / recordingOff.requestsPerSec;
    notes.push(
      `${label}: ${ratio.toFixed(2)}× the throughput of recording off, so recording costs ${((1 - ratio) * 100).toFixed(0)} % ` +
        `(target ≤ 20 %: ${ratio >= 0.8 ? 'met' : 'MISSED'}); p50 ${recordingOff.p50Ms.toFixed(2)} → ${s.p50Ms.toFixed(2)} ms, p99 ${recordingOff.p99Ms.toFixed(2)} → ${s.p99Ms.toFixed(2)} ms.`,
    );
  };
  versusOff('Recording on, everything in this one workerd', recordingOn);
  versusOff(
    "Recording on, counters elsewhere (the Worker's own share: ScanCounter acknowledges without storing)",
    countersElsewhere,
  );
  const cpuCells = scenarios.map((s) => {
    const drainUs = s.records
      ? ` + ${perRequestUs(s.drainCpuMs).toFixed(0)} µs draining the flush after the load (${(median(s.drainMs) / 1000).toFixed(1)} s)`
      : '';
    return `${s.scenario} ${perRequestUs(s.workerdCpuMs).toFixed(0)} µs${drainUs}`;
  });
  const recording = scenarios.find((s) => s.records);
  if (recording) {
    const rpcs = median(recording.rpcs);
    const windowMs =
      EXTRA_VARS.SCAN_BATCH_WINDOW_MS ?? String(readWranglerConfig().vars.SCAN_BATCH_WINDOW_MS);
    notes.push(
      `Record RPCs per measured round (median): ${rpcs.toLocaleString('en-US')}, ${(SCANS / rpcs).toFixed(1)} scans each (SCAN_BATCH_WINDOW_MS=${windowMs}).`,
    );
  }
  notes.push(
    `workerd CPU per request (median round): ${cpuCells.join('; ')}. The loader: ${scenarios.map((s) => `${perRequestUs(s.loaderCpuMs).toFixed(0)} µs`).join(', ')}.`,
  );
  notes.push(
    `Count check (${sentToKey.toLocaleString('en-US')} scans sent to the recording instance, ${settings.rounds} × ${SCANS.toLocaleString('en-US')} measured; ` +
      `SCAN_FLUSH_DELAY_MS=${FLUSH_DELAY_MS}${Object.keys(EXTRA_VARS).length ? `, ${JSON.stringify(EXTRA_VARS)}` : ''}): ` +
      `${checks.every(passed) ? `all ${checks.length} checks exact` : `${checks.filter((c) => !passed(c)).length} of ${checks.length} checks FAILED`}.`,
  );
  run.notes = notes;
} finally {
  for (const w of workers) await w.dispose();
}

printTable(run);
for (const note of notes) console.log(`\n${note}`);
console.log('\nCount check:');
for (const line of checks) console.log(`  ${formatCheck(line)}`);
saveRun(run);
if (!checks.every(passed)) {
  console.error('\nScans were lost or counted twice (see FAIL above).');
  process.exit(1);
}
