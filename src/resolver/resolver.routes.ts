// The public resolver on the root paths: /01/<gtin>[/10/<lot>[/21/<serial>]], /8004/<giai> …

import type { Context } from 'hono';
import { Hono } from 'hono';
import Negotiator from 'negotiator';
import * as z from 'zod';
import type { DigitalLink } from '../digital-link';
import { linkRelationUri } from '../digital-link/link-types';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import type { ErrorEnvelope } from '../http/on-error';
import { documentedHandler, type RouteDoc } from '../http/openapi/route-doc';
import { limitFrom } from '../http/rate-limit';
import { publicOrigin, splitRequestUrl } from '../http/request-url';
import { scanClientOf } from '../rules/brand-resolution';
import { configureRuleCache } from '../rules/scan-rules';
import { captureScan } from '../scans/scan-event';
import { scanRecorder } from '../scans/scan-recorder';
import { userAgentFacts } from '../scans/user-agent-facts';
import { configureEntityCache } from './entity-store';
import { linksetView } from './link-view';
import { digitalLinkPath } from './qualifier-path';
import { readRequestLink } from './request-link';
import { ANSWER_STATUS, type ResolveOutcome, resolveDigitalLink } from './resolve';
import { describeResolver } from './resolver-description';
import {
  linkHeader,
  REDIRECT_CORS_HEADERS,
  RESOLVER_CORS_HEADERS,
  RESOLVER_PREFLIGHT_HEADERS,
} from './resolver-headers';
import { type ScanLimits, throttleScan } from './scan-throttle';

const LINKSET_TYPES = ['text/html', 'application/linkset+json', 'application/json'];

function wantsLinkset(accept: string | undefined): boolean {
  if (!accept || !/application\/(linkset\+)?json/i.test(accept)) return false;
  const top = new Negotiator({ headers: { accept } }).mediaType(LINKSET_TYPES);
  return top === 'application/linkset+json' || top === 'application/json';
}

function setHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}

const VARY = 'Accept, Accept-Language';

/**
 * The resolver's redirect with the headers every 307 carries (CORS, the linkset's Link, no-store),
 * built directly in one Headers object: this is the hot path of every scan. Also the benchmarks'
 * floor route (src/app.ts), so that row always pays for exactly the headers a scan pays for.
 */
export function redirectResponse(location: string, linksetUrl: string, sameAs?: string): Response {
  // Never stored by anyone (the answer depends on time, place, language and rules), so no Vary
  // either: it only keys what a cache stores.
  return new Response(null, {
    status: ANSWER_STATUS.redirect,
    headers: {
      ...REDIRECT_CORS_HEADERS,
      Location: location,
      Link: linkHeader(linksetUrl, false, sameAs)!,
      'Cache-Control': 'no-store',
    },
  });
}

/** What every answer's Link header names: the linkset, and the uncompressed URI of a compressed request. */
interface AnswerLinks {
  linkset: string;
  sameAs: string | undefined;
}

function respond(outcome: ResolveOutcome, links: AnswerLinks): Response {
  const linksetUrl = links.linkset;
  switch (outcome.kind) {
    case 'redirect':
    // A blocked code: a plain redirect to the warning page, for linkset requests too (its
    // linkset would hand out the brand's destinations that the block withholds).
    case 'blocked':
      return redirectResponse(outcome.location, linksetUrl, links.sameAs);
    case 'linkset':
      return new Response(JSON.stringify(outcome.body), {
        status: ANSWER_STATUS.linkset,
        headers: {
          ...RESOLVER_CORS_HEADERS,
          'Content-Type': 'application/linkset+json',
          Link: linkHeader(linksetUrl, true, links.sameAs)!,
          Vary: VARY,
        },
      });
    case 'multiple': {
      const anchor = linksetUrl.replace(/\?.*$/, '');
      const choices = {
        linkset: [
          {
            anchor,
            itemDescription: outcome.level.entity.itemDescription,
            [linkRelationUri(outcome.linkType)]: outcome.links,
          },
        ],
      };
      return new Response(JSON.stringify(choices), {
        status: ANSWER_STATUS.multiple,
        headers: {
          ...RESOLVER_CORS_HEADERS,
          'Content-Type': 'application/linkset+json',
          Link: linkHeader(linksetUrl, true, links.sameAs)!,
          Vary: VARY,
        },
      });
    }
    case 'not_found': {
      const body: ErrorEnvelope = { error: { code: 'not_found', message: outcome.message } };
      // A key nobody registered has no linkset to point at (GS1-Conformant Resolver 1.2).
      const link = linkHeader(outcome.reason === 'unknown_key' ? null : linksetUrl, false, links.sameAs);
      return new Response(JSON.stringify(body), {
        status: ANSWER_STATUS.not_found,
        headers: {
          ...RESOLVER_CORS_HEADERS,
          'Content-Type': 'application/json',
          ...(link !== undefined && { Link: link }),
        },
      });
    }
  }
}

function storeUnavailable(links: AnswerLinks): Response {
  const body: ErrorEnvelope = {
    error: {
      code: 'unavailable',
      message: 'The resolver cannot reach its link store right now; try again in a few seconds',
    },
  };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: {
      ...RESOLVER_CORS_HEADERS,
      'Content-Type': 'application/json',
      'Retry-After': '5',
      Link: linkHeader(links.linkset, false, links.sameAs)!,
    },
  });
}

// A Digital Link's data attributes and resolver parameters take a few hundred characters; the
// query is copied into Location headers, so a longer one is refused rather than passed on.
const MAX_QUERY_LENGTH = 2048;

const DEFAULT_SCAN_LIMITS: ScanLimits = { perClient: 6000, perBot: 300 };
let scanLimitsFrom = { raw: '', limits: DEFAULT_SCAN_LIMITS };

/** SCAN_RATE_LIMIT / SCAN_BOT_RATE_LIMIT, parsed once per value (read on every scan). */
function scanLimits(env: Env): ScanLimits {
  const raw = `${env.SCAN_RATE_LIMIT}/${env.SCAN_BOT_RATE_LIMIT}`;
  if (scanLimitsFrom.raw !== raw) {
    scanLimitsFrom = {
      raw,
      limits: {
        perClient: limitFrom(env.SCAN_RATE_LIMIT, DEFAULT_SCAN_LIMITS.perClient),
        perBot: limitFrom(env.SCAN_BOT_RATE_LIMIT, DEFAULT_SCAN_LIMITS.perBot),
      },
    };
  }
  return scanLimitsFrom.limits;
}

// Not async: a scan whose key and rules are warm in the isolate is answered without a promise
// (resolveDigitalLink), and an async handler would add one back.
function resolve(c: Context<AppEnv>): Response | Promise<Response> {
  // On Cloudflare every request names its client; local tools and tests without one are not limited.
  const client = c.req.header('cf-connecting-ip');
  if (client !== undefined) {
    const limits = scanLimits(c.env);
    const isBot = () => userAgentFacts(c.req.header('user-agent')).deviceClass === 'bot';
    const wait = throttleScan(client, isBot, limits, Date.now());
    if (wait !== null) {
      setHeaders(c, RESOLVER_CORS_HEADERS);
      c.header('Retry-After', String(wait));
      c.header('RateLimit-Policy', `"client";q=${limits.perClient};w=60, "bot";q=${limits.perBot};w=60`);
      throw new ApiError('rate_limited', `Too many scans from this client; try again in ${wait} s`);
    }
  }
  const url = splitRequestUrl(c.req.url);
  if (url.search.length > MAX_QUERY_LENGTH) {
    setHeaders(c, RESOLVER_CORS_HEADERS);
    throw new ApiError('uri_too_long', `The query may have at most ${MAX_QUERY_LENGTH} characters`);
  }
  const request = readRequestLink(url.pathname, url.search);
  if (!request.ok) {
    setHeaders(c, RESOLVER_CORS_HEADERS);
    const { code, ai, position } = request.error;
    throw new ApiError('invalid_digital_link', request.error.message, { code, ai, position });
  }
  const link = request.link;
  const origin = publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url);
  const links: AnswerLinks = {
    linkset: `${origin}${link.stem}${digitalLinkPath(link.primaryKey, link.qualifiers)}?linkType=linkset`,
    sameAs: request.uncompressed === undefined ? undefined : `${origin}${request.uncompressed}`,
  };
  if (c.req.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: { ...RESOLVER_PREFLIGHT_HEADERS, Link: linkHeader(links.linkset, false, links.sameAs)! },
    });
  }
  configureEntityCache(Number(c.env.RESOLVER_CACHE_TTL_SECONDS));
  configureRuleCache(Number(c.env.RESOLVER_CACHE_TTL_SECONDS));
  const accept = c.req.header('accept');
  // Only a store can fail here (what is warm in the isolate's caches still resolves): say so with
  // a 503 the scanner app may retry, never a 500, and record nothing.
  const unavailable = (err: unknown) => {
    console.error('resolver store unavailable', link.primaryKey, String(err));
    return storeUnavailable(links);
  };
  let outcome: ResolveOutcome | Promise<ResolveOutcome>;
  try {
    outcome = resolveDigitalLink(c.env.DB, {
      link,
      origin,
      rawQuery: request.search.slice(1),
      wantsLinkset: wantsLinkset(accept),
      accept,
      acceptLanguage: c.req.header('accept-language'),
      context: link.context,
      client: scanClientOf(c.req.raw),
    });
  } catch (err) {
    return unavailable(err);
  }
  if (!(outcome instanceof Promise)) return answer(c, link, outcome, links);
  return outcome.then((loaded) => answer(c, link, loaded, links), unavailable);
}

function answer(
  c: Context<AppEnv>,
  link: DigitalLink,
  outcome: ResolveOutcome,
  links: AnswerLinks,
): Response {
  // Recorded in waitUntil, after the response has gone out (src/scans/scan-recorder.ts); the scan
  // is stamped with the time it was answered.
  const answeredAt = Date.now();
  scanRecorder.record(c.env, c.executionCtx, () => captureScan(c.req.raw, link, outcome, answeredAt));
  return respond(outcome, links);
}

const resolverDescriptionView = z
  .looseObject({
    name: z.string(),
    resolverRoot: z.string(),
    supportedLinkType: z.array(z.object({ namespace: z.string(), prefix: z.string() })),
    supportedPrimaryKeys: z.array(z.string()),
    activeLinkTypes: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .meta({ description: "GS1-Conformant Resolver's description file" });

const rootView = z.object({
  name: z.string(),
  resolver: z.string(),
  description_file: z.string(),
  api: z.string(),
});

const linksetMedia = (description: string) => ({
  description,
  mediaType: 'application/linkset+json',
  body: linksetView,
  headers: { Link: 'The linkset (rel="linkset")' },
});

const resolveDoc = (method: 'GET' | 'OPTIONS'): RouteDoc => ({
  summary:
    method === 'GET'
      ? 'Resolve a GS1 Digital Link: a redirect, a linkset or the choices'
      : 'CORS preflight for a Digital Link',
  description:
    'The whole path is the Digital Link, slashes included: /01/{gtin}[/10/{lot}][/21/{serial}], ' +
    '/8004/{giai}, …, or a compressed one. Unknown keys and levels answer 404.',
  parameters: [
    {
      in: 'path',
      name: 'digitalLinkPath',
      required: true,
      description: 'The Digital Link path after the host, e.g. 01/09506000134352/10/ABC123',
      schema: { type: 'string' },
    },
  ],
  responses:
    method === 'GET'
      ? {
          200: linksetMedia('The linkset (Accept: application/linkset+json or ?linkType=linkset)'),
          300: linksetMedia('Several links fit equally: the choices'),
          307: {
            description:
              "To the link (or a brand rule) for this scan; a blocked code's scans, linkset requests included, to this resolver's warning page /p/blocked/{id}",
            headers: { Location: 'Where the scan goes', Link: 'The linkset (rel="linkset")' },
          },
        }
      : { 204: { description: 'The allowed methods and headers' } },
  errors: ['invalid_digital_link', 'not_found', 'uri_too_long', 'rate_limited', 'unavailable'],
});

const describeThisResolver = (c: Context<AppEnv>) => {
  setHeaders(c, RESOLVER_CORS_HEADERS);
  return c.json(describeResolver(publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url)));
};

const whatThisHostServes = (c: Context<AppEnv>) =>
  c.json({
    name: 'Digital Link Edge',
    resolver: 'GS1 Digital Link URIs on this host, e.g. /01/09506000134352/10/ABC123',
    description_file: '/.well-known/gs1resolver',
    api: '/v1 (Authorization: Bearer <API key>)',
  });

export const resolverRoutes = new Hono<AppEnv>()
  .get(
    '/.well-known/gs1resolver',
    documentedHandler(
      { summary: 'The resolver description file', responses: { 200: resolverDescriptionView } },
      describeThisResolver,
    ),
  )
  .get(
    '/',
    documentedHandler({ summary: 'What this host serves', responses: { 200: rootView } }, whatThisHostServes),
  )
  .get('*', documentedHandler(resolveDoc('GET'), resolve))
  // Its own function (preflights are few), so each method carries its own part of the document.
  .options(
    '*',
    documentedHandler(resolveDoc('OPTIONS'), (c: Context<AppEnv>) => resolve(c)),
  );
