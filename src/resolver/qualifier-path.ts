// Canonical qualifier paths: how entities are stored and looked up (see dl_entities.qualifier_path).
import type { AiValue } from '../digital-link';

/** A wildcard value as a brand writes it: `{lotnumber}`, `{serial}`, `{}` … */
export const WILDCARD_PATTERN = /^\{[A-Za-z0-9_]*\}$/;
const WILDCARD = '{}';

export interface QualifierSpec {
  ai: string;
  /** The concrete value, or null for "any value". */
  value: string | null;
  /** The brand's wildcard name (`lotnumber` for `{lotnumber}`), if a wildcard. */
  name?: string;
}

/** One `/<ai>/<value>` step of a canonical path: the value percent-encoded, or `{}` for any value. */
function qualifierSegment(ai: string, value: string | null): string {
  return `/${ai}/${value === null ? WILDCARD : encodeURIComponent(value)}`;
}

export function canonicalQualifierPath(qualifiers: readonly QualifierSpec[]): string {
  return qualifiers.map((q) => qualifierSegment(q.ai, q.value)).join('');
}

export function qualifierTemplatePath(qualifiers: readonly QualifierSpec[]): string {
  return qualifiers
    .map((q) => `/${q.ai}/${q.value === null ? `{${q.name ?? ''}}` : encodeURIComponent(q.value)}`)
    .join('');
}

/** The concrete DL path of a level (primary key + qualifiers), percent-encoded, for anchors. */
export function digitalLinkPath(primaryKey: AiValue, qualifiers: readonly AiValue[]): string {
  return [primaryKey, ...qualifiers].map((e) => qualifierSegment(e.ai, e.value)).join('');
}

export interface LevelCandidates {
  /** The scanned qualifiers this level keeps (a prefix of the scan's qualifiers). */
  qualifiers: AiValue[];
  /** Canonical paths that can answer this level, best first: exact values beat wildcards, left to right. */
  paths: string[];
}

/**
 * The walk-up (GS1 resolver standard: serial → lot → key, inside the resolver): every level from
 * the most specific to the bare key, each with the stored paths that may serve it. With at most
 * three qualifiers there are at most 8 + 4 + 2 + 1 = 15 paths, one D1 query.
 */
export function walkUpLevels(qualifiers: readonly AiValue[]): LevelCandidates[] {
  // Each qualifier's two forms, encoded once: every scan walks up.
  const exact = qualifiers.map((q) => qualifierSegment(q.ai, q.value));
  const wildcard = qualifiers.map((q) => qualifierSegment(q.ai, null));
  const levels: LevelCandidates[] = [];
  for (let k = qualifiers.length; k >= 0; k--) {
    const paths: string[] = [];
    // Bit i (from the left) set = qualifier i exact. Counting down from all-exact puts exact
    // values on the left ahead of exact values on the right.
    for (let mask = (1 << k) - 1; mask >= 0; mask--) {
      let path = '';
      for (let i = 0; i < k; i++) path += mask & (1 << (k - 1 - i)) ? exact[i] : wildcard[i];
      paths.push(path);
    }
    levels.push({ qualifiers: qualifiers.slice(0, k), paths });
  }
  return levels;
}

const NAMED_WILDCARD = /^\{([A-Za-z0-9_]+)\}$/;

/** The brand-named wildcards of a qualifier template: `/10/{lotnumber}` → [['10', 'lotnumber']]. */
export function templateWildcards(template: string): [ai: string, name: string][] {
  const wildcards: [string, string][] = [];
  const parts = template.split('/').slice(1);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = NAMED_WILDCARD.exec(parts[i + 1]!)?.[1];
    if (name) wildcards.push([parts[i]!, name]);
  }
  return wildcards;
}
