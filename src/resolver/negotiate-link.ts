// Choosing one link among several of the same type (GS1 resolver standard: content and language
// negotiation; 300 Multiple Choices when the request cannot decide). Language and media-type
// matching come from `negotiator` (RFC 9110 q-values, RFC 4647 language ranges).
import Negotiator from 'negotiator';
import type { ResolverLink } from './resolver-types';

export interface Preferences {
  acceptLanguage?: string | null;
  accept?: string | null;
  /** The `context` query parameter. */
  context?: string | null;
}

export type Choice = { kind: 'one'; link: ResolverLink } | { kind: 'many'; links: ResolverLink[] };

// Parsing Accept headers dominates negotiation; clients send few distinct headers, so the
// rankings are memoised per (header, offered values), in a small map cleared when full.
const MEMO_LIMIT = 1000;
const memo = new Map<string, string[]>();

function ranked(kind: 'accept-language' | 'accept', header: string, offered: string[]): string[] {
  const memoKey = `${kind}\u0000${header}\u0000${offered.join('\u0000')}`;
  let result = memo.get(memoKey);
  if (!result) {
    const negotiator = new Negotiator({ headers: { [kind]: header } });
    result = kind === 'accept' ? negotiator.mediaTypes(offered) : negotiator.languages(offered);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(memoKey, result);
  }
  return result;
}

const isNeutral = (link: ResolverLink) =>
  link.hreflang.length === 0 || link.hreflang.every((t) => t.toLowerCase() === 'und');

/** Keeps the links that pass `test`, unless none does (a preference never empties the choice). */
function prefer(links: ResolverLink[], test: (link: ResolverLink) => boolean): ResolverLink[] {
  const kept = links.filter(test);
  return kept.length > 0 ? kept : links;
}

// Context narrows only when the client names one. Preferring context-free links otherwise would
// make a context-specific link unreachable by language and type alone, which GS1's suite scores as
// a failure; with both left in, the client gets 300 and can choose.
function byContext(links: ResolverLink[], context: string | null | undefined): ResolverLink[] {
  if (!context) return links;
  const wanted = context.toLowerCase();
  return prefer(links, (l) => l.context.some((c) => c.toLowerCase() === wanted));
}

/**
 * The header's language ranges without `*`: a range that accepts any language states none, so it
 * must not make a language-specific link beat a neutral one. '' when nothing else is left.
 */
function statedLanguages(header: string): string {
  if (!header.includes('*')) return header;
  return header
    .split(',')
    .filter((range) => range.split(';', 1)[0]!.trim() !== '*')
    .join(',');
}

// GS1-Conformant Resolver: with no language stated, or none of the stated ones offered, the link
// in no particular language (no hreflang, or `und`) answers before any language-specific one.
function byLanguage(links: ResolverLink[], header: string | null | undefined): ResolverLink[] {
  const stated = header ? statedLanguages(header) : '';
  if (!stated.trim()) return prefer(links, isNeutral);
  const tags = [...new Set(links.flatMap((l) => l.hreflang))];
  const order = ranked('accept-language', stated, tags);
  const rankOf = (l: ResolverLink) =>
    Math.min(...l.hreflang.map((t) => (order.indexOf(t) + 1 || Infinity) - 1));
  const best = Math.min(...links.map(rankOf));
  if (Number.isFinite(best)) return links.filter((l) => rankOf(l) === best);
  return prefer(links, isNeutral); // nothing in a language the client reads: fall back to neutral ones
}

function byMediaType(links: ResolverLink[], header: string | null | undefined): ResolverLink[] {
  // Only an explicit type can discriminate; `*/*` or `text/*` alone says nothing about our links.
  if (!header || !/(^|,)\s*[^*\s,;]+\/[^*\s,;]+/.test(header)) return links;
  const types = [...new Set(links.map((l) => l.mediaType).filter((t): t is string => t !== null))];
  const top = ranked('accept', header, types)[0];
  return top ? prefer(links, (l) => l.mediaType === top) : links;
}

/**
 * Narrows `links` (all of one link type) by context, then language, then media type. One left:
 * that link. Several left: the `fallback` (the entity's default) if it is among them, else all of
 * them, which the resolver answers with 300 Multiple Choices.
 */
export function chooseLink(links: ResolverLink[], prefs: Preferences, fallback?: ResolverLink): Choice {
  // A preference never empties the choice, so a lone link is the answer whatever the client asks.
  if (links.length === 1) return { kind: 'one', link: links[0]! };
  const remaining = byMediaType(
    byLanguage(byContext(links, prefs.context), prefs.acceptLanguage),
    prefs.accept,
  );
  if (remaining.length === 1) return { kind: 'one', link: remaining[0]! };
  if (fallback && remaining.includes(fallback)) return { kind: 'one', link: fallback };
  return { kind: 'many', links: remaining };
}
