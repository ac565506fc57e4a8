// The GS1 resolution of one parsed Digital Link: walk up the levels, then answer with a linkset,
// one link (307), several (300) or nothing (404). Brand rules (src/rules/) come first for GTIN
// scans, and a product in the catalog without any link still reaches its hosted page. Pure apart
// from the reads of links and rules (per-isolate caches, then D1).
import type { BlockHit, CodeBlocks } from '../blocking/code-blocks';
import { warningPageUrl } from '../blocking/warning-page-path';
import type { AiValue, DigitalLink } from '../digital-link';
import { fillHrefTemplate, type TemplateValues } from '../digital-link/href-template';
import { normalizeLinkType } from '../digital-link/link-types';
import { decodeQueryText } from '../digital-link/percent-encoding';
import {
  type BrandResolution,
  type RuleObserver,
  resolveBrandRules,
  type ScanClient,
} from '../rules/brand-resolution';
import {
  cachedGtinRules,
  type GtinRules,
  loadGtinRules,
  type OwnedRule,
  withUnsavedRule,
} from '../rules/scan-rules';
import type { KnownEntities } from './entity-cache';
import { cachedEntities, loadEntities, prefixEntityOf } from './entity-store';
import {
  buildLinkset,
  type LinkContextObject,
  type LinkTarget,
  linkTarget,
  type MatchedLevel,
} from './linkset';
import { chooseLink, type Preferences } from './negotiate-link';
import { digitalLinkPath, type LevelCandidates, walkUpLevels } from './qualifier-path';
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
  /** Told what the brand rules saw and decided (the scan preview's trace); scans pass none. */
  observeRules?: RuleObserver;
  /** A rule evaluated as if saved (the preview of a draft, src/resolver/preview-draft.ts); scans pass none. */
  unsavedRule?: OwnedRule;
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
  | {
      /** A blocked code (src/blocking/): to this resolver's warning page, whatever links or rules say. */
      kind: 'blocked';
      location: string;
      blockId: string;
      orgId: string;
    }
  | { kind: 'linkset'; body: { linkset: LinkContextObject[] }; levels: MatchedLevel[] }
  | { kind: 'multiple'; links: LinkTarget[]; level: MatchedLevel; linkType: string }
  | {
      kind: 'not_found';
      reason: 'unknown_key' | 'no_such_link_type';
      message: string;
      levels: MatchedLevel[];
    };

/** The HTTP status each kind of answer goes out with (resolver.routes.ts; the scan preview reports it). */
export const ANSWER_STATUS = {
  redirect: 307,
  blocked: 307,
  linkset: 200,
  multiple: 300,
  not_found: 404,
} as const satisfies Record<ResolveOutcome['kind'], number>;

/** `/10/{lotnumber}` + the scan → `lotnumber` ↦ scanned lot. */
function namedWildcards(entity: ResolverEntity, scanned: readonly AiValue[]): Map<string, string> {
  const named = new Map<string, string>();
  for (const [ai, name] of entity.wildcards) {
    const value = scanned.find((q) => q.ai === ai)?.value;
    if (value !== undefined) named.set(name, value);
  }
  return named;
}

const scanElements = (link: DigitalLink): AiValue[] => [
  link.primaryKey,
  ...link.qualifiers,
  ...link.attributes,
];

/**
 * A level of the walk-up that has an entity. Its anchor and template values are worked out when
 * first read: a redirect reads one level's at most, and every scan builds its levels.
 */
class WalkedLevel implements MatchedLevel {
  private anchor: string | undefined;
  private templateValues: TemplateValues | undefined;

  constructor(
    readonly entity: ResolverEntity,
    private readonly link: DigitalLink,
    /** How many of the scan's qualifiers the level keeps. */
    private readonly depth: number,
  ) {}

  get anchorPath(): string {
    this.anchor ??= digitalLinkPath(this.link.primaryKey, this.link.qualifiers.slice(0, this.depth));
    return this.anchor;
  }

  get values(): TemplateValues {
    this.templateValues ??= {
      elements: scanElements(this.link),
      named: namedWildcards(this.entity, this.link.qualifiers),
    };
    return this.templateValues;
  }
}

/** A serialised key's stored prefix: `{0}` is the prefix, `{1}` the rest of the scanned value. */
function prefixLevel(entity: ResolverEntity, link: DigitalLink): MatchedLevel {
  const prefix = { matched: entity.keyValue, rest: link.primaryKey.value.slice(entity.keyValue.length) };
  return {
    entity,
    anchorPath: digitalLinkPath(link.primaryKey, []),
    values: { elements: scanElements(link), prefix },
  };
}

/** What the resolver knows of a scanned key: its levels with an entity, and its blocked codes. */
interface KeyFacts {
  levels: MatchedLevel[];
  blocks: CodeBlocks;
}

/**
 * The walk-up's levels that have an entity, most specific first, and the key's blocks, as far as
 * `known` can tell; undefined when it cannot (a path it has not read yet). A level's first stored
 * path wins, so the paths after it need not be known.
 */
function factsFrom(
  link: DigitalLink,
  walk: readonly LevelCandidates[],
  known: KnownEntities,
): KeyFacts | undefined {
  const blocks = known.blocks;
  if (blocks === undefined) return undefined;
  const matched: MatchedLevel[] = [];
  for (const level of walk) {
    for (const path of level.paths) {
      const entity = known.at(path);
      if (entity === undefined) return undefined;
      if (entity === null) continue;
      matched.push(new WalkedLevel(entity, link, level.qualifiers.length));
      break;
    }
  }
  const prefixEntity = prefixEntityOf(known, link.primaryKey);
  if (prefixEntity === undefined) return undefined;
  if (prefixEntity) matched.push(prefixLevel(prefixEntity, link));
  return { levels: matched, blocks };
}

/**
 * The levels of the walk-up (serial → lot → key) that have an entity, most specific first, and the
 * key's blocks: at once from the isolate's cache when it knows every path needed, else a promise
 * of D1's answer (one round trip: the blocks come with the entities).
 */
function factsOf(db: D1Database, link: DigitalLink): KeyFacts | Promise<KeyFacts> {
  const walk = walkUpLevels(link.qualifiers);
  const known = cachedEntities(link.primaryKey);
  const cached = known && factsFrom(link, walk, known);
  if (cached) return cached;
  return loadEntities(
    db,
    link.primaryKey,
    walk.flatMap((l) => l.paths),
  ).then((loaded) => factsFrom(link, walk, loaded)!); // the load knows every path and the blocks
}

/** The levels of the walk-up (serial → lot → key) that have an entity, most specific first. */
export async function matchLevels(db: D1Database, link: DigitalLink): Promise<MatchedLevel[]> {
  return (await factsOf(db, link)).levels;
}

const qualifierOf = (link: DigitalLink, ai: string) =>
  link.qualifiers.find((q) => q.ai === ai)?.value ?? null;

/** The block a scan hits, if any (GTIN keys only hold blocks). */
function blockHit(blocks: CodeBlocks, link: DigitalLink): BlockHit | null {
  return blocks.hit(qualifierOf(link, '10'), qualifierOf(link, '21'));
}

function blockedOutcome(hit: BlockHit, req: ResolveRequest): ResolveOutcome {
  return {
    kind: 'blocked',
    location: warningPageUrl(req.origin, hit.id),
    blockId: hit.id,
    orgId: hit.orgId,
  };
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
    return {
      kind: 'redirect',
      location: brand.hostedPage!,
      link: null,
      level,
      linkType,
      ruleId,
      orgId: brand.orgId!,
      destination: 'hosted_page',
    };
  }
  const location = withQuery(
    fillHrefTemplate(target.url, { elements: scanElements(req.link) }),
    target.forwardQuery ? req.rawQuery : '',
  );
  return {
    kind: 'redirect',
    location,
    link: null,
    level,
    linkType,
    ruleId,
    orgId: brand.orgId!,
    destination: 'rule_url',
  };
}

/**
 * The answer to a scan. When the isolate's caches hold the key's links and the GTIN's rules (the
 * steady state), it comes back synchronously: no promise, no await, no microtask turn on the path
 * every scan takes. Otherwise a promise, with both D1 reads run side by side.
 */
export function resolveDigitalLink(
  db: D1Database,
  req: ResolveRequest,
): ResolveOutcome | Promise<ResolveOutcome> {
  // Brand rules answer GTIN scans first; linksets always describe the GS1 links.
  const client = req.link.primaryKey.ai === '01' && !asksForLinkset(req) ? req.client : undefined;
  const gtin = req.link.primaryKey.value;
  const facts = factsOf(db, req.link);
  if (!(facts instanceof Promise)) {
    // A blocked code needs nothing else: not the rules, not the links.
    const hit = blockHit(facts.blocks, req.link);
    if (hit) return blockedOutcome(hit, req);
  }
  const gtinRules = client ? (cachedGtinRules(gtin) ?? loadGtinRules(db, gtin)) : null;
  if (!(facts instanceof Promise) && !(gtinRules instanceof Promise))
    return decide(facts.levels, gtinRules, req, client);
  return Promise.all([facts, gtinRules]).then(([loaded, loadedRules]) => {
    const hit = blockHit(loaded.blocks, req.link);
    return hit ? blockedOutcome(hit, req) : decide(loaded.levels, loadedRules, req, client);
  });
}

function asksForLinkset(req: ResolveRequest): boolean {
  return req.wantsLinkset || req.link.linkType === 'linkset' || req.link.linkType === 'all';
}

/** Brand rules first (with a client), then GS1's answer, then the hosted-page fallback. */
function decide(
  levels: MatchedLevel[],
  gtinRules: GtinRules | null,
  req: ResolveRequest,
  client: ScanClient | undefined,
): ResolveOutcome {
  const rules = gtinRules && req.unsavedRule ? withUnsavedRule(gtinRules, req.unsavedRule) : gtinRules;
  const brand = rules
    ? resolveBrandRules(
        rules,
        req.link,
        req.origin,
        client!,
        levels[0]?.entity.orgId ?? null,
        req.observeRules,
      )
    : null;
  if (brand?.match) return ruleRedirect(brand, levels, req);
  const outcome = resolveGs1(levels, req);
  // The global fallback: a product in the catalog reaches its hosted page even without any link.
  if (
    outcome.kind === 'not_found' &&
    outcome.reason === 'unknown_key' &&
    req.link.linkType === undefined &&
    brand?.hostedPage
  ) {
    const orgId = brand.orgId!;
    return {
      kind: 'redirect',
      location: brand.hostedPage,
      link: null,
      level: null,
      linkType: 'gs1:pip',
      ruleId: null,
      orgId,
      destination: 'hosted_page',
    };
  }
  return outcome;
}

const DEFAULT_LINK = 'gs1:defaultLink';
const DEFAULT_LINK_MULTI = 'gs1:defaultLinkMulti';

function gs1Redirect(
  link: ResolverLink,
  level: MatchedLevel,
  req: ResolveRequest,
  linkType: string,
): ResolveOutcome {
  return {
    kind: 'redirect',
    location: redirectTarget(link, level, req.rawQuery),
    link,
    level,
    linkType,
    ruleId: null,
    orgId: level.entity.orgId,
    destination: 'gs1_link',
  };
}

function resolveGs1(levels: MatchedLevel[], req: ResolveRequest): ResolveOutcome {
  if (levels.length === 0) {
    return {
      kind: 'not_found',
      reason: 'unknown_key',
      message: 'No links are registered for this identifier',
      levels,
    };
  }
  if (asksForLinkset(req)) return { kind: 'linkset', body: buildLinkset(levels, req.origin), levels };
  const asked = req.link.linkType;

  if (asked !== undefined) {
    const normalized = normalizeLinkType(asked);
    // gs1:defaultLink names the entity's default, which is a flag on a link rather than its type.
    if (normalized.ok && normalized.linkType === DEFAULT_LINK) {
      const level = levels.find((l) => l.entity.links.some((link) => link.isDefault));
      if (level)
        return gs1Redirect(level.entity.links.find((link) => link.isDefault)!, level, req, DEFAULT_LINK);
    }
    if (normalized.ok) {
      // Most specific level first: a lot's own certificate beats the product's.
      for (const level of levels) {
        const ofType = level.entity.links.filter((l) => l.linkType === normalized.linkType);
        if (ofType.length === 0) continue;
        const choice = chooseLink(ofType, req);
        if (choice.kind === 'many') {
          return {
            kind: 'multiple',
            links: choice.links.map((l) => linkTarget(l, level.values)),
            level,
            linkType: normalized.linkType,
          };
        }
        return gs1Redirect(choice.link, level, req, normalized.linkType);
      }
    }
    return {
      kind: 'not_found',
      reason: 'no_such_link_type',
      message: `This identifier has no link of type ${asked}`,
      levels,
    };
  }

  // No linkType: the most specific level's default. Its gs1:defaultLinkMulti links, when it has
  // them, are the defaults the request tells apart (language, context, media type), else the links
  // of the default's type are; when the request cannot choose, the default link itself.
  for (const level of levels) {
    const fallback = level.entity.links.find((l) => l.isDefault);
    if (!fallback) continue;
    const multi = level.entity.links.filter((l) => l.linkType === DEFAULT_LINK_MULTI);
    const candidates =
      multi.length > 0 ? multi : level.entity.links.filter((l) => l.linkType === fallback.linkType);
    const choice = chooseLink(candidates, req, fallback);
    const link = choice.kind === 'one' ? choice.link : fallback;
    return gs1Redirect(link, level, req, link.linkType);
  }
  return {
    kind: 'not_found',
    reason: 'unknown_key',
    message: 'No links are registered for this identifier',
    levels,
  };
}
