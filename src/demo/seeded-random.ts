// mulberry32: a tiny, fast, seeded PRNG — the same demo data, benchmark catalogs and simulations
// on every machine. Not for anything secret (use crypto.getRandomValues there). Import-free so
// Node scripts can load it.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
