// Fixed-count HTTP load: exactly `count` requests (or as many as fit in `durationS`, for warm-ups)
// over `connections` keep-alive sockets, one request in flight per socket. wrk and autocannon run
// for a duration and cannot say how many requests reached the server, which a benchmark that
// counts what the server stored needs to know. Node's own http client: no dependency, and after
// its JIT warms up it costs the loader about 35 µs of CPU per request on these machines.
import http from 'node:http';
import type { LoadResult } from './load.ts';

export interface FixedCountRequest {
  path: string;
  headers?: Record<string, string>;
}

export interface FixedCountOptions {
  /** Origin of the served Worker, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  connections: number;
  /** Send exactly this many requests… */
  count?: number;
  /** …or keep sending until this many seconds have passed (warm-ups). */
  durationS?: number;
  /** The i-th request (0-based); called once per request, in order of sending. */
  request: (i: number) => FixedCountRequest;
  /** Status every response must have; by default any redirect (3xx). */
  expectStatus?: (status: number) => boolean;
  timeoutMs?: number;
}

export interface FixedCountResult extends LoadResult {
  /** Requests sent; each got a response or is counted in `errors`. */
  sent: number;
}

const isRedirect = (status: number) => status >= 300 && status < 400;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Runs the load and throws when any response has another status or any request fails (socket
 * error, timeout), after counting all of them: a fast error path is not a benchmark result.
 */
export async function runFixedCount(options: FixedCountOptions): Promise<FixedCountResult> {
  const { count, durationS } = options;
  if ((count === undefined) === (durationS === undefined))
    throw new Error('runFixedCount takes either count or durationS');
  const target = new URL(options.baseUrl);
  const expect = options.expectStatus ?? isRedirect;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  // Latencies in a preallocated array for a fixed count; a growing one for a timed run.
  const latencies: Float64Array | number[] = count !== undefined ? new Float64Array(count) : [];
  let next = 0;
  let unexpected = 0;
  let errors = 0;
  const examples: string[] = [];

  const send = (i: number) =>
    new Promise<void>((done) => {
      const { path, headers } = options.request(i);
      const started = performance.now();
      const req = http.request(
        { host: target.hostname, port: target.port, path, headers, agent, timeout: timeoutMs },
        (res) => {
          const status = res.statusCode ?? 0;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (body.length < 300) body += chunk;
          });
          res.on('end', () => {
            latencies[i] = performance.now() - started;
            if (!expect(status)) {
              unexpected++;
              if (examples.length < 5) examples.push(`${path} → ${status} ${body.slice(0, 200)}`);
            }
            done();
          });
          res.on('error', (err) => fail(err));
        },
      );
      const fail = (err: Error) => {
        errors++;
        if (examples.length < 5) examples.push(`${path} → ${err.message}`);
        done();
      };
      req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
      req.on('error', fail);
      req.end();
    });

  const deadline = durationS === undefined ? Infinity : performance.now() + durationS * 1000;
  const loop = async () => {
    for (;;) {
      if (count !== undefined ? next >= count : performance.now() >= deadline) return;
      await send(next++);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.connections }, loop));
  } finally {
    agent.destroy();
  }
  const elapsedS = (performance.now() - started) / 1000;

  const answered = Float64Array.from(latencies)
    .filter((ms) => ms > 0)
    .sort();
  const result: FixedCountResult = {
    tool: 'node-http',
    connections: options.connections,
    durationS: elapsedS,
    requests: next,
    sent: next,
    requestsPerSec: next / elapsedS,
    p50Ms: percentile(answered, 50),
    p99Ms: percentile(answered, 99),
    non2xx3xx: unexpected,
    errors,
  };
  if (unexpected > 0 || errors > 0) {
    throw new Error(
      `fixed-count load against ${options.baseUrl}: ${unexpected} unexpected statuses and ${errors} socket errors or timeouts in ${next} requests:\n  ${examples.join('\n  ')}`,
    );
  }
  return result;
}
