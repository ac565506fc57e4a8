// The GS1 resolution of one parsed Digital Link: walk up the levels, then answer with a linkset,
// one link (307), several (300) or nothing (404). Brand rules (src/rules/) come first for GTIN
// scans, and a product in the catalog without any link still reaches its hosted page. Pure apart
// from `loadEntities` and `loadGtinRules` (per-isolate caches, then D1).
import type { AiValue, DigitalLink } from '../digital-link';
import { decodeQueryText } from '../digital-link/percent-encoding';
import { resolveBrandRules, type BrandResolution, type ScanClient } from '../rules/brand-resolution';
import { loadGtinRules } from '../rules/scan-rules';
import { loadEntities } from './entity-store';
import { fillHrefTemplate, type TemplateValues } from './href-template';
import { normalizeLinkType } from './link-types';
import { buildLinkset, linkTarget, type LinkContextObject, type LinkTarget, type MatchedLevel } from './linkset';
import { chooseLink, type Preferences } from './negotiate-link';
import { digitalLinkPath, walkUpLevels } from './qualifier-path';
import type { ResolverEntity, ResolverLink } from './resolver-types';

export interface ResolveRequest extends Preferences {
  link: DigitalLink;
  /** Scheme and host that anchors and linkset URLs use. */
  origin: string;
  /** The raw query string of the request, without `?` (passed on to the target). */
  rawQuery: string;
  wantsLinkset: boolean;
  /** Who scanned, from where and when (request.cf, User-Agent): brand rules are evaluated only with it. */
  client?: ScanClient;
}

/** Where a redirect goes: a GS1 link, a brand rule's custom URL, or the hosted product page. */
export type RedirectDestination = 'gs1_link' | 'rule_url' | 'hosted_page';

export type ResolveOutcome =
  | {
      kind: 'redirect';
      location: string;
      /** The GS1 link followed; null when a rule or the hosted-page fallback chose the target. */
      link: ResolverLink | null;
      /** The most specific level matched; null when the key has no links (hosted-page fallback). */
      level: MatchedLevel | null;
      /** The link type answered: the link's, the asked `?linkType=`, or gs1:defaultLink for a plain scan a rule answered. */
      linkType: string;
      /** The brand rule that decided, if one did. */
      ruleId: string | null;
      /** The organisation whose links, rule or catalog answered. */
      orgId: string;
      destination: RedirectDestination;
    }
  | { kind: 'linkset'; body: { linkset: LinkContextObject[] }; levels: MatchedLevel[] }
  | { kind: 'multiple'; links: LinkTarget[]; level: MatchedLevel; linkType: string }
  | { kind: 'not_found'; reason: 'unknown_key' | 'no_such_link_type'; message: string; levels: MatchedLevel[] };

/** `/10/{lotnumber}` + the scan → `lotnumber` ↦ scanned lot. */
function namedWildcards(entity: ResolverEntity, scanned: readonly AiValue[]): Map<string, string> {
  const named = new Map<string, string>();
  const parts = entity.qualifierTemplate.split('/').slice(1);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = /^\{([A-Za-z0-9_]+)\}$/.exec(parts[i + 1]!)?.[1];
    const value = scanned.find((q) => q.ai === parts[i])?.value;
    if (name && value !== undefined) named.set(name, value);
  }
  return named;
}

export async function matchLevels(db: D1Database, link: DigitalLink): Promise<MatchedLevel[]> {
  const levels = walkUpLevels(link.qualifiers);
  const { byPath, prefixEntity } = await loadEntities(db, link.primaryKey, levels.flatMap((l) => l.paths));
  const elements = [link.primaryKey, ...link.qualifiers, ...link.attributes];
  const matched: MatchedLevel[] = [];
  for (const level of levels) {
    const entity = level.paths.map((p) => byPath.get(p)).find((e) => e != null);
    if (!entity) continue;
    const values: TemplateValues = { elements, named: namedWildcards(entity, link.qualifiers) };
    matched.push({ entity, anchorPath: digitalLinkPath(link.primaryKey, level.qualifiers), values });
  }
  if (prefixEntity) {
    const prefix = { matched: prefixEntity.keyValue, rest: link.primaryKey.value.slice(prefixEntity.keyValue.length) };
    matched.push({ entity: prefixEntity, anchorPath: digitalLinkPath(link.primaryKey, []), values: { elements, prefix } });
  }
  return matched;
}

/** The request's query string minus `linkType`, which only steers the resolver. */
export function passedOnQuery(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((part) => part !== '' && decodeQueryText(part.split('=')[0]!) !== 'linkType')
    .join('&');
}

function redirectTarget(link: ResolverLink, level: MatchedLevel, rawQuery: string): string {
  return withQuery(fillHrefTemplate(link.href, level.values), link.forwardQuery ? rawQuery : '');
}

/** `href` with the scan's query string (minus linkType) added before any fragment. */
function withQuery(href: string, rawQuery: string): string {
  const query = passedOnQuery(rawQuery);
  if (!query) return href;
  const hash = href.indexOf('#');
  const [base, fragment] = hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/** The redirect a matching brand rule asks for: its URL (templated like links) or the hosted page. */
function ruleRedirect(brand: BrandResolution, levels: MatchedLevel[], req: ResolveRequest): ResolveOutcome {
  const { ruleId, target, linkType } = brand.match!;
  const level = levels[0] ?? null;
  if (target.type === 'hosted_page') {
    return { kind: 'redirect', location: brand.hostedPage!, link: null, level, linkType, ruleId, orgId: brand.orgId!, destination: 'hosted_page' };
  }
  const elements = [req.link.primaryKey, ...req.link.qualifiers, ...req.link.attributes];
  const location = withQuery(fillHrefTemplate(target.url, { elements }), target.forwardQuery ? req.rawQuery : '');
  return { kind: 'redirect', location, link: null, level, linkType, ruleId, orgId: brand.orgId!, destination: 'rule_url' };
}

export async function resolveDigitalLink(db: D1Database, req: ResolveRequest): Promise<ResolveOutcome> {
  const asked = req.link.linkType;
  const linkset = req.wantsLinkset || asked === 'linkset' || asked === 'all';
  // Brand rules answer GTIN scans first; linksets always describe the GS1 links. The GTIN's rules
  // are read beside its links: on a cold cache the two D1 reads run side by side.
  const client = req.link.primaryKey.ai === '01' && !linkset ? req.client : undefined;
  const [levels, gtinRules] = await Promise.all([matchLevels(db, req.link), client ? loadGtinRules(db, req.link.primaryKey.value) : null]);
  const brand = gtinRules ? resolveBrandRules(gtinRules, req.link, req.origin, client!, levels[0]?.entity.orgId ?? null) : null;
  if (brand?.match) return ruleRedirect(brand, levels, req);
  const outcome = resolveGs1(levels, req);
  // The global fallback: a product in the catalog reaches its hosted page even without any link.
  if (outcome.kind === 'not_found' && outcome.reason === 'unknown_key' && asked === undefined && brand?.hostedPage) {
    const orgId = brand.orgId!;
    return { kind: 'redirect', location: brand.hostedPage, link: null, level: null, linkType: 'gs1:pip', ruleId: null, orgId, destination: 'hosted_page' };
  }
  return outcome;
}

function resolveGs1(levels: MatchedLevel[], req: ResolveRequest): ResolveOutcome {
  if (levels.length === 0) {
    return { kind: 'not_found', reason: 'unknown_key', message: 'No links are registered for this identifier', levels };
  }
  const asked = req.link.linkType;
  if (req.wantsLinkset || asked === 'linkset' || asked === 'all') {
    return { kind: 'linkset', body: buildLinkset(levels, req.origin), levels };
  }

  if (asked !== undefined) {
    const normalized = normalizeLinkType(asked);
    if (normalized.ok) {
      // Most specific level first: a lot's own certificate beats the product's.
      for (const level of levels) {
        const ofType = level.entity.links.filter((l) => l.linkType === normalized.linkType);
        if (ofType.length === 0) continue;
        const choice = chooseLink(ofType, req);
        if (choice.kind === 'many') {
          return { kind: 'multiple', links: choice.links.map((l) => linkTarget(l, level.values)), level, linkType: normalized.linkType };
        }
        const location = redirectTarget(choice.link, level, req.rawQuery);
        const linkType = normalized.linkType;
        return { kind: 'redirect', location, link: choice.link, level, linkType, ruleId: null, orgId: level.entity.orgId, destination: 'gs1_link' };
      }
    }
    return { kind: 'not_found', reason: 'no_such_link_type', message: `This identifier has no link of type ${asked}`, levels };
  }

  // No linkType: the most specific level's default, in the client's language when it has one.
  for (const level of levels) {
    const fallback = level.entity.links.find((l) => l.isDefault);
    if (!fallback) continue;
    const choice = chooseLink(level.entity.links.filter((l) => l.linkType === fallback.linkType), req, fallback);
    const link = choice.kind === 'one' ? choice.link : fallback;
    const location = redirectTarget(link, level, req.rawQuery);
    return { kind: 'redirect', location, link, level, linkType: link.linkType, ruleId: null, orgId: level.entity.orgId, destination: 'gs1_link' };
  }
  return { kind: 'not_found', reason: 'unknown_key', message: 'No links are registered for this identifier', levels };
}
