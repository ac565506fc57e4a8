// Bits as a string of "0" and "1", and their base64url form (RFC 4648 §5, no padding), as GS1
// Digital Link compression writes them: six bits a character, the last one padded with zeros.
// A compressed link holds a few hundred bits, so strings are simpler than packed words and cost
// no more.

export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const SIX_BITS = [...BASE64URL_ALPHABET].map((_, i) => i.toString(2).padStart(6, '0'));
const INDEX = new Map([...BASE64URL_ALPHABET].map((char, i) => [char, i]));

export const isBase64Url = (text: string): boolean => /^[A-Za-z0-9_-]+$/.test(text);

/** `text` must be base64url (isBase64Url). */
export function base64UrlToBits(text: string): string {
  let bits = '';
  for (const char of text) bits += SIX_BITS[INDEX.get(char)!];
  return bits;
}

export function bitsToBase64Url(bits: string): string {
  let text = '';
  for (let i = 0; i < bits.length; i += 6)
    text += BASE64URL_ALPHABET[parseInt(bits.slice(i, i + 6).padEnd(6, '0'), 2)];
  return text;
}

/** `value` (a non-negative integer in decimal digits) as exactly `width` bits. */
export function decimalToBits(digits: string, width: number): string {
  const binary = digits.length <= 15 ? Number(digits).toString(2) : BigInt(digits).toString(2);
  return binary.padStart(width, '0');
}

export function unsignedToBits(value: number, width: number): string {
  return value.toString(2).padStart(width, '0');
}

/** Reads bits front to back; `take` returns null when fewer than `count` bits are left. */
export class BitReader {
  private cursor = 0;

  constructor(private readonly bits: string) {}

  get remaining(): number {
    return this.bits.length - this.cursor;
  }

  take(count: number): string | null {
    if (count > this.remaining) return null;
    const taken = this.bits.slice(this.cursor, this.cursor + count);
    this.cursor += count;
    return taken;
  }

  /** Steps back over the last `count` bits read. */
  rewind(count: number): void {
    this.cursor = Math.max(0, this.cursor - count);
  }

  /** `count` bits as an unsigned number (count ≤ 32), or null past the end. */
  unsigned(count: number): number | null {
    const taken = this.take(count);
    return taken === null ? null : count === 0 ? 0 : parseInt(taken, 2);
  }

  /** `count` bits as a decimal integer in digits (any width), or null past the end. */
  decimal(count: number): string | null {
    const taken = this.take(count);
    if (taken === null) return null;
    return count <= 53 ? String(parseInt(taken, 2)) : BigInt(`0b${taken}`).toString();
  }
}
