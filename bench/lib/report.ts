// Benchmark figures: a side-by-side table on stdout, each benchmark's latest run kept in
// bench/out/summary.json (git-ignored), and a markdown rendering for summary.md and RESULTS.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load.ts';
import { PROJECT_ROOT } from './wrangler-config.ts';

export const OUT_DIR = join(PROJECT_ROOT, 'bench', 'out');
export const SUMMARY_JSON = join(OUT_DIR, 'summary.json');

/** A scenario's figures: with several rounds, each figure is the median round's. */
export interface ScenarioResult extends LoadResult {
  scenario: string;
  rounds: number;
  /** The bare route of the same run, against which the other scenarios' throughput is a ratio. */
  baseline?: boolean;
  /** workerd's peak RSS while this scenario ran (warm-up included). */
  peakRssMiB?: number;
  /** workerd's CPU time (all threads, µs) per request: the median round's. */
  cpuUsPerRequest?: number;
  /** Fixed-count loads (fixed-count-load.ts): requests per round, instead of a duration. */
  requestsPerRound?: number;
  /** Throughput of each round, in order: with the baseline's, the per-round ratios (their spread shows the noise). */
  requestsPerSecByRound?: number[];
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  /** 1-minute load average when the run started: the machine is shared, so read figures with it. */
  loadAverage: number;
  node: string;
  workerd: string;
}

export interface BenchmarkRun {
  benchmark: string;
  takenAt: string;
  command: string;
  machine: MachineInfo;
  warmupS: number;
  scenarios: ScenarioResult[];
  /** Lines printed under the table (e.g. a benchmark's own checks and figures). */
  notes?: string[];
}

export function machineInfo(): MachineInfo {
  const workerdPackage = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'node_modules', 'workerd', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
    node: process.version,
    workerd: workerdPackage.version,
  };
}

/** An empty run of `benchmark`, stamped now, for `measureScenarios` to fill. */
export function startRun(benchmark: string, npmScript: string, warmupS: number): BenchmarkRun {
  return {
    benchmark,
    takenAt: new Date().toISOString(),
    command: commandLine(npmScript),
    machine: machineInfo(),
    warmupS,
    scenarios: [],
  };
}

/** How to repeat this run: the BENCH_* settings in force, the npm script and its arguments. */
export function commandLine(npmScript: string): string {
  const settings = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_') && name !== 'BENCH_WORKER_BUNDLE')
    .map(([name, value]) => `${name}=${value}`);
  const args = process.argv.slice(2);
  return [...settings, npmScript, ...(args.length ? ['--', ...args] : [])].join(' ');
}

/** Throughput as a fraction of the run's baseline scenario (1 = as fast as the bare route). */
export function ratioToBaseline(run: BenchmarkRun, scenario: ScenarioResult): number | undefined {
  const baseline = run.scenarios.find((s) => s.baseline);
  return baseline ? scenario.requestsPerSec / baseline.requestsPerSec : undefined;
}

/** The baseline's CPU per request over the scenario's: the throughput ratio a saturated CPU would give. */
export function cpuRatioToBaseline(run: BenchmarkRun, scenario: ScenarioResult): number | undefined {
  const baseline = run.scenarios.find((s) => s.baseline);
  return baseline?.cpuUsPerRequest && scenario.cpuUsPerRequest
    ? baseline.cpuUsPerRequest / scenario.cpuUsPerRequest
    : undefined;
}

/**
 * The lowest and highest of a scenario's per-round throughput ratios to the baseline, each round
 * against the baseline's round of the same index (measured minutes apart, not a run apart). Read
 * beside the median ratio: on a shared machine the spread is often wider than the effect measured.
 */
export function roundRatioRange(run: BenchmarkRun, scenario: ScenarioResult): [number, number] | undefined {
  const baseline = run.scenarios.find((s) => s.baseline)?.requestsPerSecByRound;
  const own = scenario.requestsPerSecByRound;
  if (!baseline || !own || own.length < 2 || own.length !== baseline.length || scenario.baseline)
    return undefined;
  const ratios = own.map((rps, i) => rps / baseline[i]!);
  return [Math.min(...ratios), Math.max(...ratios)];
}

function rows(run: BenchmarkRun): string[][] {
  const withMemory = run.scenarios.some((s) => s.peakRssMiB !== undefined);
  const withCpu = run.scenarios.some((s) => s.cpuUsPerRequest !== undefined);
  const withRounds = run.scenarios.some((s) => roundRatioRange(run, s) !== undefined);
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'vs baseline',
    ...(withRounds ? ['rounds vs baseline'] : []),
    ...(withCpu ? ['CPU µs/req', 'CPU vs baseline'] : []),
    ...(withMemory ? ['peak RSS MiB'] : []),
  ];
  return [
    header,
    ...run.scenarios.map((s) => {
      const ratio = ratioToBaseline(run, s);
      const cpuRatio = cpuRatioToBaseline(run, s);
      const range = roundRatioRange(run, s);
      return [
        s.scenario,
        Math.round(s.requestsPerSec).toLocaleString('en-US'),
        s.p50Ms.toFixed(2),
        s.p99Ms.toFixed(2),
        ratio === undefined ? '–' : `${ratio.toFixed(2)}×`,
        ...(withRounds ? [range === undefined ? '–' : `${range[0].toFixed(2)}–${range[1].toFixed(2)}×`] : []),
        ...(withCpu
          ? [
              s.cpuUsPerRequest === undefined ? '–' : s.cpuUsPerRequest.toFixed(0),
              cpuRatio === undefined ? '–' : `${cpuRatio.toFixed(2)}×`,
            ]
          : []),
        ...(withMemory ? [s.peakRssMiB === undefined ? '–' : s.peakRssMiB.toFixed(0)] : []),
      ];
    }),
  ];
}

function settingsText(run: BenchmarkRun): string {
  const s = run.scenarios[0];
  if (!s) return 'no scenarios';
  const rounds = s.rounds > 1 ? `, median of ${s.rounds} interleaved rounds` : '';
  const length =
    s.requestsPerRound === undefined
      ? `${s.durationS.toFixed(0)} s`
      : `${s.requestsPerRound.toLocaleString('en-US')} requests`;
  return `${s.tool}, ${s.connections} connections, ${length} per scenario after a ${run.warmupS} s warm-up${rounds}`;
}

export function printTable(run: BenchmarkRun): void {
  const table = rows(run);
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  const line = (row: string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  console.log(`\n${run.benchmark}: ${settingsText(run)}; load average ${run.machine.loadAverage} at start`);
  console.log(line(table[0]!));
  for (const row of table.slice(1)) console.log(line(row));
}

export function readSummary(): BenchmarkRun[] {
  return existsSync(SUMMARY_JSON)
    ? (JSON.parse(readFileSync(SUMMARY_JSON, 'utf8')) as { runs: BenchmarkRun[] }).runs
    : [];
}

/** Keeps `run` as its benchmark's latest in summary.json, leaving the other benchmarks' runs. */
export function saveRun(run: BenchmarkRun): void {
  const runs = readSummary().filter((r) => r.benchmark !== run.benchmark);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(SUMMARY_JSON, `${JSON.stringify({ runs: [...runs, run] }, null, 2)}\n`);
}

export function renderMarkdown(run: BenchmarkRun): string {
  const table = rows(run);
  const m = run.machine;
  return [
    `## ${run.benchmark} (${run.takenAt.slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `\`${run.command}\` on ${m.cpus} × ${m.cpuModel} (shared; load average ${m.loadAverage} at start), Node ${m.node}, workerd ${m.workerd}; ${settingsText(run)}.`,
    '',
    `| ${table[0]!.join(' | ')} |`,
    `| ${table[0]!.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.slice(1).map((row) => `| ${row.join(' | ')} |`),
    '',
    ...(run.notes?.length ? [...run.notes.map((note) => `- ${note}`), ''] : []),
  ].join('\n');
}

/** A plain table for stdout: first column left-aligned, the rest right-aligned (figures). */
export function textTable(header: string[], body: string[][]): string {
  const all = [header, ...body];
  const widths = header.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  return all.map(line).join('\n');
}

/** The same table in markdown: by default the first column left-aligned and the figures right. */
export function markdownTable(header: string[], body: string[][], align?: ('l' | 'r')[]): string {
  const right = (i: number) => (align ? align[i] === 'r' : i > 0);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (right(i) ? '---:' : '---')).join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
