// Benchmark scenarios measured against the served Worker, with workerd's peak memory. Every
// benchmark measures through this, so all share the same settings and the same checks.
import { checkStatuses, type LoadOptions, type LoadResult, runLoad } from './load.ts';
import { cpuMs } from './process-cpu.ts';
import { peakRssMiB, resetPeakRss } from './process-memory.ts';
import type { ScenarioResult } from './report.ts';
import type { ServedWorker } from './serve-worker.ts';

export interface LoadSettings {
  durationS: number;
  connections: number;
  warmupS: number;
  rounds: number;
}

/**
 * BENCH_DURATION_S (10), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3) and BENCH_ROUNDS (1).
 * Keep runs short while developing: the 2 cores are shared with everyone else's work.
 */
export function loadSettingsFromEnv(): LoadSettings {
  const number = (name: string, fallback: number, min: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
    return value;
  };
  return {
    durationS: number('BENCH_DURATION_S', 10, 1),
    connections: number('BENCH_CONNECTIONS', 32, 1),
    warmupS: number('BENCH_WARMUP_S', 3, 0),
    rounds: Math.floor(number('BENCH_ROUNDS', 1, 1)),
  };
}

export interface ScenarioSpec {
  scenario: string;
  paths: string[];
  expectStatus: LoadOptions['expectStatus'];
  /** Marks the bare route the other scenarios' throughput is compared with. */
  baseline?: boolean;
  /** Sent with every request, e.g. an API key. */
  headers?: Record<string, string>;
  /** Served by this Worker rather than the one `measureScenarios` is given (e.g. a second data set). */
  worker?: ServedWorker;
}

/** The baseline every benchmark measures beside its own scenarios (bench/worker/bench-routes.ts). */
export const BARE_REDIRECT: ScenarioSpec = {
  scenario: 'bare 307 (baseline)',
  paths: ['/_bench/bare-307'],
  expectStatus: 307,
  baseline: true,
};

/**
 * Measures the scenarios in turn, `rounds` times over (A B A B …), and reports each one's median
 * round. On a shared machine other work comes and goes; interleaving spreads it over all scenarios
 * instead of letting it land on one and skew the ratios. Each scenario warms up (JIT, caches,
 * connections) before its first round only.
 */
export async function measureScenarios(
  worker: ServedWorker,
  specs: ScenarioSpec[],
  settings: LoadSettings,
): Promise<ScenarioResult[]> {
  const results: LoadResult[][] = specs.map(() => []);
  const peaks: (number | undefined)[] = specs.map(() => undefined);
  // workerd's CPU per request: unlike throughput, it does not depend on how much of the two cores
  // the load generator and the machine's other work took meanwhile.
  const cpuPerRequest: number[][] = specs.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    for (const [i, spec] of specs.entries()) {
      const served = spec.worker ?? worker;
      const load = {
        baseUrl: served.url,
        paths: spec.paths,
        expectStatus: spec.expectStatus,
        connections: settings.connections,
        ...(spec.headers ? { headers: spec.headers } : {}),
      };
      const memoryTracked = resetPeakRss(served.workerdPid);
      if (round === 0 && settings.warmupS > 0) await runLoad({ ...load, durationS: settings.warmupS });
      // The status check fetches every distinct path once (1,000 requests for the resolve
      // scenarios) and is not part of the load: it runs before the CPU reading starts.
      await checkStatuses(load.baseUrl, load.paths, load.expectStatus, load.headers);
      const cpuBefore = cpuMs(served.workerdPid);
      const result = await runLoad({ ...load, durationS: settings.durationS, statusesChecked: true });
      cpuPerRequest[i]!.push(
        result.requests > 0 ? ((cpuMs(served.workerdPid) - cpuBefore) * 1000) / result.requests : NaN,
      );
      results[i]!.push(result);
      if (memoryTracked) peaks[i] = Math.max(peaks[i] ?? 0, peakRssMiB(served.workerdPid));
    }
  }
  return specs.map((spec, i) => ({
    ...medianRound(spec, results[i]!, peaks[i]),
    cpuUsPerRequest: median(cpuPerRequest[i]!),
  }));
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

/** One scenario's figures from its rounds: each figure the median round's, counts summed. */
export function medianRound(
  spec: Pick<ScenarioSpec, 'scenario' | 'baseline'>,
  rounds: LoadResult[],
  peakRssMiB?: number,
): ScenarioResult {
  const medianOf = (pick: (r: LoadResult) => number) => median(rounds.map(pick));
  return {
    scenario: spec.scenario,
    ...(spec.baseline ? { baseline: true } : {}),
    tool: rounds[0]!.tool,
    connections: rounds[0]!.connections,
    durationS: medianOf((r) => r.durationS),
    rounds: rounds.length,
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    requestsPerSec: medianOf((r) => r.requestsPerSec),
    requestsPerSecByRound: rounds.map((r) => r.requestsPerSec),
    p50Ms: medianOf((r) => r.p50Ms),
    p99Ms: medianOf((r) => r.p99Ms),
    non2xx3xx: rounds.reduce((sum, r) => sum + r.non2xx3xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    ...(peakRssMiB === undefined ? {} : { peakRssMiB }),
  };
}
