import { describe, expect, it } from 'vitest';
import { EntityCache, MAX_STALENESS_MS } from './entity-cache';
import type { ResolverEntity } from './resolver-types';

const entity = (path: string): ResolverEntity => ({
  id: `e${path}`,
  orgId: 'o',
  keyAi: '01',
  keyValue: 'g',
  qualifierPath: path,
  qualifierTemplate: path,
  wildcards: [],
  itemDescription: 'x',
  links: [],
});

function counting(storedPaths?: string[]) {
  const calls: string[][] = [];
  const load = async (_ai: string, _v: string, paths: string[], wantStoredPaths: boolean) => {
    calls.push(paths);
    const entities = new Map(paths.map((p) => [p, p === '' ? entity('') : null] as const));
    return { entities, storedPaths: wantStoredPaths && storedPaths ? new Set(storedPaths) : undefined };
  };
  return { calls, load };
}

describe('EntityCache', () => {
  it('answers repeats from memory, including misses, until the TTL passes', async () => {
    let now = 0;
    const cache = new EntityCache(60_000, 100, () => now);
    const { calls, load } = counting();
    await cache.get('01', 'g', ['', '/10/x'], load);
    now = 59_999;
    const again = await cache.get('01', 'g', ['', '/10/x'], load);
    expect(calls).toHaveLength(1);
    expect(again.get('')?.id).toBe('e');
    expect(again.get('/10/x')).toBeNull();
    now = 60_000;
    await cache.get('01', 'g', [''], load);
    expect(calls).toHaveLength(2);
  });

  it('loads only the paths it has not seen', async () => {
    const cache = new EntityCache();
    const { calls, load } = counting();
    await cache.get('01', 'g', [''], load);
    await cache.get('01', 'g', ['', '/10/a'], load);
    expect(calls).toEqual([[''], ['/10/a']]);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = new EntityCache();
    const { calls, load } = counting();
    await Promise.all([
      cache.get('01', 'g', [''], load),
      cache.get('01', 'g', [''], load),
      cache.get('01', 'g', [''], load),
    ]);
    expect(calls).toHaveLength(1);
  });

  it('forgets a key on invalidate, and prefix invalidation forgets longer values', async () => {
    const cache = new EntityCache();
    const { calls, load } = counting();
    await cache.get('8004', '0950600013431', [''], load);
    await cache.get('8004', '0950600013432', [''], load);
    cache.invalidate('8004', '095060001343', true);
    expect(cache.size).toBe(0);
    await cache.get('01', 'g', [''], load);
    cache.invalidate('01', 'g');
    await cache.get('01', 'g', [''], load);
    expect(calls).toHaveLength(4);
  });

  it('evicts the least recently used key past its bound', async () => {
    const cache = new EntityCache(60_000, 2);
    const { calls, load } = counting();
    await cache.get('01', 'a', [''], load);
    await cache.get('01', 'b', [''], load);
    await cache.get('01', 'a', [''], load); // a is now most recent
    await cache.get('01', 'c', [''], load); // evicts b
    expect(cache.size).toBe(2);
    await cache.get('01', 'a', [''], load);
    expect(calls).toHaveLength(3);
    await cache.get('01', 'b', [''], load);
    expect(calls).toHaveLength(4);
  });

  it('answers new serials of a key from memory once it knows every stored path', async () => {
    const cache = new EntityCache();
    const { calls, load } = counting(['', '/10/{}']);
    await cache.get('01', 'g', ['/21/S1', ''], load);
    const again = await cache.get('01', 'g', ['/21/S2', '/10/L/21/{}', ''], load);
    expect(calls).toEqual([['/21/S1', '']]);
    expect(again.get('/21/S2')).toBeNull();
    await cache.get('01', 'g', ['/10/{}'], load); // stored: must be loaded
    await cache.get('01', 'g', ['#prefix'], load); // a marker, not a path: loaded too
    expect(calls).toHaveLength(3);
  });

  it('peek answers from memory alone: the entity, null for what is not stored, undefined for what it has not read', async () => {
    let now = 0;
    const cache = new EntityCache(60_000, 100, () => now);
    expect(cache.peek('01', 'g')).toBeUndefined();
    const { calls, load } = counting(['', '/10/{}']);
    await cache.get('01', 'g', ['/21/S1', ''], load);
    const known = cache.peek('01', 'g')!;
    expect(known.at('')?.id).toBe('e');
    expect(known.at('/21/S9')).toBeNull(); // outside the stored-path set: no entity, no D1
    expect(known.at('/10/{}')).toBeUndefined(); // stored but not read yet
    expect(known.at('#prefix')).toBeUndefined(); // markers are not in the stored-path set
    expect(calls).toHaveLength(1);
    now = 60_000;
    expect(cache.peek('01', 'g')).toBeUndefined(); // stale: the caller must load
  });

  it('refuses a TTL beyond the documented 60 s bound', () => {
    expect(() => new EntityCache(MAX_STALENESS_MS + 1)).toThrow(/60000/);
  });
});
