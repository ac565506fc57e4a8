// The public resolver on the root paths: /01/<gtin>[/10/<lot>[/21/<serial>]], /8004/<giai> …
import type { Context } from 'hono';
import { Hono } from 'hono';
import Negotiator from 'negotiator';
import { parseDigitalLinkPath, type ParseOptions } from '../digital-link';
import { ApiError } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { errorResponse } from '../http/on-error';
import { configureEntityCache } from './entity-store';
import { describeResolver } from './resolver-description';
import { linkRelationUri } from './link-types';
import { linkHeader, RESOLVER_CORS_HEADERS } from './resolver-headers';
import { digitalLinkPath } from './qualifier-path';
import { resolveDigitalLink, type ResolveOutcome } from './resolve';

// Consumers' codes are printed once and live for years: accept what a lenient scanner app might
// produce (GTIN-13 in /01/, a trailing slash) and normalise it, as the issue and GS1 CE do.
// AI associations ("(22) needs (01)") are judged across every carrier on an item, and one scan
// sees one carrier, so the resolver does not enforce them (mutual exclusions still apply).
const PARSE_OPTIONS: ParseOptions = { permitZeroSuppressedGTIN: true, permitTrailingSlash: true, validateAIAssociations: false };
const LINKSET_TYPES = ['text/html', 'application/linkset+json', 'application/json'];

function wantsLinkset(accept: string | undefined): boolean {
  if (!accept || !/application\/(linkset\+)?json/i.test(accept)) return false;
  const top = new Negotiator({ headers: { accept } }).mediaType(LINKSET_TYPES);
  return top === 'application/linkset+json' || top === 'application/json';
}

function setHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
}

function respond(c: Context<AppEnv>, outcome: ResolveOutcome, linksetUrl: string): Response {
  switch (outcome.kind) {
    case 'redirect':
      c.header('Link', linkHeader(linksetUrl, false));
      c.header('Cache-Control', 'no-store');
      c.header('Vary', 'Accept, Accept-Language');
      return c.redirect(outcome.location, 307);
    case 'linkset':
      c.header('Link', linkHeader(linksetUrl, true));
      c.header('Vary', 'Accept, Accept-Language');
      return c.body(JSON.stringify(outcome.body), 200, { 'Content-Type': 'application/linkset+json' });
    case 'multiple': {
      c.header('Link', linkHeader(linksetUrl, true));
      const choices = {
        linkset: [{ anchor: linksetUrl.replace(/\?.*$/, ''), itemDescription: outcome.level.entity.itemDescription, [linkRelationUri(outcome.linkType)]: outcome.links }],
      };
      return c.body(JSON.stringify(choices), 300, { 'Content-Type': 'application/linkset+json' });
    }
    case 'not_found':
      c.header('Link', linkHeader(linksetUrl, false));
      return errorResponse(c, new ApiError('not_found', outcome.message));
  }
}

async function resolve(c: Context<AppEnv>): Promise<Response> {
  setHeaders(c, RESOLVER_CORS_HEADERS);
  const url = new URL(c.req.url);
  const parsed = parseDigitalLinkPath(url.pathname, url.search, PARSE_OPTIONS);
  if (!parsed.ok) {
    const { code, ai, position } = parsed.error;
    throw new ApiError('invalid_digital_link', parsed.error.message, { code, ai, position });
  }
  const link = parsed.link;
  const origin = c.env.PUBLIC_BASE_URL || url.origin;
  const linksetUrl = `${origin}${link.stem}${digitalLinkPath(link.primaryKey, link.qualifiers)}?linkType=linkset`;
  if (c.req.method === 'OPTIONS') {
    c.header('Link', linkHeader(linksetUrl, false));
    return c.body(null, 204);
  }
  configureEntityCache(Number(c.env.RESOLVER_CACHE_TTL_SECONDS));
  const outcome = await resolveDigitalLink(c.env.DB, {
    link,
    origin,
    rawQuery: url.search.slice(1),
    wantsLinkset: wantsLinkset(c.req.header('accept')),
    accept: c.req.header('accept'),
    acceptLanguage: c.req.header('accept-language'),
    context: link.context,
  });
  return respond(c, outcome, linksetUrl);
}

export const resolverRoutes = new Hono<AppEnv>()
  .get('/.well-known/gs1resolver', (c) => {
    setHeaders(c, RESOLVER_CORS_HEADERS);
    return c.json(describeResolver(c.env.PUBLIC_BASE_URL || new URL(c.req.url).origin));
  })
  .get('/', (c) =>
    c.json({
      name: 'Digital Link Edge',
      resolver: 'GS1 Digital Link URIs on this host, e.g. /01/09506000134352/10/ABC123',
      description_file: '/.well-known/gs1resolver',
      api: '/v1 (Authorization: Bearer <API key>)',
    }),
  )
  .on(['GET', 'OPTIONS'], '*', resolve);
