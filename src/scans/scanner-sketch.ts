// Unique scanners, mergeable across shards, keys and days: a HyperLogLog sketch (Flajolet et al.,
// 2007) per organisation, UTC day and subject. A scanner hash picks a register and a rank; a
// register keeps its highest rank, so the same scanner sent by two shards, or twice, changes
// nothing, and a union of sketches is the register-wise max. Small counts are exact: each
// subject's day also keeps its scanners' fingerprints until it holds EXACT_SCANNER_LIMIT of them,
// and readers count those while no set they combine is full; past that, the sketch answers.

/** The register count sets the standard error, 1.04 / sqrt(registers) (Flajolet et al.). */
export const SKETCH_PRECISION = 14;
export const SKETCH_REGISTERS = 1 << SKETCH_PRECISION;

/**
 * Fingerprints kept per subject and day before the sketch alone counts: a day with fewer scanners
 * is counted exactly; from there on the sketch's relative error is small (scanner-sketch.test.ts).
 */
export const EXACT_SCANNER_LIMIT = 1000;

/** A 32-bit mix of a string (FNV-1a, then murmur3's finaliser so every input bit spreads). */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The register a scanner hash falls in and its rank (1 + leading zeros of an independent hash).
 * Rehashed: scanner hashes are HMAC hex in production but any string in demos and tests.
 */
export function sketchCell(scannerHash: string): [register: number, rank: number] {
  const register = hash32(scannerHash, 0) >>> (32 - SKETCH_PRECISION);
  return [register, Math.clz32(hash32(scannerHash, 0x9e3779b9)) + 1];
}

/** 53 bits of the two hashes: within one subject's day, fingerprints of different scanners practically never meet. */
export function scannerFingerprint(scannerHash: string): number {
  return hash32(scannerHash, 0) * 2 ** 21 + (hash32(scannerHash, 0x9e3779b9) >>> 11);
}

/** A sketch as D1 sums it: registers holding a rank, and the sum of 2^-rank over them. */
export interface SketchSums {
  filled: number;
  harmonic: number;
}

/** The estimated number of distinct scanners of one sketch. */
export function estimateDistinct({ filled, harmonic }: SketchSums): number {
  const m = SKETCH_REGISTERS;
  const empty = m - filled;
  if (filled === 0) return 0;
  const alpha = 0.7213 / (1 + 1.079 / m);
  // An empty register contributes 2^-0.
  const raw = (alpha * m * m) / (harmonic + empty);
  // The raw estimate runs high below about three times the register count (HyperLogLog++,
  // Heule et al., 2013): linear counting is the better of the two there.
  if (raw <= 3 * m && empty > 0) return m * Math.log(m / empty);
  return raw;
}

/** Sums registers as `estimateDistinct` reads them (D1 does the same in SQL). */
export function sketchSums(registers: ReadonlyMap<number, number>): SketchSums {
  let harmonic = 0;
  for (const rank of registers.values()) harmonic += 2 ** -rank;
  return { filled: registers.size, harmonic };
}
