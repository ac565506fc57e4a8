// `npm run bench:dashboard`: what the dashboard's reads cost as scans pile up (issue 8). Two
// Miniflare instances of the same bundle, one seeded with 100,000 scan events over 90 days and
// one with 1,000,000, both with the roll-up rows the ScanCounter objects would have flushed for
// them. The seed goes STRAIGHT INTO D1 (bench/lib/seed-scans.ts), bypassing the scan path, which
// bench/ingest.ts measures. Then, at both sizes:
//
// - p50/p99 of GET /v1/analytics/overview and of a 90-day daily series in Europe/Paris, beside
//   the bare 307 route and a control route that reads no scans, at 1 connection by default: one
//   dashboard user's wait. Local D1 runs a database's queries one at a time, so more connections
//   would measure queueing, not the query.
// - the full-range CSV export of scan events: rows/s, every row counted and the header checked,
//   workerd's peak RSS while it streams (reset before each export) and its RSS after each tenth.
// - the scan queries' plans, rows read and SQL time inside D1 (bench/lib/query-profile.ts).
//
// Settings: BENCH_DASHBOARD_SIZES (100000,1000000), BENCH_DASHBOARD_DAYS (90),
// BENCH_DASHBOARD_CONNECTIONS (1), BENCH_DURATION_S (10), BENCH_WARMUP_S (3), BENCH_ROUNDS (3 here),
// BENCH_DASHBOARD_RESULTS (auto: append a section to bench/RESULTS.md when the sizes are the
// issue's; 1 always, 0 never). Develop with small sizes: the 1M seed keeps both cores busy.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { localParts } from '../src/analytics/zoned-time.ts';
import { DEMO_ORG_ID } from '../src/demo/demo-seed.ts';
import { workerBundle } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import {
  BARE_REDIRECT,
  loadSettingsFromEnv,
  measureScenarios,
  type ScenarioSpec,
} from './lib/measure-scenario.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { currentRssMiB, peakRssMiB, resetPeakRss } from './lib/process-memory.ts';
import {
  profileStatements,
  type ScanFilters,
  type StatementProfile,
  scanQueries,
} from './lib/query-profile.ts';
import { markdownTable, printTable, renderMarkdown, saveRun, startRun, textTable } from './lib/report.ts';
import { type SeedResult, seedScans, storedCounts } from './lib/seed-scans.ts';
import { type ServedWorker, serveWorker } from './lib/serve-worker.ts';
import { type StreamedCsv, streamCsv } from './lib/stream-export.ts';
import { PROJECT_ROOT } from './lib/wrangler-config.ts';

const ISSUE_SIZES = [100_000, 1_000_000];
const SIZES = (process.env.BENCH_DASHBOARD_SIZES ?? ISSUE_SIZES.join(','))
  .split(',')
  .map((s) => Number(s.trim()))
  .sort((a, b) => a - b);
if (SIZES.length < 2 || SIZES.some((n) => !Number.isInteger(n) || n < 1000))
  throw new Error('BENCH_DASHBOARD_SIZES: at least two whole numbers ≥ 1000, e.g. 100000,1000000');
const DAYS = Number(process.env.BENCH_DASHBOARD_DAYS ?? 90);
const TZ = 'Europe/Paris';
const DAY_MS = 86_400_000;
// Three interleaved rounds unless told otherwise: one connection's p99 is a handful of requests.
const settings = {
  ...loadSettingsFromEnv(),
  connections: Number(process.env.BENCH_DASHBOARD_CONNECTIONS ?? 1),
  ...(process.env.BENCH_ROUNDS ? {} : { rounds: 3 }),
};
const resultsMode = process.env.BENCH_DASHBOARD_RESULTS ?? 'auto';
const writeResults =
  resultsMode === '1' || (resultsMode === 'auto' && SIZES.join(',') === ISSUE_SIZES.join(','));

/** The header the scan export must start with: every column of scan_events a brand may read. */
const EXPORT_HEADER =
  'id,occurred_at,gtin,key_ai,cpv,lot,serial,attributes,country,region,city,latitude,longitude,timezone,colo,referrer,app,device_class,is_bot,outcome,link_type,rule_id,destination,language,scanner_hash';

const short = (n: number) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Instance {
  size: number;
  worker: ServedWorker;
  seed: SeedResult;
  export?: StreamedCsv & {
    rssBeforeMiB: number;
    peakRssMiB?: number;
    workerdCpuMs: number;
    rssAtTenths: number[];
  };
  profiles: { label: string; statements: StatementProfile[] }[];
}

const run = startRun('dashboard', 'npm run bench:dashboard', settings.warmupS);
const notes: string[] = [];
const failures: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) failures.push(message);
};
const say = (line: string) => {
  console.log(line);
  notes.push(line);
};

const scriptPath = workerBundle();
const demo = await demoOrg();
const auth = { authorization: `Bearer ${demo.apiKey}` };
const endMs = Date.now();
const instances: Instance[] = [];
try {
  // Seed: one instance per size, each its own workerd with its own D1.
  for (const size of SIZES) {
    const worker = await serveWorker({ scriptPath, seedSql: demo.seedSql, bulkD1Writer: true });
    const instance: Instance = { size, worker, seed: undefined as unknown as SeedResult, profiles: [] };
    instances.push(instance);
    console.log(
      `seeding ${fmt(size)} scan events over ${DAYS} days straight into D1 (bypassing the scan path) …`,
    );
    instance.seed = await seedScans(worker.bulkD1Url!, {
      orgId: DEMO_ORG_ID,
      events: size,
      days: DAYS,
      endMs,
    });
    const s = instance.seed;
    const stored = await storedCounts(await worker.mf.getD1Database('DB'), DEMO_ORG_ID);
    check(
      stored.events === s.events && stored.hourlyScans === s.events,
      `${short(size)}: D1 holds ${stored.events} events and ${stored.hourlyScans} roll-up scans, not ${s.events}`,
    );
    check(
      stored.hourly === s.rows.hourly &&
        stored.dims === s.rows.dims &&
        stored.serials === s.rows.serials &&
        stored.scanners === s.rows.scanners,
      `${short(size)}: roll-up rows ${JSON.stringify(stored)} ≠ generated ${JSON.stringify(s.rows)}`,
    );
    const sqlS = Object.values(s.sqlMs).reduce((a, b) => a + b, 0) / 1000;
    say(
      `Seed ${short(size)}: ${fmt(s.events)} scan events (${fmt(s.bots)} bots, ${s.gtins} GTINs, ${s.countries} countries, ${DAYS} days) and the roll-up rows the ` +
        `ScanCounter would flush for them (hourly ${fmt(s.rows.hourly)}, dimensions ${fmt(s.rows.dims)}, serials ${fmt(s.rows.serials)}, ` +
        `scanners ${fmt(s.rows.scanners)}) in ${(s.seedMs / 1000).toFixed(1)} s: ${fmt(s.jsonMiB)} MiB of JSON in ${s.statements} statements; ` +
        `SQLite ${sqlS.toFixed(1)} s (dimensions ${(s.sqlMs.dims! / 1000).toFixed(1)} s, events ${(s.sqlMs.event! / 1000).toFixed(1)} s). ` +
        `Written straight into D1, bypassing the scan path (bench/ingest.ts measures that).`,
    );
  }
  const large = instances[instances.length - 1]!;

  // Latency, beside the bare route, in interleaved rounds.
  const today = localParts(endMs, TZ).date;
  const firstDay = new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const seriesPath = `/v1/analytics/scans/timeseries?interval=day&from=${firstDay}&to=${today}&tz=${encodeURIComponent(TZ)}`;
  const overviewLabel = (i: Instance) => `overview, ${short(i.size)} scans`;
  const seriesLabel = (i: Instance) => `${DAYS}-day daily series (${TZ}), ${short(i.size)} scans`;
  const specs: ScenarioSpec[] = [
    { ...BARE_REDIRECT, worker: large.worker },
    ...instances.flatMap((i): ScenarioSpec[] => [
      // A control: an authenticated route that reads no scans, so what differs between the two
      // instances apart from the scan queries (database size, process size) shows here too.
      {
        scenario: `control: completeness (no scan reads), ${short(i.size)} scans`,
        paths: ['/v1/analytics/completeness'],
        expectStatus: 200,
        headers: auth,
        worker: i.worker,
      },
      {
        scenario: overviewLabel(i),
        paths: ['/v1/analytics/overview'],
        expectStatus: 200,
        headers: auth,
        worker: i.worker,
      },
      { scenario: seriesLabel(i), paths: [seriesPath], expectStatus: 200, headers: auth, worker: i.worker },
    ]),
  ];
  // Exact numbers first: each route's total against a count of the raw events in its range.
  for (const i of instances) {
    const d1 = await i.worker.mf.getD1Database('DB');
    const rawHumans = async (range: { from: string; to: string }) =>
      (await d1
        .prepare(
          `SELECT count(*) AS n FROM (SELECT org_id, occurred_at, is_bot FROM scan_events UNION ALL
             SELECT org_id, occurred_at, is_bot FROM scan_events_legacy)
           WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ? AND is_bot = 0`,
        )
        .bind(DEMO_ORG_ID, Date.parse(range.from), Date.parse(range.to))
        .first<number>('n')) ?? -1;
    const overview = (await (
      await fetch(`${i.worker.url}/v1/analytics/overview`, { headers: auth })
    ).json()) as { range: { from: string; to: string }; total_scans: { value: number } };
    check(
      overview.total_scans.value === (await rawHumans(overview.range)),
      `${short(i.size)}: overview total ${overview.total_scans.value} ≠ raw events in its range`,
    );
    const series = (await (await fetch(i.worker.url + seriesPath, { headers: auth })).json()) as {
      range: { from: string; to: string };
      total: number;
      points: unknown[];
    };
    check(
      series.total === (await rawHumans(series.range)) && series.points.length === DAYS,
      `${short(i.size)}: series total ${series.total} over ${series.points.length} days ≠ raw events in its range`,
    );
  }
  console.log(
    `measuring latency (${settings.connections} connection${settings.connections > 1 ? 's' : ''}, ${settings.durationS} s per scenario) …`,
  );
  run.scenarios = await measureScenarios(large.worker, specs, settings);
  printTable(run); // now, in case a later step fails

  // Export: the whole history, bots included, every row.
  const exportPath = `/v1/exports/scans.csv?from=${new Date(large.seed.fromMs).toISOString()}&to=${new Date(large.seed.toMs).toISOString()}&bots=include`;
  for (const i of instances) {
    // The seeded events are a pre-archive deployment's: the backfill moves all but the recent
    // window to R2, as the cron would (src/storage/legacy-backfill.ts), once the reads above were
    // checked against them. The export then spans both.
    const backfillStart = Date.now();
    let moved = 0;
    for (;;) {
      const res = await fetch(`${i.worker.url}/_bench/storage/backfill`, { method: 'POST' });
      if (!res.ok) throw new Error(`backfill: ${res.status} ${await res.text()}`);
      const step = (await res.json()) as { moved: number; remaining: boolean };
      moved += step.moved;
      if (!step.remaining) break;
    }
    say(
      `Backfill ${short(i.size)}: ${fmt(moved)} events moved to the R2 archive (recent ones kept in D1) in ${((Date.now() - backfillStart) / 1000).toFixed(1)} s.`,
    );
    console.log(`exporting ${fmt(i.size)} rows …`);
    const pid = i.worker.workerdPid;
    const rssBeforeMiB = currentRssMiB(pid);
    const tracked = resetPeakRss(pid);
    const cpuBefore = cpuMs(pid);
    // workerd's RSS after each tenth of the rows: flat once the stream is going, or growing with every row?
    const rssAtTenths: number[] = [];
    const streamed = await streamCsv(i.worker.url + exportPath, auth, (lines) => {
      while (rssAtTenths.length < 10 && lines - 1 >= ((rssAtTenths.length + 1) * i.seed.events) / 10)
        rssAtTenths.push(currentRssMiB(pid));
    });
    i.export = {
      ...streamed,
      rssBeforeMiB,
      rssAtTenths,
      workerdCpuMs: cpuMs(pid) - cpuBefore,
      ...(tracked ? { peakRssMiB: peakRssMiB(pid) } : {}),
    };
    check(streamed.status === 200, `${short(i.size)}: export answered ${streamed.status}`);
    check(streamed.header === EXPORT_HEADER, `${short(i.size)}: export header is ${streamed.header}`);
    check(
      streamed.rows === i.seed.events && streamed.endsWithNewline,
      `${short(i.size)}: export had ${streamed.rows} rows, ${i.seed.events} seeded`,
    );
    const peak =
      i.export.peakRssMiB === undefined
        ? ''
        : `, workerd RSS ${fmt(rssBeforeMiB)} MiB before, peak ${fmt(i.export.peakRssMiB)} MiB`;
    console.log(
      `  ${fmt(streamed.rows)} rows, ${fmt(streamed.bytes / 2 ** 20, 1)} MiB in ${(streamed.ms / 1000).toFixed(1)} s: ${fmt(streamed.rows / (streamed.ms / 1000))} rows/s, workerd CPU ${fmt((i.export.workerdCpuMs * 1000) / streamed.rows, 1)} µs per row${peak}`,
    );
    console.log(
      `  workerd RSS after each tenth of the rows (MiB): ${rssAtTenths.map((m) => fmt(m)).join(', ')}`,
    );
  }

  // Inside D1: the overview's two scan totals and the series' per-bucket sums, as the routes ask them.
  const queries = await scanQueries();
  for (const i of instances) {
    const d1 = await i.worker.mf.getD1Database('DB');
    const toMs = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
    const overview: ScanFilters = {
      orgId: DEMO_ORG_ID,
      fromMs: toMs - 30 * DAY_MS,
      toMs,
      tz: 'UTC',
      bots: 'exclude',
    };
    const previous: ScanFilters = {
      ...overview,
      fromMs: overview.fromMs - 30 * DAY_MS,
      toMs: overview.fromMs,
    };
    const seriesRange = (await (await fetch(i.worker.url + seriesPath, { headers: auth })).json()) as {
      range: { from: string; to: string };
    };
    const series: ScanFilters = {
      ...overview,
      tz: TZ,
      fromMs: Date.parse(seriesRange.range.from),
      toMs: Date.parse(seriesRange.range.to),
    };
    const profile = async (label: string, query: (db: unknown) => Promise<unknown>) => {
      try {
        i.profiles.push({ label, statements: await profileStatements(d1, query) });
      } catch (error) {
        // A diagnostic, not a figure: say so and keep the run (e.g. src/ changed since the bundle was built).
        failures.push(`${short(i.size)}: profiling "${label}" failed: ${String(error)}`);
      }
    };
    await profile('overview: scans, last 30 days', (db) => queries.totalScans(db, overview));
    await profile('overview: scans, previous 30 days', (db) => queries.totalScans(db, previous));
    await profile(`series: scans per 15-minute bucket, ${DAYS} days`, (db) =>
      queries.scansPerBucket(db, series),
    );
  }
} finally {
  for (const i of instances) await i.worker.dispose();
}

// Figures.
const small = instances[0]!;
const large = instances[instances.length - 1]!;
const scenario = (name: string) => run.scenarios.find((s) => s.scenario === name)!;
const targetLines: string[] = [];
for (const [what, label] of [
  ['overview', (i: Instance) => `overview, ${short(i.size)} scans`],
  [`${DAYS}-day series`, (i: Instance) => `${DAYS}-day daily series (${TZ}), ${short(i.size)} scans`],
] as const) {
  const a = scenario(label(small));
  const b = scenario(label(large));
  const ratio = b.p99Ms / a.p99Ms;
  targetLines.push(
    `${what}: p99 ${b.p99Ms.toFixed(1)} ms at ${short(large.size)} vs ${a.p99Ms.toFixed(1)} ms at ${short(small.size)} = ${ratio.toFixed(2)}× ` +
      `(target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'MISSED'}; under 100 ms: ${b.p99Ms < 100 ? 'met' : 'MISSED'}); p50 ${a.p50Ms.toFixed(1)} → ${b.p50Ms.toFixed(1)} ms.`,
  );
}
const exportRows = instances.map((i) => {
  const e = i.export!;
  return [
    `${short(i.size)} scans`,
    fmt(e.rows),
    fmt(e.bytes / 2 ** 20, 1),
    (e.ms / 1000).toFixed(1),
    fmt(e.rows / (e.ms / 1000)),
    fmt((e.workerdCpuMs * 1000) / e.rows, 1),
    fmt(e.rssBeforeMiB),
    e.peakRssMiB === undefined ? '–' : fmt(e.peakRssMiB),
    e.peakRssMiB === undefined ? '–' : fmt(e.peakRssMiB - e.rssBeforeMiB),
  ];
});
const exportHeader = [
  'export (full range, bots included)',
  'rows',
  'MiB',
  's',
  'rows/s',
  'workerd CPU µs/row',
  'RSS before MiB',
  'peak RSS MiB',
  'growth MiB',
];
const growth = (i: Instance) =>
  i.export!.peakRssMiB === undefined ? undefined : i.export!.peakRssMiB - i.export!.rssBeforeMiB;
const tenths = large.export!.rssAtTenths;
if (tenths.length === 10) {
  // Same process, same stream. The first rows size up V8's heap and SQLite's cache, so the target
  // is read on the second half: RSS at its highest there vs at half way. A buffer per row would
  // add half the CSV (over 100 MiB at 1M rows); 16 MiB of slack covers V8 and the allocator.
  const rise = Math.max(...tenths.slice(5)) - tenths[4]!;
  targetLines.push(
    `export memory: streaming ${short(large.size)} rows (${fmt(large.export!.bytes / 2 ** 20)} MiB of CSV), workerd's RSS after each tenth of the rows was ` +
      `${tenths.map((m) => fmt(m)).join(', ')} MiB: ${rise >= 0 ? '+' : ''}${fmt(rise)} MiB over the second half (target: no growth with row count, ` +
      `within 16 MiB: ${rise <= 16 ? 'met' : 'MISSED'}). Peak RSS rose ${fmt(growth(large) ?? Number.NaN)} MiB over the ${short(large.size)} export and ` +
      `${fmt(growth(small) ?? Number.NaN)} MiB over the ${short(small.size)} one (separate processes). ${fmt(large.export!.rows / (large.export!.ms / 1000))} rows/s at ${short(large.size)}.`,
  );
}
const profileRows = instances.flatMap((i) =>
  i.profiles.flatMap((p) =>
    p.statements.map((st) => [
      `${short(i.size)}: ${p.label}`,
      fmt(st.rowsRead),
      st.sqlMs.toFixed(1),
      st.plan.join('; '),
    ]),
  ),
);
const profileHeader = ['scan query (src/analytics/scan-queries.ts)', 'rows read', 'SQL ms', 'query plan'];

console.log(`\n${textTable(exportHeader, exportRows)}`);
console.log(`\n${textTable(profileHeader, profileRows)}`);
console.log('');
for (const line of targetLines) console.log(line);
if (failures.length > 0) console.error(`\nCHECKS FAILED:\n  ${failures.join('\n  ')}`);
else
  console.log(
    '\nChecks: seeded rows, route totals against raw events, export header and row counts all exact.',
  );

run.notes = [
  ...notes,
  ...targetLines,
  failures.length
    ? `CHECKS FAILED: ${failures.join('; ')}`
    : 'Checks: seeded rows, route totals against raw events, export header and row counts all exact.',
];
saveRun(run);
if (writeResults && failures.length === 0) {
  const section = [
    renderMarkdown(run),
    markdownTable(exportHeader, exportRows),
    '',
    markdownTable(profileHeader, profileRows, ['l', 'r', 'r', 'l']),
    '',
  ].join('\n');
  appendFileSync(join(PROJECT_ROOT, 'bench', 'RESULTS.md'), `\n${section}`);
  console.log('Appended a section to bench/RESULTS.md.');
}
if (failures.length > 0) process.exit(1);
