// Real requests through the Worker's fetch handler (the same entry workerd calls in production).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import benchWorker from '../../bench/worker/bench-entry';
import worker from '../../src/index';

export const ORIGIN = 'https://dl.example.test';

export interface CallOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Cloudflare's request properties as the edge would set them (country, region, city …). */
  cf?: { country?: string; region?: string; regionCode?: string; city?: string; [property: string]: unknown };
  /** Bindings or vars replaced for this request only (a failing D1, another secret); waits for its waitUntil work. */
  env?: Partial<Env>;
}

export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set('authorization', `Bearer ${options.key}`);
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const init: RequestInit = { method, headers, body, redirect: 'manual' };
  if (options.cf) init.cf = options.cf as unknown as IncomingRequestCfProperties;
  const request = new Request(`${ORIGIN}${path}`, init);
  return options.env ? fetchAndSettle(request, options.env) : exports.default.fetch(request);
}

/**
 * The Worker's fetch handler with the test's env (bindings or vars replaced by `overrides`), then
 * its waitUntil work (scan recording, search logs) awaited.
 */
export async function fetchAndSettle(
  request: Request,
  overrides: Partial<Env> = {},
  handler: { fetch: typeof worker.fetch } = worker,
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await handler.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A GET through the bench Worker (bench/worker/bench-entry.ts): the deployed one plus the baselines. */
export function callBenchWorker(path: string): Promise<Response> {
  return fetchAndSettle(new Request(`${ORIGIN}${path}`, { redirect: 'manual' }), {}, benchWorker);
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Asserts the status and the error envelope, returning it for further checks. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody['error']> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${res.status}: ${text}`);
  const body = JSON.parse(text) as ErrorBody;
  if (body.error?.code !== code) throw new Error(`expected error code ${code}, got ${text}`);
  if (typeof body.error.message !== 'string' || body.error.message.length === 0)
    throw new Error(`no message: ${text}`);
  return body.error;
}
