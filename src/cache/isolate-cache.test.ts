import { describe, expect, it } from 'vitest';
import { cacheTtlMs, IsolateCache, MAX_STALENESS_MS } from './isolate-cache';

function counter() {
  let loads = 0;
  return {
    get loads() {
      return loads;
    },
    load: (value: string) => async () => {
      loads++;
      return value;
    },
  };
}

describe('IsolateCache', () => {
  it('answers from memory until the TTL passes', async () => {
    let now = 0;
    const cache = new IsolateCache<string>(60_000, 100, () => now);
    const c = counter();
    expect(await cache.get('k', c.load('a'))).toBe('a');
    now = 59_999;
    expect(await cache.get('k', c.load('b'))).toBe('a');
    expect(cache.readAt('k')).toBe(0);
    now = 60_000;
    expect(await cache.get('k', c.load('c'))).toBe('c');
    expect(c.loads).toBe(2);
  });

  it('shares one load between concurrent misses of a key', async () => {
    const cache = new IsolateCache<string>();
    const c = counter();
    const values = await Promise.all([
      cache.get('k', c.load('a')),
      cache.get('k', c.load('b')),
      cache.get('k', c.load('c')),
    ]);
    expect(values).toEqual(['a', 'a', 'a']);
    expect(c.loads).toBe(1);
  });

  it('does not store a load that was under way when something was invalidated', async () => {
    const cache = new IsolateCache<string>();
    let release!: () => void;
    const slow = cache.get(
      'k',
      () => new Promise<string>((resolve) => (release = () => resolve('before the write'))),
    );
    cache.invalidate('k'); // a write lands while the read is in flight
    release();
    expect(await slow).toBe('before the write'); // its caller still gets an answer…
    expect(cache.peek('k')).toBeUndefined(); // …but the cache does not keep it
    expect(await cache.get('k', async () => 'after the write')).toBe('after the write');
  });

  it('forgets entries by predicate, and evicts the least recently used past its bound', async () => {
    const cache = new IsolateCache<{ org: string }>(60_000, 2);
    await cache.get('a', async () => ({ org: 'o1' }));
    await cache.get('b', async () => ({ org: 'o2' }));
    cache.peek('a'); // a is now the most recent
    await cache.get('c', async () => ({ org: 'o1' })); // evicts b
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')].map((v) => v?.org)).toEqual([
      'o1',
      undefined,
      'o1',
    ]);
    cache.invalidateWhere((_key, value) => value.org === 'o1');
    expect(cache.size).toBe(0);
  });

  it('refuses a TTL beyond the documented 60 s bound', () => {
    expect(() => new IsolateCache(MAX_STALENESS_MS + 1)).toThrow(/60000/);
  });
});

describe('cacheTtlMs', () => {
  it.each([
    [30, 30_000],
    [0, 0],
    [60, 60_000],
    [600, MAX_STALENESS_MS], // never more than the documented bound
    [-5, 0],
    [undefined, MAX_STALENESS_MS],
    [Number.NaN, MAX_STALENESS_MS], // an unset var, Number(undefined)
    [Number('soon'), MAX_STALENESS_MS],
  ])('%s s → %s ms', (seconds, ms) => {
    expect(cacheTtlMs(seconds)).toBe(ms);
  });
});
