// What a brand sends to the links API, validated: an anchor (a Digital Link path whose qualifier
// values may be wildcards like `{lotnumber}`), an item description and the links.
import * as z from 'zod';
import { type AiValue, lookupAi, parseDigitalLinkPath } from '../digital-link';
import { minValueLength } from '../digital-link/ai-table';
import { unknownPlaceholders, usesPrefixPlaceholders } from '../digital-link/href-template';
import { normalizeLinkType } from '../digital-link/link-types';
import {
  canonicalQualifierPath,
  type QualifierSpec,
  qualifierTemplatePath,
  WILDCARD_PATTERN,
} from './qualifier-path';

export const MAX_LINKS_PER_ENTITY = 200;

const linkSchema = z.strictObject({
  link_type: z.string().min(1).max(300),
  href: z.url({ protocol: /^https?$/, error: 'href must be an absolute http(s) URL' }).max(2048),
  title: z.string().trim().min(1).max(500),
  hreflang: z
    .array(
      z
        .string()
        .regex(
          /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/,
          'hreflang entries must be language tags like "en" or "en-GB"',
        ),
    )
    .max(20)
    .default([]),
  context: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  media_type: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'media_type must look like "text/html"')
    .optional(),
  default: z.boolean().optional(),
  forward_query: z.boolean().default(true),
});

export const entityInputSchema = z.strictObject({
  anchor: z.string().min(4).max(400),
  item_description: z.string().trim().min(1).max(500),
  links: z.array(linkSchema).min(1).max(MAX_LINKS_PER_ENTITY),
});

export type EntityInput = z.infer<typeof entityInputSchema>;

export interface NormalizedLink {
  linkType: string;
  href: string;
  title: string;
  hreflang: string[];
  context: string[];
  mediaType: string | null;
  isDefault: boolean;
  forwardQuery: boolean;
}

export interface NormalizedEntity {
  primaryKey: AiValue;
  qualifiers: QualifierSpec[];
  qualifierPath: string;
  qualifierTemplate: string;
  itemDescription: string;
  matchesPrefix: boolean;
  links: NormalizedLink[];
}

export interface InputProblem {
  path: string;
  message: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** Parses the anchor with the Digital Link parser, wildcard values standing in as dummies. */
function parseAnchor(anchor: string): Outcome<{ primaryKey: AiValue; qualifiers: QualifierSpec[] }> {
  const segments = anchor.replace(/\/+$/, '').split('/').slice(1);
  const wildcards = new Map<string, string>();
  for (let i = 1; i < segments.length; i += 2) {
    const ai = segments[i - 1]!;
    const value = segments[i]!;
    if (!WILDCARD_PATTERN.test(value)) continue;
    if (i === 1)
      return {
        ok: false,
        problems: [
          { path: 'anchor', message: 'The primary key needs a real value; only qualifiers may be wildcards' },
        ],
      };
    const entry = lookupAi(ai);
    wildcards.set(ai, value.slice(1, -1));
    segments[i] = '1'.repeat(entry ? Math.max(1, minValueLength(entry)) : 1);
  }
  const parsed = parseDigitalLinkPath(`/${segments.join('/')}`, '', { permitZeroSuppressedGTIN: true });
  if (!parsed.ok) return { ok: false, problems: [{ path: 'anchor', message: parsed.error.message }] };
  const { link } = parsed;
  if (link.stem)
    return {
      ok: false,
      problems: [
        { path: 'anchor', message: 'The anchor must start with the primary key, e.g. /01/09506000134352' },
      ],
    };
  const qualifiers = link.qualifiers.map(
    (q): QualifierSpec =>
      wildcards.has(q.ai)
        ? { ai: q.ai, value: null, name: wildcards.get(q.ai)! }
        : { ai: q.ai, value: q.value },
  );
  return { ok: true, value: { primaryKey: link.primaryKey, qualifiers } };
}

/** Everything the schema cannot say alone: anchor syntax, link types, placeholders, one default. */
export function normalizeEntity(input: EntityInput, pathPrefix = ''): Outcome<NormalizedEntity> {
  const anchor = parseAnchor(input.anchor);
  if (!anchor.ok)
    return { ok: false, problems: anchor.problems.map((p) => ({ ...p, path: `${pathPrefix}${p.path}` })) };
  const problems: InputProblem[] = [];
  const wildcardNames = new Set(anchor.value.qualifiers.flatMap((q) => (q.name ? [q.name] : [])));
  const links = input.links.map((link, i): NormalizedLink => {
    const type = normalizeLinkType(link.link_type);
    if (!type.ok) problems.push({ path: `${pathPrefix}links.${i}.link_type`, message: type.message });
    const unknown = unknownPlaceholders(link.href, wildcardNames);
    if (unknown.length > 0) {
      problems.push({
        path: `${pathPrefix}links.${i}.href`,
        message: `Unknown template placeholder(s): ${unknown.map((n) => `{${n}}`).join(', ')}`,
      });
    }
    return {
      linkType: type.ok ? type.linkType : link.link_type,
      href: link.href,
      title: link.title,
      hreflang: link.hreflang,
      context: link.context,
      mediaType: link.media_type ?? null,
      isDefault: link.default ?? false,
      forwardQuery: link.forward_query,
    };
  });
  const defaults = links.filter((l) => l.isDefault).length;
  if (defaults === 0 && links.length === 1) links[0]!.isDefault = true;
  else if (defaults !== 1) {
    problems.push({
      path: `${pathPrefix}links`,
      message: `Exactly one link must be the default ("default": true); ${defaults} are`,
    });
  }
  const matchesPrefix = links.some((l) => usesPrefixPlaceholders(l.href));
  if (
    matchesPrefix &&
    (anchor.value.qualifiers.length > 0 || !['00', '8003', '8004'].includes(anchor.value.primaryKey.ai))
  ) {
    problems.push({
      path: `${pathPrefix}links`,
      message: '{0} and {1} (prefix matching) only work on a bare SSCC, GRAI or GIAI anchor',
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      primaryKey: anchor.value.primaryKey,
      qualifiers: anchor.value.qualifiers,
      qualifierPath: canonicalQualifierPath(anchor.value.qualifiers),
      qualifierTemplate: qualifierTemplatePath(anchor.value.qualifiers),
      itemDescription: input.item_description,
      matchesPrefix,
      links,
    },
  };
}
