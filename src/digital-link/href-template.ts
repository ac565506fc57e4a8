// Link targets may be templates: `https://brand.example/p/{gtin}?lot={lot}`. The scanned values
// fill them, percent-encoded, because they come from the printed code and are untrusted.
import type { AiValue } from '.';

// Names for the AIs brands most often template with; any AI also works as `{<ai>}` (e.g. `{17}`).
const NAME_BY_AI: Record<string, string> = {
  '01': 'gtin',
  '00': 'sscc',
  '414': 'gln',
  '417': 'party',
  '8003': 'grai',
  '8004': 'giai',
  '8006': 'itip',
  '8010': 'cpid',
  '8013': 'gmn',
  '8017': 'gsrnp',
  '8018': 'gsrn',
  '253': 'gdti',
  '255': 'gcn',
  '401': 'ginc',
  '402': 'gsin',
  '22': 'cpv',
  '10': 'lot',
  '21': 'serial',
  '235': 'tpx',
  '254': 'glnx',
  '7040': 'uic',
  '8011': 'cpsn',
  '8019': 'srin',
};
/** The named placeholders (`gtin`, `lot` …), for the hints of forms that take templates. */
export const TEMPLATE_NAMES: readonly string[] = Object.values(NAME_BY_AI);
const STANDARD_NAMES = new Set(TEMPLATE_NAMES);
const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

export interface TemplateValues {
  /** Every AI of the scan: primary key, qualifiers and data attributes. */
  elements: readonly AiValue[];
  /** Brand-named wildcards of the matched entity (`lotnumber` → scanned lot). */
  named?: ReadonlyMap<string, string>;
  /** Serialised-key prefix match: `{0}` the stored prefix, `{1}` the rest of the scanned value. */
  prefix?: { matched: string; rest: string };
}

function lookup(name: string, values: TemplateValues): string | undefined {
  if (values.named?.has(name)) return values.named.get(name);
  if (name === '0') return values.prefix?.matched;
  if (name === '1') return values.prefix?.rest;
  const ai = /^\d{2,4}$/.test(name) ? name : Object.keys(NAME_BY_AI).find((k) => NAME_BY_AI[k] === name);
  return ai === undefined ? undefined : values.elements.find((e) => e.ai === ai)?.value;
}

/** Fills every known placeholder; one without a value in this scan becomes empty. */
export function fillHrefTemplate(href: string, values: TemplateValues): string {
  if (!href.includes('{')) return href;
  return href.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isKnownPlaceholder(name, values.named)) return whole;
    return encodeURIComponent(lookup(name, values) ?? '');
  });
}

export function isKnownPlaceholder(
  name: string,
  named?: ReadonlyMap<string, unknown> | ReadonlySet<string>,
): boolean {
  return STANDARD_NAMES.has(name) || /^\d{1,4}$/.test(name) || (named?.has(name) ?? false);
}

/** Placeholders in `href` that nothing could ever fill (reported as a 400 when a link is saved). */
export function unknownPlaceholders(href: string, wildcardNames: ReadonlySet<string>): string[] {
  return [...href.matchAll(PLACEHOLDER)]
    .map((m) => m[1]!)
    .filter((name) => !isKnownPlaceholder(name, wildcardNames));
}

/** True when the href uses the serialised-key prefix placeholders `{0}` or `{1}`. */
export function usesPrefixPlaceholders(href: string): boolean {
  return href.includes('{0}') || href.includes('{1}');
}
