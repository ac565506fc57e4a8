// RFC 9264 linksets in the shape GS1's linkset schema accepts: one context object per level,
// anchored at the uncompressed Digital Link URI of that level, link relations as full URIs.
import { fillHrefTemplate, type TemplateValues } from '../digital-link/href-template';
import { linkRelationUri } from '../digital-link/link-types';
import type { ResolverEntity, ResolverLink } from './resolver-types';

export interface MatchedLevel {
  entity: ResolverEntity;
  /** Concrete DL path of the level, e.g. `/01/09506000134352/10/ABC`. */
  anchorPath: string;
  values: TemplateValues;
}

export interface LinkTarget {
  href: string;
  title: string;
  type?: string;
  hreflang?: string[];
  context?: string[];
}

export type LinkContextObject = { anchor: string; itemDescription: string } & Record<string, unknown>;

const DEFAULT_LINK = 'https://gs1.org/voc/defaultLink';
// GS1's schema allows 2-letter languages with an optional 2-letter region; `und` ("no particular
// language") is how brands mark a neutral link, which in a linkset is simply no hreflang.
const SCHEMA_LANGUAGE = /^(\w{2}|\w{2}-\w{2})$/;

export function linkTarget(link: ResolverLink, values: TemplateValues): LinkTarget {
  const target: LinkTarget = { href: fillHrefTemplate(link.href, values), title: link.title };
  if (link.mediaType) target.type = link.mediaType;
  const languages = link.hreflang.filter((t) => SCHEMA_LANGUAGE.test(t));
  if (languages.length > 0) target.hreflang = languages;
  if (link.context.length > 0) target.context = link.context;
  return target;
}

export function linkContextObject(level: MatchedLevel, origin: string): LinkContextObject {
  const entry: LinkContextObject = {
    anchor: `${origin}${level.anchorPath}`,
    itemDescription: level.entity.itemDescription,
  };
  for (const link of level.entity.links) {
    const rel = linkRelationUri(link.linkType);
    entry[rel] ??= [];
    (entry[rel] as LinkTarget[]).push(linkTarget(link, level.values));
  }
  const fallback = level.entity.links.find((l) => l.isDefault);
  if (fallback) entry[DEFAULT_LINK] = [linkTarget(fallback, level.values)];
  return entry;
}

/** Every matched level, most specific first: a client sees all links up to the primary key. */
export function buildLinkset(
  levels: readonly MatchedLevel[],
  origin: string,
): { linkset: LinkContextObject[] } {
  return { linkset: levels.map((level) => linkContextObject(level, origin)) };
}
