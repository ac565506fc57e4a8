// The bits of one value in a compressed Digital Link: an AI's value component by component
// (table F), or the value of another query parameter. Alphanumeric text goes in the densest of
// five encodings that holds it, named by a 3-bit indicator.
import { BASE64URL_ALPHABET, type BitReader, decimalToBits, unsignedToBits } from './bit-string';
import { type CompressedComponent, digitBits, lengthBits } from './compression-format';

const HEX = '0123456789ABCDEF';

/** The 3-bit encoding indicators; a later test wins, as in the reference. */
enum TextEncoding {
  Digits = 0,
  HexLower = 1,
  HexUpper = 2,
  Base64Url = 3,
  Ascii = 4,
}

function encodingOf(text: string): TextEncoding {
  if (/^[0-9]+$/.test(text)) return TextEncoding.Digits;
  if (/^[0-9A-F]+$/.test(text)) return TextEncoding.HexUpper;
  if (/^[0-9a-f]+$/.test(text)) return TextEncoding.HexLower;
  if (/^[A-Za-z0-9_-]+$/.test(text)) return TextEncoding.Base64Url;
  return TextEncoding.Ascii;
}

function charactersToBits(text: string, alphabet: string | null, width: number): string {
  let bits = '';
  for (const char of text) {
    const index = alphabet === null ? char.charCodeAt(0) : alphabet.indexOf(char);
    bits += unsignedToBits(index, width);
  }
  return bits;
}

/** Text as indicator + `lengthField` (already in bits, '' for a fixed length) + its characters. */
export function encodeText(text: string, lengthField: string): string {
  const encoding = encodingOf(text);
  const indicator = unsignedToBits(encoding, 3);
  switch (encoding) {
    case TextEncoding.Digits:
      return indicator + lengthField + decimalToBits(text, digitBits(text.length));
    case TextEncoding.HexLower:
    case TextEncoding.HexUpper:
      return indicator + lengthField + charactersToBits(text.toUpperCase(), HEX, 4);
    case TextEncoding.Base64Url:
      return indicator + lengthField + charactersToBits(text, BASE64URL_ALPHABET, 6);
    case TextEncoding.Ascii:
      return indicator + lengthField + charactersToBits(text, null, 7);
  }
}

/** True when `text` fits the 7-bit ASCII encoding, the widest there is. */
export function isEncodableText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

export type Decoded = { ok: true; value: string } | { ok: false; message: string };

const ended = (what: string): Decoded => ({ ok: false, message: `it ends in the middle of ${what}` });

/** Reads `count` characters in `encoding`; the indicator and any length were read already. */
export function decodeText(reader: BitReader, encoding: number, count: number, what: string): Decoded {
  switch (encoding) {
    case TextEncoding.Digits: {
      const digits = reader.decimal(digitBits(count));
      if (digits === null) return ended(what);
      if (digits.length > count) return { ok: false, message: `${what} holds more than ${count} digits` };
      // The reference drops leading zeros here; the count says how many digits there are.
      return { ok: true, value: digits.padStart(count, '0') };
    }
    case TextEncoding.HexLower:
    case TextEncoding.HexUpper:
    case TextEncoding.Base64Url:
    case TextEncoding.Ascii: {
      const width = encoding === TextEncoding.Base64Url ? 6 : encoding === TextEncoding.Ascii ? 7 : 4;
      let value = '';
      for (let i = 0; i < count; i++) {
        const index = reader.unsigned(width);
        if (index === null) return ended(what);
        if (encoding === TextEncoding.Ascii) value += String.fromCharCode(index);
        else if (encoding === TextEncoding.Base64Url) value += BASE64URL_ALPHABET[index];
        else value += HEX[index];
      }
      return { ok: true, value: encoding === TextEncoding.HexLower ? value.toLowerCase() : value };
    }
    default:
      return { ok: false, message: `${what} uses encoding indicator ${encoding}, which is not defined` };
  }
}

export type Encoded = { ok: true; bits: string } | { ok: false; message: string };

/** An AI's value, component by component as table F splits it. */
export function encodeAiValue(ai: string, value: string, format: readonly CompressedComponent[]): Encoded {
  let bits = '';
  let at = 0;
  const misfit = (): Encoded => ({
    ok: false,
    message: `(${ai}) "${value}" does not fit GS1's compression format for it (${describeFormat(format)})`,
  });
  for (const component of format) {
    const part = component.fixed ? value.slice(at, at + component.length) : value.slice(at);
    at += part.length;
    if (component.fixed && part.length !== component.length) return misfit();
    if (part.length > component.length || !isEncodableText(part)) return misfit();
    const lengthField = component.fixed ? '' : unsignedToBits(part.length, lengthBits(component.length));
    if (component.numeric) {
      if (!/^[0-9]*$/.test(part)) return misfit();
      // An empty optional component still takes one digit's bits (digitBits(0) is 1), as in the reference.
      bits += lengthField + decimalToBits(part === '' ? '0' : part, digitBits(part.length));
    } else {
      bits += encodeText(part, lengthField);
    }
  }
  if (at !== value.length) return misfit();
  return { ok: true, bits };
}

/** Reads an AI's value as table F splits it. */
export function decodeAiValue(
  reader: BitReader,
  ai: string,
  format: readonly CompressedComponent[],
): Decoded {
  let value = '';
  const what = `(${ai})`;
  for (const component of format) {
    if (component.numeric) {
      let count = component.length;
      if (!component.fixed) {
        const length = reader.unsigned(lengthBits(component.length));
        if (length === null) return ended(what);
        if (length > component.length)
          return { ok: false, message: `${what} claims ${length} digits, more than its ${component.length}` };
        count = length;
      }
      const digits = reader.decimal(digitBits(count));
      if (digits === null) return ended(what);
      if (count === 0) continue;
      if (digits.length > count) return { ok: false, message: `${what} holds more than ${count} digits` };
      value += digits.padStart(count, '0');
      continue;
    }
    const encoding = reader.unsigned(3);
    if (encoding === null) return ended(what);
    let count = component.length;
    if (!component.fixed) {
      const length = reader.unsigned(lengthBits(component.length));
      if (length === null) return ended(what);
      if (length > component.length)
        return {
          ok: false,
          message: `${what} claims ${length} characters, more than its ${component.length}`,
        };
      count = length;
    }
    const text = decodeText(reader, encoding, count, what);
    if (!text.ok) return text;
    value += text.value;
  }
  return { ok: true, value };
}

function describeFormat(format: readonly CompressedComponent[]): string {
  return format.map((c) => `${c.numeric ? 'N' : 'X'}${c.fixed ? '' : '..'}${c.length}`).join(' ');
}
