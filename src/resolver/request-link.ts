// The Digital Link a resolver request names, compressed or not, parsed as the resolver parses.
import {
  type DigitalLink,
  type DigitalLinkError,
  decompressDigitalLinkPath,
  looksCompressed,
  type ParseOptions,
  parseDigitalLinkPath,
} from '../digital-link';

// Consumers' codes are printed once and live for years: accept what a lenient scanner app might
// produce (GTIN-13 in /01/, a trailing slash) and normalise it, as the issue and GS1 CE do.
// AI associations ("(22) needs (01)") are judged across every carrier on an item, and one scan
// sees one carrier, so the resolver does not enforce them (mutual exclusions still apply).
export const PARSE_OPTIONS: ParseOptions = {
  permitZeroSuppressedGTIN: true,
  permitTrailingSlash: true,
  validateAIAssociations: false,
};

export type RequestLink =
  | { ok: true; link: DigitalLink; search: string; uncompressed?: string }
  | { ok: false; error: DigitalLinkError };

/**
 * The request's Digital Link. A path without a primary key whose last segment is base64url is
 * read as a compressed link (GS1 Digital Link compression): from then on it is its uncompressed
 * form, answered on the spot (the resolver standard asks not to redirect to it) and recorded as
 * such. `search` is the query the link carries, `uncompressed` its path and query when compressed.
 */
export function readRequestLink(pathname: string, search: string): RequestLink {
  const parsed = parseDigitalLinkPath(pathname, search, PARSE_OPTIONS);
  if (parsed.ok) return { ok: true, link: parsed.link, search };
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (parsed.error.code !== 'no_primary_key' || !looksCompressed(path)) return parsed;
  const expanded = decompressDigitalLinkPath(path, search, PARSE_OPTIONS);
  if (!expanded.ok) {
    // Not decodable: it may be no compressed link at all, so say both what it lacks and why it
    // does not decode.
    if (expanded.error.code !== 'invalid_compressed_link') return expanded;
    return {
      ok: false,
      error: { ...expanded.error, message: `${parsed.error.message}. ${expanded.error.message}` },
    };
  }
  const uncompressed = parseDigitalLinkPath(expanded.pathname, expanded.search, PARSE_OPTIONS);
  if (!uncompressed.ok) {
    const message = `In the decompressed Digital Link ${expanded.pathname}${expanded.search}: ${uncompressed.error.message}`;
    return { ok: false, error: { ...uncompressed.error, message } };
  }
  return {
    ok: true,
    link: uncompressed.link,
    search: expanded.search,
    uncompressed: `${expanded.pathname}${expanded.search}`,
  };
}
