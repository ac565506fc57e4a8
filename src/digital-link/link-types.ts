// GS1 link types: `gs1:pip` in storage and in `?linkType=`, `https://gs1.org/voc/pip` in linksets.
import vocabulary from './data/gs1-link-types.json';

const GS1_VOC = 'https://gs1.org/voc/';
// Accepted spellings of the GS1 vocabulary namespace (the resolver test suite treats them alike).
const GS1_NAMESPACES = [
  /^https?:\/\/gs1\.org\/voc\//i,
  /^https?:\/\/ref\.gs1\.org\/voc\//i,
  /^https?:\/\/www\.gs1\.org\/voc\//i,
];

// In the ratified vocabulary but missing from the bundled list (see data/ATTRIBUTION.md).
const EXTRA_TERMS = ['defaultLink', 'defaultLinkMulti', 'handledBy', 'dpp'];

export const GS1_LINK_TYPE_TERMS: ReadonlySet<string> = new Set([
  ...vocabulary.map((entry) => entry.curie.slice('gs1:'.length)),
  ...EXTRA_TERMS,
]);

export type LinkTypeOutcome = { ok: true; linkType: string } | { ok: false; message: string };

/**
 * Normalises a link type as a brand or a client writes it: `gs1:pip`, `https://gs1.org/voc/pip`
 * and its ref./www. spellings all become `gs1:pip` (and must be a vocabulary term); any other
 * absolute http(s) URI is kept as it is (a brand's own relation types).
 */
export function normalizeLinkType(input: string): LinkTypeOutcome {
  const raw = input.trim();
  let term: string | undefined;
  if (raw.toLowerCase().startsWith('gs1:')) term = raw.slice(4);
  else {
    const ns = GS1_NAMESPACES.find((re) => re.test(raw));
    if (ns) term = raw.replace(ns, '');
  }
  if (term !== undefined) {
    if (!GS1_LINK_TYPE_TERMS.has(term))
      return { ok: false, message: `gs1:${term} is not a link type of the GS1 Web Vocabulary` };
    return { ok: true, linkType: `gs1:${term}` };
  }
  if (/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(raw)) return { ok: true, linkType: raw };
  return {
    ok: false,
    message: `"${input}" is neither a GS1 link type (gs1:<term>) nor an absolute http(s) URI`,
  };
}

/** The link-relation key used in linksets: a full URI, as GS1's linkset schema requires. */
export function linkRelationUri(linkType: string): string {
  return linkType.startsWith('gs1:') ? `${GS1_VOC}${linkType.slice(4)}` : linkType;
}
