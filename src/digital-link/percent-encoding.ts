// Percent-decoding and -encoding of AI values in Digital Link URIs, byte for byte as the GS1
// Syntax Engine does it (dl.c URIunescape / URIescape). AI values are ASCII (character set 82),
// so a decoded byte becomes the character with the same code; any byte above 0x7F then fails the
// character-set check with a clear message instead of being guessed at.

export type UriComponentKind = 'path' | 'query';

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Decodes %XX sequences (hex digits in either case). In a query value "+" means a space; in a
 * path segment it stays "+". A malformed or truncated "%" sequence is kept as it is. Returns
 * null when the value contains %00, which no AI may carry.
 */
export function unescapeUriComponent(input: string, kind: UriComponentKind): string | null {
  // Most values carry nothing to decode: every scan of a plain GTIN, lot and serial.
  if (!input.includes('%') && (kind === 'path' || !input.includes('+'))) return input;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const char = input.charAt(i);
    const hex = input.slice(i + 1, i + 3);
    if (char === '%' && HEX_PAIR.test(hex)) {
      const byte = parseInt(hex, 16);
      if (byte === 0) return null;
      out += String.fromCharCode(byte);
      i += 2;
    } else {
      out += kind === 'query' && char === '+' ? ' ' : char;
    }
  }
  return out;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Encodes everything but the unreserved characters A-Z a-z 0-9 - . _ ~ as %XX (upper case);
 * a space becomes "+" in a query value and %20 in a path segment. Characters above U+00FF are
 * encoded as their UTF-8 bytes.
 */
export function escapeUriComponent(value: string, kind: UriComponentKind): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === ' ' && kind === 'query') out += '+';
    else
      out += bytesOf(char)
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
  }
  return out;
}

function bytesOf(char: string): number[] {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? [code] : [...new TextEncoder().encode(char)];
}

/**
 * Decodes a query parameter name or value that is not an AI value (linkType, context, pass-through
 * parameters) as a browser would: "+" is a space and %XX sequences are UTF-8. If the sequences are
 * not valid UTF-8 the text is returned with only "+" replaced.
 */
export function decodeQueryText(input: string): string {
  const spaced = input.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
