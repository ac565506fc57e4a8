// Sets of rules as bits, for the brand-rule evaluator (evaluate-rules.ts): bit i stands for the
// i-th rule in evaluation order, 32 rules to a word. A scan narrows the candidates with a few
// word-wise ANDs per fact (its link type, its country…) instead of asking every rule in turn: the
// cost of a scan follows the facts it has, not the number of rules, and it reads a few small typed
// arrays rather than every rule's objects, which under load are rarely in the CPU's caches.

/** Rule positions in evaluation order, as bits. */
export type RuleBits = Uint32Array;

export function ruleBits(ruleCount: number): RuleBits {
  return new Uint32Array(Math.ceil(ruleCount / 32));
}

export function addRule(bits: RuleBits, position: number): void {
  bits[position >>> 5]! |= 1 << (position & 31);
}

export function dropRule(bits: RuleBits, position: number): void {
  bits[position >>> 5]! &= ~(1 << (position & 31));
}

export function hasRule(bits: RuleBits, position: number): boolean {
  return (bits[position >>> 5]! & (1 << (position & 31))) !== 0;
}

/** The lowest position in `bits` at or after `from`, or -1. */
export function nextRule(bits: RuleBits, from: number): number {
  for (let word = from >>> 5; word < bits.length; word++) {
    let set = bits[word]!;
    if (word === from >>> 5) set &= -1 << (from & 31);
    if (set !== 0) return word * 32 + 31 - Math.clz32(set & -set);
  }
  return -1;
}

/**
 * One kind of condition (countries, device classes…) indexed by value: the rules that do not have
 * it, which admit every scan, and for each value the rules that name it.
 */
export class ConditionIndex {
  /** Rules without this condition. */
  readonly unconditioned: RuleBits;
  private readonly byValue = new Map<string, RuleBits>();

  constructor(private readonly ruleCount: number) {
    this.unconditioned = ruleBits(ruleCount);
  }

  /** Files the rule at `position` under each of its values, or as unconditioned (undefined). */
  add(position: number, values: Iterable<string> | undefined): void {
    if (values === undefined) {
      addRule(this.unconditioned, position);
      return;
    }
    for (const value of values) {
      let bits = this.byValue.get(value);
      if (!bits) {
        bits = ruleBits(this.ruleCount);
        this.byValue.set(value, bits);
      }
      addRule(bits, position);
    }
  }

  /** The rules that admit a scan with this value (none known: null or undefined), as a fresh set to narrow further. */
  admitting(value: string | null | undefined): RuleBits {
    const admitted = this.unconditioned.slice();
    const named = value == null ? undefined : this.byValue.get(value);
    if (named) for (let word = 0; word < admitted.length; word++) admitted[word]! |= named[word]!;
    return admitted;
  }

  /** Keeps in `candidates` the rules that admit a scan with this value (none known: only unconditioned rules). */
  narrowTo(candidates: RuleBits, value: string | null | undefined): void {
    const named = value == null ? undefined : this.byValue.get(value);
    for (let word = 0; word < candidates.length; word++)
      candidates[word]! &= this.unconditioned[word]! | (named ? named[word]! : 0);
  }

  /** Keeps in `candidates` the rules that admit a scan with any of `values` (none: only unconditioned rules). */
  narrow(candidates: RuleBits, values: readonly string[]): void {
    if (values.length === 1) {
      this.narrowTo(candidates, values[0]);
      return;
    }
    const admitted = this.unconditioned.slice();
    for (const value of values) {
      const named = this.byValue.get(value);
      if (named) for (let word = 0; word < admitted.length; word++) admitted[word]! |= named[word]!;
    }
    for (let word = 0; word < candidates.length; word++) candidates[word]! &= admitted[word]!;
  }
}
