// Headers every resolver response carries: CORS (GS1 resolver standard: "SHALL support CORS"; the
// suite's corsCheck/methodsCheck) and the `Link` to the linkset (rel="linkset" on every response).

// Every header costs a scan CPU time (bench/RESULTS.md), so each response carries only what it needs.

/**
 * On a redirect: any web page may follow it. Nothing more: a script never sees a redirect's
 * headers (fetch follows it, or hands back an opaque response), so exposing them is moot.
 */
export const REDIRECT_CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
};

/** On every other resolver answer (linkset, 300, errors): any web page may read it, Link included. */
export const RESOLVER_CORS_HEADERS: Readonly<Record<string, string>> = {
  ...REDIRECT_CORS_HEADERS,
  'Access-Control-Expose-Headers': 'Link, Location, Content-Type',
};

/**
 * The answer to a preflight (OPTIONS) adds what browsers read from a preflight only (Fetch
 * standard): repeating these on every 307 would only add bytes and work to each scan.
 */
export const RESOLVER_PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...RESOLVER_CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Accept, Accept-Language, Content-Type',
  'Access-Control-Max-Age': '86400',
};

// GS1-Conformant Resolver standard 1.1: linkset responses point at the JSON-LD context that
// maps linkset keys onto the GS1 Web Vocabulary.
export const LINKSET_JSONLD_CONTEXT = 'https://ref.gs1.org/standards/resolver/linkset-context';
const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

// Formatted here rather than with a Link-header library: those leave token values unquoted
// (`rel=linkset`, valid RFC 8288), but GS1's resolver test suite looks for `rel="linkset"`
// literally. Every value is quoted; the tests parse the result with http-link-header.
function linkParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `; ${k}="${v.replace(/["\\]/g, '\\$&')}"`)
    .join('');
}

// Formatted once: only the linkset's URI differs from one response to the next.
const LINKSET_PARAMS = linkParams({ rel: 'linkset', type: 'application/linkset+json' });
const JSONLD_CONTEXT_LINK = `<${LINKSET_JSONLD_CONTEXT}>${linkParams({ rel: JSONLD_CONTEXT_REL, type: 'application/ld+json' })}`;
// GS1-Conformant Resolver 1.2: a compressed request names its uncompressed URI with rel="owl:sameAs".
const SAME_AS_PARAMS = linkParams({ rel: 'owl:sameAs' });

/**
 * The Link header: the linkset (none for a key that has none), the JSON-LD context on linkset
 * answers, and the uncompressed URI when the request was compressed. Undefined when empty.
 */
export function linkHeader(
  linksetUrl: string | null,
  withJsonLdContext: boolean,
  sameAs?: string,
): string | undefined {
  // The common case, a scan of an uncompressed link: one string, no array (every scan builds it).
  if (!withJsonLdContext && sameAs === undefined && linksetUrl !== null)
    return `<${linksetUrl}>${LINKSET_PARAMS}`;
  const parts: string[] = [];
  if (linksetUrl !== null) parts.push(`<${linksetUrl}>${LINKSET_PARAMS}`);
  if (withJsonLdContext) parts.push(JSONLD_CONTEXT_LINK);
  if (sameAs !== undefined) parts.push(`<${sameAs}>${SAME_AS_PARAMS}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
