// Linters for values with an inner structure: piece of total (8006, 8026), position in sequence
// (7258) and IBAN (8007), after gs1/gs1-syntax-engine's lint_pieceoftotal.c,
// lint_posinseqslash.c and lint_iban.c.
import { ISO3166_ALPHA2 } from './code-lists';
import type { Lint } from './linters';

const invalid = (reason: string, position = 0): Lint => ({ code: 'invalid_value', position, reason });

/** "PPTT": piece number then total, equal widths, neither zero, piece not above total. */
export function lintPieceOfTotal(data: string): Lint | undefined {
  if (!/^\d+$/.test(data) || data.length % 2 !== 0)
    return invalid('is not a piece number followed by a total');
  const half = data.length / 2;
  const piece = data.slice(0, half);
  const total = data.slice(half);
  if (/^0+$/.test(piece)) return invalid('has piece number 0 (pieces count from 1)');
  if (/^0+$/.test(total)) return invalid('has a total of 0 pieces', half);
  // Equal widths, so comparing the strings compares the numbers.
  if (piece > total) return invalid(`has piece ${Number(piece)} of only ${Number(total)}`);
  return undefined;
}

/** "<pos>/<end>" without leading zeros, pos not above end. */
export function lintPositionInSequence(data: string): Lint | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(data);
  if (!match) return invalid('is not a position in a sequence such as 1/3');
  const [, pos = '', end = ''] = match;
  if (pos.startsWith('0')) return invalid('has a position starting with 0');
  if (end.startsWith('0')) return invalid('has an end starting with 0', pos.length + 1);
  if (pos.length > end.length || (pos.length === end.length && pos > end))
    return invalid('has a position after the end');
  return undefined;
}

const IBAN_MIN_LENGTH = 11; // The engine accepts more than 10 characters: enough for the check digits.
const IBAN_MAX_LENGTH = 34; // ISO 13616-1.

/** ISO 13616 IBAN: country code, length, characters and the mod-97 check. */
export function lintIban(data: string): Lint | undefined {
  if (!ISO3166_ALPHA2.has(data.slice(0, 2))) return invalid('does not start with an ISO 3166 country code');
  if (data.length > IBAN_MAX_LENGTH) return invalid(`is longer than an IBAN (${IBAN_MAX_LENGTH} characters)`);
  if (data.length < IBAN_MIN_LENGTH) return invalid('is too short for an IBAN');
  const rearranged = data.slice(4) + data.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const char = rearranged.charAt(i);
    const value = parseInt(char, 36);
    if (!/[0-9A-Z]/.test(char) || Number.isNaN(value)) {
      return invalid('is not an IBAN: only digits and capital letters are allowed', (i + 4) % data.length);
    }
    remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97;
  }
  return remainder === 1 ? undefined : invalid('is not a valid IBAN: its check digits are wrong', 2);
}
