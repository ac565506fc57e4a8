// GS1 check digits (GS1 General Specifications 7.9.1) and the alphanumeric check character pair
// of the GMN (7.9.5), as the syntax dictionary's "csum" and "csumalpha" linters apply them.

/**
 * The mod-10 check digit for a string of digits that does not yet have one: weights 3 and 1
 * alternate from the rightmost digit, and the check digit brings the sum up to a multiple of 10.
 */
export function computeCheckDigit(digits: string): number {
  if (!/^\d*$/.test(digits)) throw new Error('computeCheckDigit needs digits only');
  let sum = 0;
  for (let i = digits.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `digits` is the correct check digit of the ones before it. */
export function hasValidCheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return computeCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** Appends the check digit, e.g. "950600013435" -> "9506000134352". */
export function withCheckDigit(digits: string): string {
  return digits + String(computeCheckDigit(digits));
}

// Weights are the primes in ascending order from the rightmost data character; values are the
// positions of characters in the ordered character set 82 and of check characters in set 32.
const CSET82_ORDERED = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const CSET32_ORDERED = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function primes(count: number): number[] {
  const found: number[] = [];
  for (let n = 2; found.length < count; n++) {
    if (found.every((p) => n % p !== 0)) found.push(n);
  }
  return found;
}
const PRIMES = primes(97);

/** The two check characters for `data` (characters of set 82), or undefined when it cannot have them. */
export function computeCheckCharacterPair(data: string): string | undefined {
  if (data.length > PRIMES.length) return undefined;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const value = CSET82_ORDERED.indexOf(data.charAt(i));
    const weight = PRIMES[data.length - 1 - i];
    if (value < 0 || weight === undefined) return undefined;
    sum += value * weight;
  }
  sum %= 1021;
  return CSET32_ORDERED.charAt(sum >> 5) + CSET32_ORDERED.charAt(sum & 31);
}
