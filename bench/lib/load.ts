// Fixed-duration, fixed-concurrency HTTP load against a list of paths. Uses Debian's `wrk` when it
// is on PATH (a C client: it leaves more of the 2 cores to workerd), otherwise the npm package
// autocannon, whose latency resolution is 1 ms. Results name the tool: compare like with like.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export type LoadTool = 'wrk' | 'autocannon';
/** What produced a result: a duration tool above, or the fixed-count loader (fixed-count-load.ts). */
export type LoadClient = LoadTool | 'node-http';

export interface LoadOptions {
  /** Origin of the served Worker, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  /** Request paths (with query), cycled through by every connection. */
  paths: string[];
  durationS: number;
  connections: number;
  /**
   * The status every path must answer with, checked once per distinct path before the load.
   * During the load every response must still be 2xx or 3xx.
   */
  expectStatus: number | ((status: number) => boolean);
  /** Defaults to BENCH_LOAD_TOOL, else wrk when installed, else autocannon. */
  tool?: LoadTool;
  /** Sent with every request (e.g. `authorization` for the API's routes). */
  headers?: Record<string, string>;
  /** The caller ran `checkStatuses` already (e.g. to keep its requests out of a CPU measurement). */
  statusesChecked?: boolean;
}

export interface LoadResult {
  tool: LoadClient;
  connections: number;
  durationS: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx (the fixed-count loader: any other status than expected). Throws when any. */
  non2xx3xx: number;
  /** Connect, read and write errors and timeouts. `runLoad` throws when any. */
  errors: number;
}

export class LoadCheckError extends Error {}

const WRK_SCRIPT = join(import.meta.dirname, 'cycle-paths.lua');

export function defaultLoadTool(): LoadTool {
  const fromEnv = process.env.BENCH_LOAD_TOOL;
  if (fromEnv === 'wrk' || fromEnv === 'autocannon') return fromEnv;
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.paths.length === 0) throw new Error('runLoad needs at least one path');
  if (!options.statusesChecked)
    await checkStatuses(options.baseUrl, options.paths, options.expectStatus, options.headers);
  const tool = options.tool ?? defaultLoadTool();
  const result = tool === 'wrk' ? await runWrk(options) : await runAutocannon(options);
  if (result.non2xx3xx > 0 || result.errors > 0) {
    // A fast error path is not a benchmark result.
    throw new LoadCheckError(
      `${tool} against ${options.baseUrl}: ${result.non2xx3xx} responses outside 2xx/3xx and ${result.errors} socket errors or timeouts in ${result.requests} requests`,
    );
  }
  return result;
}

/** Fetches each distinct path once and throws, listing the first offenders, if any answers otherwise. */
export async function checkStatuses(
  baseUrl: string,
  paths: string[],
  expect: LoadOptions['expectStatus'],
  headers?: Record<string, string>,
): Promise<void> {
  const accepts = typeof expect === 'number' ? (s: number) => s === expect : expect;
  const failures: string[] = [];
  const distinct = [...new Set(paths)];
  for (let i = 0; i < distinct.length; i += 16) {
    await Promise.all(
      distinct.slice(i, i + 16).map(async (path) => {
        const response = await fetch(baseUrl + path, { redirect: 'manual', ...(headers ? { headers } : {}) });
        const body = await response.text();
        if (!accepts(response.status)) failures.push(`${path} → ${response.status} ${body.slice(0, 200)}`);
      }),
    );
  }
  if (failures.length > 0) {
    const wanted = typeof expect === 'number' ? String(expect) : 'the expected status';
    throw new LoadCheckError(
      `${failures.length} of ${distinct.length} paths did not answer ${wanted}:\n  ${failures.slice(0, 5).join('\n  ')}`,
    );
  }
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dle-wrk-'));
  const pathsFile = join(dir, 'paths.txt');
  writeFileSync(pathsFile, `${options.paths.join('\n')}\n`);
  // One wrk thread keeps up with 32 connections at these rates and leaves a core to workerd.
  const threads = Math.min(Number(process.env.BENCH_WRK_THREADS ?? 1), options.connections);
  const args = [
    `-t${threads}`,
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    '--timeout',
    '10s',
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    '-s',
    WRK_SCRIPT,
    options.baseUrl,
    '--',
    pathsFile,
  ];
  try {
    const { code, stdout, stderr } = await run('wrk', args);
    const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (code !== 0 || !line)
      throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${stdout}${stderr}`);
    const r = JSON.parse(line.slice('WRK_RESULT '.length)) as Record<string, number>;
    const n = (key: string) => r[key] ?? 0;
    const durationS = n('durationUs') / 1e6;
    return {
      tool: 'wrk',
      connections: options.connections,
      durationS,
      requests: n('requests'),
      requestsPerSec: n('requests') / durationS,
      p50Ms: n('p50Us') / 1000,
      p99Ms: n('p99Us') / 1000,
      non2xx3xx: n('non2xx3xx'),
      errors: n('connect') + n('read') + n('write') + n('timeout'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    requests: options.paths.map((path) => ({ method: 'GET', path })),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  let non2xx3xx = 0;
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    if (Number(status) < 200 || Number(status) >= 400) non2xx3xx += stats.count ?? 0;
  }
  return {
    tool: 'autocannon',
    connections: options.connections,
    durationS: result.duration,
    requests: result.requests.total,
    requestsPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx3xx,
    errors: result.errors + result.timeouts,
  };
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
