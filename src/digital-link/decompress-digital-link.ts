// GS1 Digital Link decompression: from a compressed path (/<segment>, or /<key AI>/<key>/<segment>
// with the primary key left readable) back to the uncompressed path and query that mean the same.
// Pure; every rejection says what is wrong with the compressed form.

import { isPrimaryKey } from './ai-table';
import { BASE64URL_ALPHABET, BitReader, base64UrlToBits, isBase64Url } from './bit-string';
import { decodeAiValue, decodeText } from './compressed-value';
import { aiLengthOfPrefix, compressedFormatOf, OPTIMISATIONS } from './compression-format';
import { generateDigitalLinkUri } from './generate-digital-link';
import { escapeUriComponent, unescapeUriComponent } from './percent-encoding';
import type { AiValue, DigitalLinkError, ValidationOptions } from './types';

export interface DecompressedElements {
  elements: AiValue[];
  /** Non-AI query parameters carried inside, decoded, in order. */
  parameters: [string, string][];
}

type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const hexOf = (nibble: number) => nibble.toString(16).toUpperCase();

/** One non-AI parameter after its F flag: a 7-bit name length, the name, then the value as text. */
function readParameter(reader: BitReader): Read<[string, string]> {
  const nameLength = reader.unsigned(7);
  if (nameLength === null) return { ok: false, message: 'it ends in the middle of a query parameter' };
  let name = '';
  for (let i = 0; i < nameLength; i++) {
    const index = reader.unsigned(6);
    if (index === null) return { ok: false, message: 'it ends in the middle of a query parameter name' };
    name += BASE64URL_ALPHABET[index];
  }
  const encoding = reader.unsigned(3);
  const valueLength = reader.unsigned(7);
  if (encoding === null || valueLength === null)
    return { ok: false, message: `it ends in the middle of the query parameter "${name}"` };
  const value = decodeText(reader, encoding, valueLength, `the query parameter "${name}"`);
  return value.ok ? { ok: true, value: [name, value.value] } : value;
}

/** The AI that starts with the two digits already read, or why it cannot be one. */
function readAi(reader: BitReader, prefix: string): Read<string> {
  const length = aiLengthOfPrefix(prefix);
  if (length === undefined)
    return {
      ok: false,
      message: `it names an AI starting ${prefix}, which GS1's compression table does not define`,
    };
  let ai = prefix;
  while (ai.length < length) {
    const digit = reader.unsigned(4);
    if (digit === null) return { ok: false, message: `it ends in the middle of an AI starting ${ai}` };
    if (digit > 9)
      return { ok: false, message: `it names an AI ${ai}${hexOf(digit)}…, which is not all digits` };
    ai += digit;
  }
  return { ok: true, value: ai };
}

function readValue(reader: BitReader, ai: string, elements: AiValue[]): string | undefined {
  const format = compressedFormatOf(ai);
  if (!format) return `it names (${ai}), which GS1's compression table has no format for`;
  const value = decodeAiValue(reader, ai, format);
  if (!value.ok) return value.message;
  elements.push({ ai, value: value.value });
  return undefined;
}

/**
 * The AIs and parameters in a compressed segment. Reading stops when fewer bits are left than a
 * character's padding (at most five zero bits); anything longer must decode.
 */
export function decompressSegment(segment: string): Read<DecompressedElements> {
  if (!isBase64Url(segment))
    return { ok: false, message: 'a compressed Digital Link uses only A-Z, a-z, 0-9, "-" and "_"' };
  const reader = new BitReader(base64UrlToBits(segment));
  const elements: AiValue[] = [];
  const parameters: [string, string][] = [];
  while (reader.remaining > 5) {
    const high = reader.unsigned(4)!;
    const low = reader.unsigned(4);
    if (low === null) return { ok: false, message: 'it ends after half an AI or code' };
    let problem: string | undefined;
    if (high <= 9 && low <= 9) {
      const ai = readAi(reader, `${high}${low}`);
      problem = ai.ok ? readValue(reader, ai.value, elements) : ai.message;
    } else if (OPTIMISATIONS.has(hexOf(high) + hexOf(low))) {
      for (const ai of OPTIMISATIONS.get(hexOf(high) + hexOf(low))!) {
        problem = readValue(reader, ai, elements);
        if (problem) break;
      }
    } else if (high === 15) {
      // The flag is the first four bits only: the parameter's name length starts right after it.
      reader.rewind(4);
      const parameter = readParameter(reader);
      if (parameter.ok) parameters.push(parameter.value);
      else problem = parameter.message;
    } else {
      problem = `it uses code ${hexOf(high)}${hexOf(low)}, which is neither an AI nor one of GS1's optimisation codes`;
    }
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, value: { elements, parameters } };
}

export type DecompressOutcome =
  | { ok: true; pathname: string; search: string }
  | { ok: false; error: DigitalLinkError };

const invalid = (message: string): DecompressOutcome => ({
  ok: false,
  error: { code: 'invalid_compressed_link', message: `Not a valid compressed GS1 Digital Link: ${message}` },
});

/** True when the path's last segment could be a compressed Digital Link (base64url only). */
export function looksCompressed(pathname: string): boolean {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return last.length > 0 && isBase64Url(last);
}

/**
 * The uncompressed pathname and query (with "?", or '') of a compressed request path: the stem
 * kept, the AIs laid out as generateDigitalLinkUri lays them (key and qualifiers in the path, the
 * rest in the query), the parameters carried inside, then `search` as it came.
 */
export function decompressDigitalLinkPath(
  pathname: string,
  search: string,
  options: ValidationOptions = {},
): DecompressOutcome {
  const segments = pathname.split('/');
  const segment = segments.pop() ?? '';
  const decoded = decompressSegment(segment);
  if (!decoded.ok) return invalid(decoded.message);
  const { elements, parameters } = decoded.value;
  // The bits keep no order of their own (optimised sequences first, then sorted): lay the data
  // attributes out by AI, the order GS1's examples write them in.
  elements.sort((a, b) => (a.ai < b.ai ? -1 : a.ai > b.ai ? 1 : 0));
  // Partially compressed: /<key AI>/<key>/<segment>, the key left readable.
  const keyAi = segments.at(-2);
  const readableKey = keyAi !== undefined && segments.length >= 3 && isPrimaryKey(keyAi);
  if (readableKey) {
    const value = unescapeUriComponent(segments.at(-1)!, 'path');
    if (value === null) return invalid(`its readable (${keyAi}) contains a percent-encoded NUL (%00)`);
    elements.unshift({ ai: keyAi, value });
  }
  const stem = segments.slice(0, readableKey ? -2 : undefined).join('/');
  if (elements.length === 0) return invalid('it holds no AI');
  const uri = generateDigitalLinkUri(elements, { ...options, stem: '' });
  if (!uri.ok) {
    const { error } = uri;
    return { ok: false, error: { ...error, message: `In the decompressed Digital Link: ${error.message}` } };
  }
  const [path = '', query = ''] = uri.uri.split('?');
  const carried = parameters.map(
    ([k, v]) => `${escapeUriComponent(k, 'query')}=${escapeUriComponent(v, 'query')}`,
  );
  const rest = search.startsWith('?') ? search.slice(1) : search;
  const parts = [query, ...carried, rest].filter((p) => p !== '');
  return { ok: true, pathname: `${stem}${path}`, search: parts.length > 0 ? `?${parts.join('&')}` : '' };
}
