import { describe, expect, it } from 'vitest';
import { addRule, ConditionIndex, dropRule, hasRule, nextRule, ruleBits } from './rule-bits';

const positions = (bits: Uint32Array) => {
  const found: number[] = [];
  for (let p = nextRule(bits, 0); p !== -1; p = nextRule(bits, p + 1)) found.push(p);
  return found;
};

describe('rule bits', () => {
  it('hold positions across words, the sign bit of a word included', () => {
    const bits = ruleBits(100);
    expect(bits.length).toBe(4);
    for (const p of [0, 5, 31, 32, 63, 64, 99]) addRule(bits, p);
    expect(positions(bits)).toEqual([0, 5, 31, 32, 63, 64, 99]);
    dropRule(bits, 31);
    dropRule(bits, 64);
    expect(positions(bits)).toEqual([0, 5, 32, 63, 99]);
    expect(hasRule(bits, 63)).toBe(true);
    expect(hasRule(bits, 64)).toBe(false);
  });

  it('nextRule starts at its position, ignoring lower bits of the same word', () => {
    const bits = ruleBits(70);
    for (const p of [33, 40, 69]) addRule(bits, p);
    expect(nextRule(bits, 0)).toBe(33);
    expect(nextRule(bits, 33)).toBe(33);
    expect(nextRule(bits, 34)).toBe(40);
    expect(nextRule(bits, 41)).toBe(69);
    expect(nextRule(bits, 70)).toBe(-1);
    expect(nextRule(ruleBits(0), 0)).toBe(-1);
  });
});

describe('ConditionIndex', () => {
  // Rules 0 and 2 name countries, rule 1 has no country condition, rule 3 names none it could meet.
  const index = new ConditionIndex(40);
  index.add(0, ['CA', 'FR']);
  index.add(1, undefined);
  index.add(2, ['FR']);
  index.add(3, []);
  index.add(35, ['US']);

  it('admits the rules without the condition and those naming the value', () => {
    expect(positions(index.admitting('FR'))).toEqual([0, 1, 2]);
    expect(positions(index.admitting('CA'))).toEqual([0, 1]);
    expect(positions(index.admitting('US'))).toEqual([1, 35]);
    expect(positions(index.admitting('DE'))).toEqual([1]);
    expect(positions(index.admitting(null))).toEqual([1]);
    expect(positions(index.admitting(undefined))).toEqual([1]);
  });

  it('narrows a candidate set by one value or by any of several', () => {
    const all = () => {
      const bits = ruleBits(40);
      for (const p of [0, 1, 2, 3, 35]) addRule(bits, p);
      return bits;
    };
    const byOne = all();
    index.narrowTo(byOne, 'FR');
    expect(positions(byOne)).toEqual([0, 1, 2]);
    const byAny = all();
    index.narrow(byAny, ['CA', 'US']);
    expect(positions(byAny)).toEqual([0, 1, 35]);
    const byNone = all();
    index.narrow(byNone, []);
    expect(positions(byNone)).toEqual([1]);
    // Narrowing never adds: a rule already dropped stays dropped.
    const some = ruleBits(40);
    addRule(some, 2);
    index.narrowTo(some, 'CA');
    expect(positions(some)).toEqual([]);
  });
});
