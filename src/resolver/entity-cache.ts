// Per-isolate cache of what the resolver reads from D1, so that a scan costs no D1 round trip
// once its key is warm. Bounded two ways:
// - staleness: an entry is trusted for at most `ttlMs` (≤ 60 s) after it was read, so a change
//   made in another isolate (or another colo) reaches every resolver within that bound;
// - memory: at most `maxKeys` primary keys, least recently used evicted first.
// Changes through the links API call `invalidate()` in the isolate that made them: visible there
// at once. Misses for the same key share one D1 query (single flight).
import type { ResolverEntity } from './resolver-types';

export const MAX_STALENESS_MS = 60_000;

interface KeyEntry {
  readAt: number;
  /** Canonical qualifier path (or a prefix-match marker) → entity, or null when D1 had none. */
  byPath: Map<string, ResolverEntity | null>;
}

export type LoadPaths = (keyAi: string, keyValue: string, paths: string[]) => Promise<Map<string, ResolverEntity | null>>;

export class EntityCache {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly inFlight = new Map<string, Promise<Map<string, ResolverEntity | null>>>();

  constructor(
    private readonly ttlMs: number = MAX_STALENESS_MS,
    private readonly maxKeys: number = 20_000,
    private readonly now: () => number = Date.now,
  ) {
    if (ttlMs > MAX_STALENESS_MS) throw new Error(`resolver cache TTL may not exceed ${MAX_STALENESS_MS} ms`);
  }

  /** The entities stored at `paths` for the key, from memory when fresh, else from `load`. */
  async get(keyAi: string, keyValue: string, paths: string[], load: LoadPaths): Promise<Map<string, ResolverEntity | null>> {
    const cacheKey = `${keyAi}/${keyValue}`;
    let entry = this.fresh(cacheKey);
    const missing = entry ? paths.filter((p) => !entry!.byPath.has(p)) : paths;
    if (missing.length > 0) {
      const flightKey = `${cacheKey}|${missing.join('|')}`;
      let flight = this.inFlight.get(flightKey);
      if (!flight) {
        const readAt = this.now();
        flight = load(keyAi, keyValue, missing).finally(() => this.inFlight.delete(flightKey));
        this.inFlight.set(flightKey, flight);
        const loaded = await flight;
        entry = this.fresh(cacheKey) ?? { readAt, byPath: new Map() };
        for (const [path, entity] of loaded) entry.byPath.set(path, entity);
        this.store(cacheKey, entry);
      } else {
        const loaded = await flight;
        entry = this.fresh(cacheKey) ?? { readAt: this.now(), byPath: new Map(loaded) };
      }
    } else {
      this.store(cacheKey, entry!); // refresh recency
    }
    const result = new Map<string, ResolverEntity | null>();
    for (const p of paths) result.set(p, entry!.byPath.get(p) ?? null);
    return result;
  }

  /** Forgets a key; with `prefix`, every cached key whose value starts with it (serialised-key prefix entities). */
  invalidate(keyAi: string, keyValue: string, prefix = false): void {
    const cacheKey = `${keyAi}/${keyValue}`;
    if (!prefix) {
      this.keys.delete(cacheKey);
      return;
    }
    for (const k of this.keys.keys()) if (k.startsWith(cacheKey)) this.keys.delete(k);
  }

  clear(): void {
    this.keys.clear();
  }

  get size(): number {
    return this.keys.size;
  }

  private fresh(cacheKey: string): KeyEntry | undefined {
    const entry = this.keys.get(cacheKey);
    if (!entry) return undefined;
    if (this.now() - entry.readAt >= this.ttlMs) {
      this.keys.delete(cacheKey);
      return undefined;
    }
    return entry;
  }

  private store(cacheKey: string, entry: KeyEntry): void {
    this.keys.delete(cacheKey);
    this.keys.set(cacheKey, entry);
    if (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
  }
}
