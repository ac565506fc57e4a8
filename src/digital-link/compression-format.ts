// Reads the compression tables (compression-tables.ts) once at load, and the two bit-count rules
// the encoding uses for lengths and digits.
import { AI_LENGTH_BY_PREFIX, OPTIMISATION_SEQUENCES, VALUE_FORMATS } from './compression-tables';

/** One component of an AI's value: numeric or alphanumeric, of fixed length or up to a maximum. */
export interface CompressedComponent {
  numeric: boolean;
  fixed: boolean;
  /** The fixed length, or the maximum. */
  length: number;
}

const FORMATS = new Map<string, CompressedComponent[]>();
for (const line of VALUE_FORMATS.trim().split('\n')) {
  const [range = '', ...tokens] = line.trim().split(/\s+/);
  const components = tokens.map((token): CompressedComponent => {
    const match = /^([NX])(\.\.)?(\d+)$/.exec(token);
    if (!match) throw new Error(`Compression table: bad component ${token}`);
    return { numeric: match[1] === 'N', fixed: !match[2], length: Number(match[3]) };
  });
  const [first = range, last = range] = range.split('-');
  for (let n = Number(first); n <= Number(last); n++)
    FORMATS.set(String(n).padStart(first.length, '0'), components);
}

/** The value format of an AI in GS1's compression table, or undefined when it has none. */
export function compressedFormatOf(ai: string): readonly CompressedComponent[] | undefined {
  return FORMATS.get(ai);
}

/** How many digits an AI starting with these two digits has, or undefined (not compressible). */
export function aiLengthOfPrefix(prefix: string): number | undefined {
  return AI_LENGTH_BY_PREFIX[prefix];
}

export const OPTIMISATIONS: ReadonlyMap<string, readonly string[]> = new Map(OPTIMISATION_SEQUENCES);

// The reference's own formulas, floating point and all, so that every bit count agrees with it:
// ceil(log2(max) + 0.01) bits hold a length up to `max`, ceil(n · log2(10) + 0.01) bits n digits.
export function lengthBits(maxLength: number): number {
  return Math.ceil(Math.log(maxLength) / Math.log(2) + 0.01);
}

export function digitBits(digits: number): number {
  return Math.ceil((digits * Math.log(10)) / Math.log(2) + 0.01);
}

/** Every AI the table can compress (for tests and the description of what is supported). */
export function compressibleAis(): string[] {
  return [...FORMATS.keys()];
}
