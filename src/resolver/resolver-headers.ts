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

export function linkHeader(linksetUrl: string, withJsonLdContext: boolean): string {
  const linkset = `<${linksetUrl}>${LINKSET_PARAMS}`;
  return withJsonLdContext ? `${linkset}, ${JSONLD_CONTEXT_LINK}` : linkset;
}
