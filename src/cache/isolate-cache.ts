// A per-isolate cache of D1 reads, so that a scan costs no D1 round trip once its data is warm.
// Bounded two ways:
// - staleness: an entry is trusted for at most `ttlMs` (≤ 60 s) after it was read, so a change
//   made in another isolate (or another colo) reaches every isolate within that bound;
// - memory: at most `maxKeys` entries, least recently used evicted first.
// Writers call `invalidate…()` in the isolate that made the change: visible there at once. Misses
// of one key share one load (single flight), and a load that was under way when something was
// invalidated is handed to its callers but not stored, so it cannot bring back what the write
// replaced.

export const MAX_STALENESS_MS = 60_000;

/**
 * A cache TTL from a setting in seconds (RESOLVER_CACHE_TTL_SECONDS): clamped to 0…60 s, and 60 s
 * when the setting is missing or not a number. (An unset var reads as NaN, which compared unequal
 * to every TTL and so replaced the cache on every request.)
 */
export function cacheTtlMs(ttlSeconds: number | undefined): number {
  const seconds =
    ttlSeconds !== undefined && Number.isFinite(ttlSeconds) ? ttlSeconds : MAX_STALENESS_MS / 1000;
  return Math.min(MAX_STALENESS_MS, Math.max(0, seconds * 1000));
}

interface Entry<V> {
  value: V;
  readAt: number;
}

export class IsolateCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Bumped by every invalidation; a load only stores its result when this has not moved. */
  private epoch = 0;

  constructor(
    readonly ttlMs: number = MAX_STALENESS_MS,
    private readonly maxKeys: number = 20_000,
    // Read through the global on every call (not captured), so tests with a mocked clock see it.
    private readonly now: () => number = () => Date.now(),
  ) {
    if (ttlMs > MAX_STALENESS_MS) throw new Error(`isolate cache TTL may not exceed ${MAX_STALENESS_MS} ms`);
  }

  /** The fresh value of `key` (and marks it recently used), or undefined. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.readAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    this.touch(key, entry);
    return entry.value;
  }

  /** When the fresh entry of `key` was read from D1 (its staleness clock), or undefined. */
  readAt(key: string): number | undefined {
    return this.peek(key) === undefined ? undefined : this.entries.get(key)!.readAt;
  }

  /** Stores `value` as read at `readAt` (default: now). */
  set(key: string, value: V, readAt: number = this.now()): void {
    this.touch(key, { value, readAt });
  }

  /** The fresh value of `key`, else `load()` — run once for all concurrent callers — stored and returned. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return this.singleFlight(key, async () => {
      const readAt = this.now();
      const epoch = this.epoch;
      const value = await load();
      if (epoch === this.epoch) this.set(key, value, readAt);
      return value;
    });
  }

  /**
   * Runs `run` once for every concurrent caller with the same `flightKey`. For callers that keep
   * richer entries than `get` does (several loads merged into one entry); `storable(epoch)` tells
   * them whether a load that started at `epoch` may still be stored.
   */
  singleFlight<T>(flightKey: string, run: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (current) return current;
    const flight = run().finally(() => {
      if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
    });
    this.inFlight.set(flightKey, flight);
    return flight;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  storable(epoch: number): boolean {
    return epoch === this.epoch;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.forgetLoads();
  }

  /** Forgets every entry for which `test` holds (e.g. every key with a prefix, every entry of an organisation). */
  invalidateWhere(test: (key: string, value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (test(key, entry.value)) this.entries.delete(key);
    this.forgetLoads();
  }

  clear(): void {
    this.entries.clear();
    this.forgetLoads();
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetLoads(): void {
    this.epoch++;
    this.inFlight.clear(); // later misses start a fresh load instead of joining one that read old data
  }

  private touch(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }
}
