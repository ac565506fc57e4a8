// Scans through the Worker's own fetch handler, waiting for its waitUntil work (the recording),
// then flushing the ScanCounter objects to D1 with their alarms, as production would.
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { counterName } from '../../src/scans/scan-shards';
import { fetchAndSettle, ORIGIN } from './http';

export interface ScanOptions {
  headers?: Record<string, string>;
  cf?: Record<string, unknown>;
}

export async function scan(path: string, options: ScanOptions = {}): Promise<Response> {
  return fetchAndSettle(
    new Request(`${ORIGIN}${path}`, {
      headers: options.headers,
      redirect: 'manual',
      cf: options.cf,
    } as RequestInit),
  );
}

export function counter(keyAi: string, keyValue: string, shard = 0) {
  return env.SCAN_COUNTER.getByName(counterName(keyAi, keyValue, shard));
}

/** Runs the pending flush alarm of each shard; true when one ran. */
export async function flush(keyAi: string, keyValue: string, shards = 1): Promise<boolean> {
  let ran = false;
  for (let s = 0; s < shards; s++) ran = (await runDurableObjectAlarm(counter(keyAi, keyValue, s))) || ran;
  return ran;
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  return (
    (await env.DB.prepare(sql)
      .bind(...params)
      .first<number>('n')) ?? 0
  );
}
