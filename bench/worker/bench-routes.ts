// The benchmarks' baselines (bench/): redirects that do no other work, on the same edge app and
// switch as a scan, so a scenario's cost reads as a ratio to them. Only the bench Worker
// (bench/worker/bench-entry.ts) mounts them; the deployed Worker has no such routes.
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/http/app-env';
import { splitRequestUrl } from '../../src/http/request-url';
import { redirectResponse } from '../../src/resolver/resolver.routes';

/** `<prefix>/01/…` answers like a resolved scan without resolving it. */
export const RESOLVER_FLOOR_PREFIX = '/_bench/resolver-floor';

/** What the routes read from `request.cf`, as a country rule must (the first read parses it). */
const visitorCountry = (request: Request) =>
  (request.cf as IncomingRequestCfProperties | undefined)?.country ?? 'unknown';

export function mountBenchRoutes(edge: Hono<AppEnv>): void {
  edge.get('/_bench/bare-307', (c) => c.redirect('https://example.com/', 307));
  // After reading the visitor's country, as a geography rule must: workerd parses and freezes
  // the cf object on first read, a platform cost the bare route does not carry.
  edge.get('/_bench/bare-307-geo', (c) =>
    c.redirect(`https://example.com/${visitorCountry(c.req.raw)}`, 307),
  );
  // The least any conformant answer to the rules scenario's scans costs: the country read and a
  // 307 with every header the resolver's redirects carry; no parsing, resolving or rules.
  edge.get(`${RESOLVER_FLOOR_PREFIX}/*`, (c) => {
    const { origin, pathname } = splitRequestUrl(c.req.url);
    const digitalLink = pathname.slice(RESOLVER_FLOOR_PREFIX.length);
    return redirectResponse(
      `https://example.com/${visitorCountry(c.req.raw)}`,
      `${origin}${digitalLink}?linkType=linkset`,
    );
  });
}
