// The parts of a request's URL, read from `request.url` by slicing. workerd has already parsed and
// normalised that string when it built the Request (it is `new URL(url).href`), so parsing it a
// second time with `new URL` on every scan would only repeat that work (measured in
// bench/RESULTS.md: a few per cent of a redirect's CPU).
import { ApiError } from './api-error';

export interface RequestUrl {
  /** Scheme, host and port, e.g. `https://id.example.com`. */
  origin: string;
  /** From the first `/` after the host, without the query, e.g. `/01/09506000134352`. */
  pathname: string;
  /** The query with its leading `?`, or `''` (as URL.search). */
  search: string;
}

export function splitRequestUrl(href: string): RequestUrl {
  const hostStart = href.indexOf('://') + 3;
  let pathStart = href.indexOf('/', hostStart);
  if (pathStart < 0) pathStart = href.length;
  const hash = href.indexOf('#', pathStart);
  const end = hash < 0 ? href.length : hash;
  const question = href.indexOf('?', pathStart);
  const queryStart = question < 0 || question > end ? end : question;
  const authority = href.slice(0, pathStart);
  return {
    // Credentials in the URL (rare) are not part of an origin: let URL drop them.
    origin: authority.includes('@') ? new URL(href).origin : authority,
    pathname: pathStart === href.length ? '/' : href.slice(pathStart, queryStart),
    // URL.search is '' for a bare '?'.
    search: end - queryStart > 1 ? href.slice(queryStart, end) : '',
  };
}

/** The first segment of the path: `v1` for `https://h/v1/links?x`, `''` for `https://h/`. */
export function firstPathSegment(href: string): string {
  const pathStart = href.indexOf('/', href.indexOf('://') + 3);
  if (pathStart < 0) return '';
  let end = pathStart + 1;
  while (end < href.length) {
    const ch = href.charCodeAt(end);
    if (ch === 47 /* / */ || ch === 63 /* ? */ || ch === 35 /* # */) break;
    end++;
  }
  return href.slice(pathStart + 1, end);
}

/**
 * The origin absolute URLs are built on (Link headers, linkset anchors, webhook and redirect
 * URLs): PUBLIC_BASE_URL when set, else the request's own. A Host with userinfo (`a@evil`) would
 * make the URL name another host: refused, never copied.
 */
export function publicOrigin(publicBaseUrl: string | undefined, href: string): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const hostStart = href.indexOf('://') + 3;
  const pathStart = href.indexOf('/', hostStart);
  const authority = href.slice(0, pathStart < 0 ? href.length : pathStart);
  if (authority.includes('@', hostStart)) {
    throw new ApiError('bad_request', 'The Host header must be a host name (and port), nothing else');
  }
  return authority;
}
