// Extracts the AIs of a Digital Link from its path and query string, as gs1_parseDLuri in
// gs1/gs1-syntax-engine dl.c does: the primary key is the rightmost "/AI/value" pair whose AI is a
// primary key, found by walking the path backwards in pairs; what lies before it is the stem.

import type { CheckedAi } from './ai-associations';
import { type AiEntry, lookupAi } from './ai-table';
import { decodeQueryText, type UriComponentKind, unescapeUriComponent } from './percent-encoding';
import type { DigitalLinkError, ParseOptions } from './types';
import { checkValueLength } from './validate-value';

/** The engine's MAX_AIS: path AIs plus query parameters, AI or not. */
export const MAX_AIS = 64;

// Deprecated alphabetic path names (GS1 DL 1.1), accepted only with permitConvenienceAlphas.
const CONVENIENCE_ALPHAS: Record<string, string> = {
  cpid: '8010',
  cpsn: '8011',
  cpv: '22',
  gcn: '255',
  gdti: '253',
  giai: '8004',
  ginc: '401',
  gln: '414',
  glnx: '254',
  gmn: '8013',
  grai: '8003',
  gsin: '402',
  gsrn: '8018',
  gsrnp: '8017',
  gtin: '01',
  itip: '8006',
  lot: '10',
  party: '417',
  refno: '8020',
  ser: '21',
  srin: '8019',
  sscc: '00',
};

export interface ExtractedLink {
  stem: string;
  path: CheckedAi[];
  query: CheckedAi[];
  linkType?: string;
  context?: string;
  extraParams: [string, string][];
}

type Extraction = { ok: true; link: ExtractedLink } | { ok: false; error: DigitalLinkError };

function pathAiEntry(segment: string, options: ParseOptions): AiEntry | undefined {
  const alpha =
    options.permitConvenienceAlphas && /^[^0-9].{2,4}$/.test(segment)
      ? CONVENIENCE_ALPHAS[segment]
      : undefined;
  return lookupAi(alpha ?? segment, options.permitUnknownAIs);
}

/** Decodes one AI value, pads a zero-suppressed GTIN when allowed and checks its length. */
function readValue(
  entry: AiEntry,
  raw: string,
  kind: UriComponentKind,
  options: ParseOptions,
): CheckedAi | DigitalLinkError {
  const where = kind === 'path' ? 'the path' : 'the query string';
  if (raw === '')
    return { code: 'empty_value', ai: entry.ai, message: `(${entry.ai}) has an empty value in ${where}` };
  let value = unescapeUriComponent(raw, kind);
  if (value === null) {
    const message = `(${entry.ai}) value in ${where} contains a percent-encoded NUL (%00)`;
    return { code: 'null_character', ai: entry.ai, message };
  }
  // GTIN-8, -12 and -13 are GTIN-14 with leading zeros suppressed (GS1 GenSpecs 3.3.2).
  if (options.permitZeroSuppressedGTIN && entry.ai === '01' && [8, 12, 13].includes(value.length)) {
    value = value.padStart(14, '0');
  }
  return checkValueLength(entry, value) ?? { ai: entry.ai, value, entry };
}

const tooMany = (): DigitalLinkError => ({
  code: 'too_many_ais',
  message: `Too many AIs: a Digital Link may carry at most ${MAX_AIS} AIs and query parameters`,
});

export function readPathAndQuery(pathInfo: string, query: string, options: ParseOptions): Extraction {
  const trimmed =
    options.permitTrailingSlash && pathInfo.length > 1 && pathInfo.endsWith('/')
      ? pathInfo.slice(0, -1)
      : pathInfo;
  const segments = trimmed.split('/');
  let keyAt = -1;
  for (let i = segments.length - 1; i >= 2; i -= 2) {
    const entry = pathAiEntry(segments[i - 1] ?? '', options);
    if (!entry) break;
    if (entry.qualifierPaths) {
      keyAt = i - 1;
      break;
    }
  }
  if (keyAt < 0) {
    const message =
      'No GS1 Digital Link primary key found in the path: expected /<key AI>/<value>, such as /01/09506000134352';
    return { ok: false, error: { code: 'no_primary_key', message } };
  }

  const link: ExtractedLink = {
    stem: segments.slice(0, keyAt).join('/'),
    path: [],
    query: [],
    extraParams: [],
  };
  for (let i = keyAt; i < segments.length; i += 2) {
    const entry = pathAiEntry(segments[i] ?? '', options);
    if (!entry) throw new Error('unreachable: every AI after the key was looked up while searching for it');
    const read = readValue(entry, segments[i + 1] ?? '', 'path', options);
    if ('code' in read) return { ok: false, error: read };
    if (link.path.length >= MAX_AIS) return { ok: false, error: tooMany() };
    link.path.push(read);
  }

  let count = link.path.length;
  for (const param of query.split('&')) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    if (eq >= 0 && /^\d+$/.test(name)) {
      const entry = lookupAi(name, options.permitUnknownAIs);
      if (!entry) {
        return {
          ok: false,
          error: { code: 'unknown_ai', ai: name, message: `Unknown AI (${name}) in the query string` },
        };
      }
      const read = readValue(entry, param.slice(eq + 1), 'query', options);
      if ('code' in read) return { ok: false, error: read };
      if (++count > MAX_AIS) return { ok: false, error: tooMany() };
      link.query.push(read);
      continue;
    }
    if (++count > MAX_AIS) return { ok: false, error: tooMany() };
    const key = decodeQueryText(name);
    const value = eq < 0 ? '' : decodeQueryText(param.slice(eq + 1));
    if (key === 'linkType' && link.linkType === undefined) link.linkType = value;
    else if (key === 'context' && link.context === undefined) link.context = value;
    else link.extraParams.push([key, value]);
  }
  return { ok: true, link };
}
