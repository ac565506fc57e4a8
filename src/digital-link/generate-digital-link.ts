// From AI data to a Digital Link URI, as gs1_generateDLuri in gs1/gs1-syntax-engine dl.c: the
// first AI that is a primary key leads the path, followed by the qualifier sequence that uses
// most of the data's AIs; the rest become query attributes, pre-defined-length AIs first.
import { type AiEntry, lookupAi } from './ai-table';
import { parseElementString, validateElements } from './element-string';
import { pathSequencesOf } from './key-qualifiers';
import { escapeUriComponent } from './percent-encoding';
import type { AiValue, DigitalLink, DigitalLinkError, GenerateOutcome, ValidationOptions } from './types';

/** The stem GS1 recommends for canonical Digital Link URIs. */
export const CANONICAL_STEM = 'https://id.gs1.org';

export interface GenerateOptions extends ValidationOptions {
  /** Scheme, host and optional path before the primary key; `null`/absent for the canonical stem, '' for a bare path. */
  stem?: string | null;
}

interface Element extends AiValue {
  entry: AiEntry;
}

function trimStem(stem: string | null | undefined): string {
  const chosen = stem ?? CANONICAL_STEM;
  return chosen.endsWith('/') ? chosen.slice(0, -1) : chosen;
}

function buildUri(stem: string | null | undefined, path: AiValue[], attributes: AiValue[]): string {
  const pathPart = path.map(({ ai, value }) => `/${ai}/${escapeUriComponent(value, 'path')}`).join('');
  // Pre-defined-length AIs first, then the others, each group in data order (as the engine does).
  const fixed = (a: AiValue) => lookupAi(a.ai, true)?.fixedLength ?? false;
  const ordered = [...attributes.filter(fixed), ...attributes.filter((a) => !fixed(a))];
  const query = ordered.map(({ ai, value }) => `${ai}=${escapeUriComponent(value, 'query')}`).join('&');
  return `${trimStem(stem)}${pathPart}${query ? `?${query}` : ''}`;
}

function notAnAttribute(element: Element, options: ValidationOptions): DigitalLinkError | undefined {
  const { dataAttribute } = element.entry;
  if (dataAttribute === true || (dataAttribute === 'unknown' && options.permitUnknownAIsAsAttributes))
    return undefined;
  return {
    code: 'not_a_data_attribute',
    ai: element.ai,
    message: `(${element.ai}) may not be used as a Digital Link data attribute, and the path has no place for it`,
  };
}

/** Builds a Digital Link URI from AI data, e.g. [(01)…, (10)…, (17)…] -> https://id.gs1.org/01/…/10/…?17=…. */
export function generateDigitalLinkUri(data: AiValue[], options: GenerateOptions = {}): GenerateOutcome {
  const invalid = validateElements(data, options);
  if (invalid) return { ok: false, error: invalid };
  const elements = data.map(
    (d): Element => ({ ...d, entry: lookupAi(d.ai, options.permitUnknownAIs) as AiEntry }),
  );
  const key = elements.find((e) => e.entry.qualifierPaths);
  if (!key) {
    const message = 'Cannot create a Digital Link URI without a primary key AI such as (01), (00) or (414)';
    return { ok: false, error: { code: 'no_primary_key_in_data', message } };
  }
  const count = (ai: string) => elements.filter((e) => e.ai === ai).length;
  let best = [key.ai];
  let bestScore = 0;
  for (const sequence of pathSequencesOf(key.ai)) {
    const score = sequence.slice(1).reduce((sum, ai) => sum + count(ai), 0);
    if (score > bestScore) [best, bestScore] = [sequence, score];
  }
  const path = best.flatMap((ai) => elements.find((e) => e.ai === ai) ?? []);
  const seen = new Set(best);
  const attributes: Element[] = [];
  for (const element of elements) {
    if (seen.has(element.ai)) continue;
    seen.add(element.ai); // identical repeats were allowed by validation and are merged here
    const error = notAnAttribute(element, options);
    if (error) return { ok: false, error };
    attributes.push(element);
  }
  return { ok: true, uri: buildUri(options.stem, path, attributes) };
}

/** Parses a bracketed element string and builds its Digital Link URI. */
export function elementStringToDigitalLinkUri(
  elementString: string,
  options: GenerateOptions = {},
): GenerateOutcome {
  const parsed = parseElementString(elementString, options);
  return parsed.ok ? generateDigitalLinkUri(parsed.elements, options) : parsed;
}

/** The URI of an already parsed link, keeping its path as it is; query parameters other than AIs are left out. */
export function digitalLinkToUri(link: DigitalLink, stem: string | null = CANONICAL_STEM): string {
  return buildUri(stem, [link.primaryKey, ...link.qualifiers], link.attributes);
}
