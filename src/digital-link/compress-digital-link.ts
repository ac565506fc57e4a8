// GS1 Digital Link compression: a link's AIs (and, by default, its other query parameters) as one
// base64url path segment, bit for bit as GS1's reference implementation writes it. Pure.
import { BASE64URL_ALPHABET, bitsToBase64Url, isBase64Url, unsignedToBits } from './bit-string';
import { encodeAiValue, encodeText, isEncodableText } from './compressed-value';
import { aiLengthOfPrefix, compressedFormatOf, OPTIMISATIONS } from './compression-format';
import { parseDigitalLink } from './parse-digital-link';
import { decodeQueryText } from './percent-encoding';
import type { AiValue, DigitalLinkError, ParseOptions } from './types';

export interface CompressOptions {
  /** Use GS1's optimisation codes for common AI sequences (table Opt). Default true. */
  optimise?: boolean;
  /** Put the other query parameters (linkType, context, a brand's own) inside too. Default true. */
  compressOtherParameters?: boolean;
  /** Keep /<key AI>/<key> readable before the compressed rest ("partially compressed"). Default false. */
  keepPrimaryKey?: boolean;
}

export type CompressOutcome = { ok: true; uri: string } | { ok: false; error: DigitalLinkError };

const refuse = (message: string, ai?: string): { ok: false; error: DigitalLinkError } => ({
  ok: false,
  error: { code: 'not_compressible', message, ...(ai !== undefined && { ai }) },
});

// Hex digits, so an optimisation code ("1A") writes the same way as an AI's digits.
const nibbles = (code: string): string => [...code].map((c) => unsignedToBits(parseInt(c, 16), 4)).join('');

/**
 * The reference's greedy choice: while some optimisation's AIs are all present, take the one that
 * covers the most AI digits (the first in table order on a tie) and remove its AIs.
 */
function chooseOptimisations(ais: string[]): { codes: string[]; rest: string[] } {
  const rest = [...ais];
  const codes: string[] = [];
  for (;;) {
    let best = '';
    let bestLength = 0;
    for (const [code, sequence] of OPTIMISATIONS) {
      if (!sequence.every((ai) => rest.includes(ai))) continue;
      const length = sequence.join('').length;
      if (length > bestLength) [best, bestLength] = [code, length];
    }
    if (best === '') return { codes, rest };
    codes.push(best);
    for (const ai of OPTIMISATIONS.get(best)!) rest.splice(rest.indexOf(ai), 1);
  }
}

/** A non-AI query parameter: flag F, its name in base64url, then its value as text. */
function encodeParameter([name, value]: [string, string]): string {
  const nameBits = [...name].map((c) => unsignedToBits(BASE64URL_ALPHABET.indexOf(c), 6)).join('');
  return `1111${unsignedToBits(name.length, 7)}${nameBits}${encodeText(value, unsignedToBits(value.length, 7))}`;
}

/** Whether a query parameter can travel inside: a base64url name and an ASCII value, each under 128. */
export const isCompressibleParameter = ([name, value]: [string, string]): boolean =>
  name.length > 0 && name.length < 128 && isBase64Url(name) && value.length < 128 && isEncodableText(value);

/**
 * The base64url segment for `elements` (AIs, each once) and `parameters` (other query
 * parameters, already decoded, each compressible). AIs go in sorted order after any optimised
 * sequences, as the reference writes them.
 */
export function compressElements(
  elements: readonly AiValue[],
  parameters: readonly [string, string][] = [],
  options: Pick<CompressOptions, 'optimise'> = {},
): { ok: true; segment: string } | { ok: false; error: DigitalLinkError } {
  const values = new Map(elements.map((e) => [e.ai, e.value]));
  for (const ai of values.keys()) {
    if (aiLengthOfPrefix(ai.slice(0, 2)) !== ai.length || !compressedFormatOf(ai))
      return refuse(`(${ai}) cannot be compressed: GS1's compression table has no format for it`, ai);
  }
  const sorted = [...values.keys()].sort();
  const { codes, rest } =
    options.optimise === false ? { codes: [], rest: sorted } : chooseOptimisations(sorted);
  let bits = '';
  const encode = (ai: string): DigitalLinkError | undefined => {
    const encoded = encodeAiValue(ai, values.get(ai)!, compressedFormatOf(ai)!);
    if (!encoded.ok) return { code: 'not_compressible', ai, message: encoded.message };
    bits += encoded.bits;
    return undefined;
  };
  for (const code of codes) {
    bits += nibbles(code);
    for (const ai of OPTIMISATIONS.get(code)!) {
      const error = encode(ai);
      if (error) return { ok: false, error };
    }
  }
  for (const ai of rest) {
    bits += nibbles(ai);
    const error = encode(ai);
    if (error) return { ok: false, error };
  }
  for (const parameter of parameters) {
    if (!isCompressibleParameter(parameter))
      return refuse(`The query parameter "${parameter[0]}" cannot be compressed`);
    bits += encodeParameter(parameter);
  }
  return { ok: true, segment: bitsToBase64Url(bits) };
}

interface QueryParameter {
  /** As written in the URI. */
  raw: string;
  decoded: [string, string];
}

/** The query's parameters that are not AIs, in order ("name" alone decodes to [name, '']). */
function otherParameters(query: string): QueryParameter[] {
  const parameters: QueryParameter[] = [];
  for (const raw of query.split('&')) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    const name = eq < 0 ? raw : raw.slice(0, eq);
    if (eq >= 0 && /^\d+$/.test(name)) continue;
    parameters.push({
      raw,
      decoded: [decodeQueryText(name), eq < 0 ? '' : decodeQueryText(raw.slice(eq + 1))],
    });
  }
  return parameters;
}

/**
 * Compresses a Digital Link URI (validated first with `parseOptions`): scheme, host and any path
 * before the key stay as they are, e.g. https://id.gs1.org/01/09506000134352/10/ABC ->
 * https://id.gs1.org/<segment>. Parameters that cannot travel inside stay in the query.
 */
export function compressDigitalLinkUri(
  uri: string,
  options: CompressOptions = {},
  parseOptions: ParseOptions = {},
): CompressOutcome {
  const parsed = parseDigitalLink(uri, parseOptions);
  if (!parsed.ok) return parsed;
  const { link } = parsed;
  const origin = /^https?:\/\/[^/]+/i.exec(uri)![0];
  const query = uri.split('#', 1)[0]!.split('?').slice(1).join('?');
  const others = otherParameters(query);
  const inside =
    options.compressOtherParameters === false ? [] : others.filter((p) => isCompressibleParameter(p.decoded));
  const outside = others.filter((p) => !inside.includes(p));
  const keep = options.keepPrimaryKey === true;
  const elements = [...(keep ? [] : [link.primaryKey]), ...link.qualifiers, ...link.attributes];
  const compressed = compressElements(
    elements,
    inside.map((p) => p.decoded),
    options,
  );
  if (!compressed.ok) return compressed;
  const key = keep ? `/${link.primaryKey.ai}/${link.primaryKey.value}` : '';
  // Left as written: passed on byte for byte, like any query the resolver does not read.
  const tail = outside.length > 0 ? `?${outside.map((p) => p.raw).join('&')}` : '';
  const segment = compressed.segment === '' ? '' : `/${compressed.segment}`;
  return { ok: true, uri: `${origin}${link.stem}${key}${segment}${tail}` };
}
