// The GS1 resolution of one parsed Digital Link: walk up the levels, then answer with a linkset,
// one link (307), several (300) or nothing (404). Pure apart from `loadEntities` (cache, then D1).
import type { AiValue, DigitalLink } from '../digital-link';
import { decodeQueryText } from '../digital-link/percent-encoding';
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
}

export type ResolveOutcome =
  | { kind: 'redirect'; location: string; link: ResolverLink; level: MatchedLevel; linkType: string }
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

async function matchLevels(db: D1Database, link: DigitalLink): Promise<MatchedLevel[]> {
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
  const href = fillHrefTemplate(link.href, level.values);
  const query = link.forwardQuery ? passedOnQuery(rawQuery) : '';
  if (!query) return href;
  const hash = href.indexOf('#');
  const [base, fragment] = hash === -1 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

export async function resolveDigitalLink(db: D1Database, req: ResolveRequest): Promise<ResolveOutcome> {
  const levels = await matchLevels(db, req.link);
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
        return { kind: 'redirect', location: redirectTarget(choice.link, level, req.rawQuery), link: choice.link, level, linkType: normalized.linkType };
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
    return { kind: 'redirect', location: redirectTarget(link, level, req.rawQuery), link, level, linkType: link.linkType };
  }
  return { kind: 'not_found', reason: 'unknown_key', message: 'No links are registered for this identifier', levels };
}
