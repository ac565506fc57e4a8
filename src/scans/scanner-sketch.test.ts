import { describe, expect, it } from 'vitest';
import { seededRandom } from '../demo/seeded-random';
import { estimateDistinct, SKETCH_REGISTERS, sketchCell, sketchSums } from './scanner-sketch';

/** Scanner hashes as production writes them: 128 random bits in hex. */
function hmacLike(random: () => number): string {
  return Array.from({ length: 4 }, () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
}

function sketchOf(hashes: Iterable<string>): Map<number, number> {
  const registers = new Map<number, number>();
  for (const h of hashes) {
    const [register, rank] = sketchCell(h);
    registers.set(register, Math.max(registers.get(register) ?? 0, rank));
  }
  return registers;
}

const estimate = (registers: Map<number, number>) => estimateDistinct(sketchSums(registers));

describe('unique-scanner sketch', () => {
  it('puts a hash in one register with a rank, the same every time', () => {
    const [register, rank] = sketchCell('abc');
    expect(sketchCell('abc')).toEqual([register, rank]);
    expect(register).toBeGreaterThanOrEqual(0);
    expect(register).toBeLessThan(SKETCH_REGISTERS);
    expect(rank).toBeGreaterThanOrEqual(1);
    expect(rank).toBeLessThanOrEqual(33);
  });

  it('counts nothing for an empty sketch and ignores repeats', () => {
    expect(estimate(new Map())).toBe(0);
    const once = sketchOf(['p1', 'p2', 'p3']);
    expect(sketchOf(['p1', 'p2', 'p3', 'p1', 'p3', 'p2'])).toEqual(once);
    expect(Math.round(estimate(once))).toBe(3);
  });

  it('merges sketches by register-wise max: the union counts each scanner once', () => {
    const random = seededRandom(7);
    const shared = Array.from({ length: 3000 }, () => hmacLike(random));
    const a = sketchOf([...shared, ...Array.from({ length: 1000 }, () => hmacLike(random))]);
    const b = sketchOf([...shared, ...Array.from({ length: 2000 }, () => hmacLike(random))]);
    const union = new Map(a);
    for (const [r, rank] of b) union.set(r, Math.max(union.get(r) ?? 0, rank));
    expect(Math.abs(estimate(union) - 6000) / 6000).toBeLessThan(0.02);
  });

  it('is within 2 of the truth up to 100 scanners (40 runs, every count)', () => {
    let worst = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const registers = new Map<number, number>();
      for (let n = 1; n <= 100; n++) {
        const [register, rank] = sketchCell(hmacLike(random));
        registers.set(register, Math.max(registers.get(register) ?? 0, rank));
        worst = Math.max(worst, Math.abs(Math.round(estimate(registers)) - n));
      }
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  // Random hex as production hashes, and sequential names as demos use: both must spread.
  const cases = [1_000, 10_000, 30_000, 45_000, 60_000, 100_000].flatMap((n) =>
    [1, 2, 3, 4].map((seed) => ({ n, seed, kind: seed % 2 ? 'hex' : 'sequential' })),
  );
  it.each(cases)('estimates $n distinct ($kind, seed $seed) within 2.5%', ({ n, seed, kind }) => {
    const random = seededRandom(seed * 1009 + n);
    const hashes = Array.from({ length: n }, (_, i) =>
      kind === 'hex' ? hmacLike(random) : `demo${seed}-${i}`,
    );
    const error = Math.abs(estimate(sketchOf(hashes)) - n) / n;
    expect(error).toBeLessThan(n === 100_000 ? 0.02 : 0.025);
  });
});
