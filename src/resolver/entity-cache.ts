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
  /**
   * Every qualifier path stored for the key, when there are few enough to hold. With it, a scan
   * of a new serial or lot (every scan of a serialised product is one) is answered from memory:
   * a path outside the set has no entity, no D1 needed.
   */
  storedPaths?: ReadonlySet<string>;
}

export interface LoadedPaths {
  entities: Map<string, ResolverEntity | null>;
  /** The key's stored paths, or undefined when there are too many to cache (or not asked for). */
  storedPaths?: ReadonlySet<string>;
}

export type LoadPaths = (keyAi: string, keyValue: string, paths: string[], wantStoredPaths: boolean) => Promise<LoadedPaths>;

// Markers (`#…`, e.g. the prefix lookup) are not qualifier paths: the stored-path set says nothing of them.
const isMarker = (path: string) => path.startsWith('#');

/** True when the entry can answer `path` without D1: cached, or provably not stored. */
function knows(entry: KeyEntry, path: string): boolean {
  return entry.byPath.has(path) || (entry.storedPaths !== undefined && !isMarker(path) && !entry.storedPaths.has(path));
}

export class EntityCache {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly inFlight = new Map<string, Promise<LoadedPaths>>();

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
    const missing = entry ? paths.filter((p) => !knows(entry!, p)) : paths;
    if (missing.length > 0) {
      const flightKey = `${cacheKey}|${missing.join('|')}`;
      let flight = this.inFlight.get(flightKey);
      const first = !flight;
      const readAt = this.now();
      if (!flight) {
        flight = load(keyAi, keyValue, missing, !entry).finally(() => this.inFlight.delete(flightKey));
        this.inFlight.set(flightKey, flight);
      }
      const loaded: LoadedPaths = await flight;
      entry = this.fresh(cacheKey) ?? { readAt, byPath: new Map() };
      if (first && loaded.storedPaths && !entry.storedPaths) entry.storedPaths = loaded.storedPaths;
      for (const [path, entity] of loaded.entities) {
        // With the stored-path set known, absent paths need no entry: the set answers them.
        if (entity || !entry.storedPaths || isMarker(path)) entry.byPath.set(path, entity);
      }
      this.store(cacheKey, entry);
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
