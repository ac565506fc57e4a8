// Per-isolate cache of what the resolver reads from D1, so that a scan costs no D1 round trip
// once its key is warm: one entry per primary key on the generic IsolateCache (src/cache/isolate-cache.ts),
// which bounds staleness (≤ 60 s), memory (LRU) and shares concurrent loads. An entry grows as
// scans ask for more of the key's paths. Changes through the links API call `invalidate()` in the
// isolate that made them: visible there at once.
import { type CodeBlocks, NO_BLOCKS } from '../blocking/code-blocks';
import { IsolateCache, MAX_STALENESS_MS } from '../cache/isolate-cache';
import type { ResolverEntity } from './resolver-types';

export { MAX_STALENESS_MS };

/** What a cache knows of one stored path of a key, without D1: the entity, null (nothing stored there), or undefined (not known yet). */
export interface KnownEntities {
  at(path: string): ResolverEntity | null | undefined;
  /** The key's blocked codes (src/blocking/), read with its entities; undefined when not known yet. */
  readonly blocks: CodeBlocks | undefined;
}

// Markers (`#…`, e.g. the prefix lookup) are not qualifier paths: the stored-path set says nothing of them.
const isMarker = (path: string) => path.startsWith('#');

class KeyEntry implements KnownEntities {
  /** Canonical qualifier path (or a prefix-match marker) → entity, or null when D1 had none. */
  readonly byPath = new Map<string, ResolverEntity | null>();
  /**
   * Every qualifier path stored for the key, when there are few enough to hold. With it, a scan
   * of a new serial or lot (every scan of a serialised product is one) is answered from memory:
   * a path outside the set has no entity, no D1 needed.
   */
  storedPaths?: ReadonlySet<string>;
  /** Read in the same D1 round trip as the entry's first entities, so a block costs a scan nothing. */
  blocks: CodeBlocks | undefined = undefined;

  at(path: string): ResolverEntity | null | undefined {
    const cached = this.byPath.get(path);
    if (cached !== undefined) return cached;
    return this.storedPaths !== undefined && !isMarker(path) && !this.storedPaths.has(path)
      ? null
      : undefined;
  }
}

export interface LoadedPaths {
  entities: Map<string, ResolverEntity | null>;
  /** The key's stored paths, or undefined when there are too many to cache (or not asked for). */
  storedPaths?: ReadonlySet<string>;
  /** The key's blocks, when asked for. */
  blocks?: CodeBlocks;
}

export type LoadPaths = (
  keyAi: string,
  keyValue: string,
  paths: string[],
  wantStoredPaths: boolean,
  wantBlocks: boolean,
) => Promise<LoadedPaths>;

/** What `known()` answers: the entities at the paths asked for, and the key's blocks. */
export interface KeyLookup {
  byPath: Map<string, ResolverEntity | null>;
  blocks: CodeBlocks | undefined;
}

export class EntityCache {
  private readonly keys: IsolateCache<KeyEntry>;

  constructor(
    ttlMs: number = MAX_STALENESS_MS,
    maxKeys = 20_000,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.keys = new IsolateCache<KeyEntry>(ttlMs, maxKeys, now);
  }

  /** The entities stored at `paths` for the key, from memory when fresh, else from `load`. */
  async get(
    keyAi: string,
    keyValue: string,
    paths: string[],
    load: LoadPaths,
  ): Promise<Map<string, ResolverEntity | null>> {
    return (await this.known(keyAi, keyValue, paths, load)).byPath;
  }

  /** `get`, with the key's blocks (loaded with the entry's first read, or whenever it lacks them). */
  async known(keyAi: string, keyValue: string, paths: string[], load: LoadPaths): Promise<KeyLookup> {
    const cacheKey = `${keyAi}/${keyValue}`;
    let entry = this.keys.peek(cacheKey);
    const missing = entry ? paths.filter((p) => entry!.at(p) === undefined) : paths;
    let blocks = entry?.blocks;
    if (missing.length > 0 || blocks === undefined) {
      const before = blocks;
      const readAt = this.now();
      const epoch = this.keys.currentEpoch;
      const wantStoredPaths = !entry;
      const wantBlocks = blocks === undefined;
      const loaded = await this.keys.singleFlight(
        `${cacheKey}|${missing.join('|')}|${wantBlocks ? 'blocks' : ''}`,
        () => load(keyAi, keyValue, missing, wantStoredPaths, wantBlocks),
      );
      // A load that raced an invalidation answers this scan but is merged into nothing kept.
      const storable = this.keys.storable(epoch);
      const current = storable ? this.keys.peek(cacheKey) : undefined;
      entry = current ?? new KeyEntry();
      if (loaded.storedPaths && !entry.storedPaths) entry.storedPaths = loaded.storedPaths;
      // Read no earlier than the entry itself, so the entry's TTL bounds their staleness too (a
      // loader that answers none when asked holds none). Blocks of an entry that expired meanwhile
      // answer this scan only: kept in a newer entry, they would outlive their TTL.
      if (wantBlocks && !entry.blocks) entry.blocks = loaded.blocks ?? NO_BLOCKS;
      blocks = entry.blocks ?? before;
      for (const [path, entity] of loaded.entities) {
        // With the stored-path set known, absent paths need no entry: the set answers them.
        if (entity || !entry.storedPaths || isMarker(path)) entry.byPath.set(path, entity);
      }
      if (storable && !current) this.keys.set(cacheKey, entry, readAt);
    }
    const byPath = new Map<string, ResolverEntity | null>();
    for (const p of paths) byPath.set(p, entry!.byPath.get(p) ?? null);
    return { byPath, blocks };
  }

  /** The key's fresh entry, to answer paths from memory alone (no load); undefined when not cached. */
  peek(keyAi: string, keyValue: string): KnownEntities | undefined {
    return this.keys.peek(`${keyAi}/${keyValue}`);
  }

  /** Forgets a key; with `prefix`, every cached key whose value starts with it (serialised-key prefix entities). */
  invalidate(keyAi: string, keyValue: string, prefix = false): void {
    const cacheKey = `${keyAi}/${keyValue}`;
    if (prefix) this.keys.invalidateWhere((k) => k.startsWith(cacheKey));
    else this.keys.invalidate(cacheKey);
  }

  clear(): void {
    this.keys.clear();
  }

  get size(): number {
    return this.keys.size;
  }
}
