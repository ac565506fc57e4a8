// Gets scans from the resolver to their ScanCounter without slowing the redirect and without
// one RPC per scan. Scans an isolate sees for the same counter within a few milliseconds share
// one batch and one RPC; the request that opened the batch keeps it alive with waitUntil until
// the object has stored it. A scan is recorded when (and only when) that RPC returns.

import { finishScanEvent, type ScanCapture, type ScanEvent } from './scan-event';
import { counterName, shardCount, shardOf } from './scan-shards';

// wrangler.toml's value (chosen in bench/RESULTS.md), used when the var is
// missing or not a number of milliseconds.
const DEFAULT_WINDOW_MS = 10;
const MAX_WINDOW_MS = 1_000;

function batchWindowMs(env: RecorderEnv): number {
  const ms = Number(env.SCAN_BATCH_WINDOW_MS);
  return env.SCAN_BATCH_WINDOW_MS !== undefined &&
    env.SCAN_BATCH_WINDOW_MS !== '' &&
    Number.isFinite(ms) &&
    ms >= 0 &&
    ms <= MAX_WINDOW_MS
    ? ms
    : DEFAULT_WINDOW_MS;
}
const MAX_BATCH = 200;
const RPC_ATTEMPTS = 3;

// A batch still open this long after its window should have closed was orphaned: the request
// that opened it ended before its waitUntil ran (cancelled, or out of time). Left in place, it
// would swallow every later scan of its counter in this isolate, up to MAX_BATCH, unsent.
const ORPHANED_AFTER_MS = 1_000;

interface Batch {
  captures: ScanCapture[];
  shard: number;
  openedAt: number;
}

export interface RecorderClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

export interface RecorderEnv {
  SCAN_COUNTER: DurableObjectNamespace<import('./scan-counter').ScanCounter>;
  SCAN_RECORDING?: string;
  SCAN_BATCH_WINDOW_MS?: string;
  SCAN_SHARDS?: string;
  SCAN_SHARD_OVERRIDES?: string;
  SCANNER_HASH_SECRET?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let warnedNoSecret = false;

export class ScanRecorder {
  private readonly open = new Map<string, Batch>();

  constructor(private readonly clock: RecorderClock = { now: () => Date.now(), sleep }) {}

  /** Scans this isolate could not deliver after every retry (for tests and logs). */
  lost = 0;
  /** Record RPCs this isolate made (retries included) and the scans they delivered: what batching saves. */
  rpcs = 0;
  delivered = 0;

  /**
   * Takes the capture as a function, called only after the response has gone out: it reads
   * `request.cf` (a JSON parse in workerd) and headers, none of which the redirect needs to wait
   * for. With recording off the request is not read at all.
   */
  record(env: RecorderEnv, ctx: Pick<ExecutionContext, 'waitUntil'>, captureNow: () => ScanCapture): void {
    if (env.SCAN_RECORDING === 'off') return;
    ctx.waitUntil(this.clock.sleep(0).then(() => this.enqueue(env, captureNow())));
  }

  /** Adds a scan to its counter's open batch; for the scan that opens one, the batch's delivery. */
  private enqueue(env: RecorderEnv, capture: ScanCapture): Promise<void> | undefined {
    const { keyAi, keyValue, serial, lot, id } = capture.event;
    const shard = shardOf(shardCount(env, keyAi, keyValue), serial ?? lot ?? id);
    const name = counterName(keyAi, keyValue, shard);
    const windowMs = batchWindowMs(env);
    const now = this.clock.now();
    const batch = this.open.get(name);
    if (batch && now - batch.openedAt <= windowMs + ORPHANED_AFTER_MS) {
      batch.captures.push(capture);
      if (batch.captures.length >= MAX_BATCH) this.open.delete(name); // full: later scans open a new one
      return undefined;
    }
    // A new batch, which also takes over an orphan's scans: it is sent under this request's
    // waitUntil. Should the orphan's own send still run late, the object drops the event ids it
    // already has, so nothing counts twice.
    const fresh: Batch = { captures: batch ? [...batch.captures, capture] : [capture], shard, openedAt: now };
    this.open.set(name, fresh);
    return (windowMs > 0 ? this.clock.sleep(windowMs) : Promise.resolve()).then(() =>
      this.send(env, name, fresh),
    );
  }

  private async send(env: RecorderEnv, name: string, batch: Batch): Promise<void> {
    if (this.open.get(name) === batch) this.open.delete(name);
    let events: (ScanEvent & { shard: number })[];
    try {
      const secret = hashSecret(env);
      events = await Promise.all(
        batch.captures.map(async (c) => ({ ...(await finishScanEvent(c, secret)), shard: batch.shard })),
      );
    } catch (err) {
      // Never a silently rejected waitUntil: a scan that cannot be finished is lost, and says so.
      this.lost += batch.captures.length;
      console.error('scans not recorded', {
        counter: name,
        scans: batch.captures.length,
        error: String(err),
      });
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        this.rpcs++;
        // A fresh stub per attempt: a stub that saw an error may be broken. Redelivery is safe,
        // the object drops event ids it has already recorded.
        await env.SCAN_COUNTER.getByName(name).record(events);
        this.delivered += events.length;
        return;
      } catch (err) {
        if (attempt >= RPC_ATTEMPTS) {
          this.lost += events.length;
          console.error('scans not recorded', { counter: name, scans: events.length, error: String(err) });
          return;
        }
        await this.clock.sleep(50 * 2 ** attempt);
      }
    }
  }
}

/**
 * The scanner-hash key. Web Crypto refuses a zero-length HMAC key, which made every scan fail
 * while the secret was unset; one zero byte is the same HMAC key as an empty one (RFC 2104 pads
 * keys with zeros to the block size), so the hashes are what the warning promises.
 */
function hashSecret(env: RecorderEnv): string {
  if (env.SCANNER_HASH_SECRET) return env.SCANNER_HASH_SECRET;
  if (!warnedNoSecret) {
    warnedNoSecret = true;
    console.warn('SCANNER_HASH_SECRET is not set: unique-scanner hashes use an empty key');
  }
  return '\0';
}

/** One recorder per isolate: batching only helps if every request in the isolate shares it. */
export const scanRecorder = new ScanRecorder();
