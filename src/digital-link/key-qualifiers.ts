// Which AIs may follow a primary key in a Digital Link path, and in what order. A path is valid
// when its qualifiers are an ordered selection from one of the key's "dlpkey" alternatives, e.g.
// (01) with (22), (10), (21) in that order (any may be left out), or (01) with (235) alone.
import { lookupAi } from './ai-table';
import type { DigitalLinkError } from './types';

function alternativesOf(key: string): string[][] {
  return lookupAi(key)?.qualifierPaths ?? [];
}

function isOrderedSelection(qualifiers: string[], alternative: string[]): boolean {
  let from = 0;
  for (const q of qualifiers) {
    const at = alternative.indexOf(q, from);
    if (at < 0) return false;
    from = at + 1;
  }
  return true;
}

/** True when [key, ...qualifiers] is a valid Digital Link path sequence. */
export function isValidPathSequence(sequence: string[]): boolean {
  const [key = '', ...qualifiers] = sequence;
  return alternativesOf(key).some((alternative) => isOrderedSelection(qualifiers, alternative));
}

/** Why [key, ...qualifiers] is not a valid path sequence, in words; undefined when it is valid. */
export function explainPathSequence(sequence: string[]): DigitalLinkError | undefined {
  if (isValidPathSequence(sequence)) return undefined;
  const [key = '', ...qualifiers] = sequence;
  const alternatives = alternativesOf(key);
  const allowed = new Set(alternatives.flat());
  const stranger = qualifiers.find((q) => !allowed.has(q));
  if (stranger !== undefined) {
    const message =
      allowed.size === 0
        ? `(${key}) takes no key qualifiers, so (${stranger}) may not follow it in the path`
        : `(${stranger}) is not a key qualifier of (${key})`;
    return { code: 'invalid_key_qualifier', ai: stranger, message };
  }
  const repeated = qualifiers.find((q, i) => qualifiers.indexOf(q) !== i);
  if (repeated !== undefined) {
    return {
      code: 'invalid_key_qualifier',
      ai: repeated,
      message: `(${repeated}) appears more than once in the path`,
    };
  }
  const home = alternatives.find((alt) => qualifiers.every((q) => alt.includes(q)));
  if (!home) {
    const first = qualifiers[0] ?? '';
    const clash =
      qualifiers.find((q) => !alternatives.some((alt) => alt.includes(first) && alt.includes(q))) ?? '';
    return {
      code: 'invalid_key_qualifier',
      ai: clash,
      message: `(${first}) and (${clash}) are alternative key qualifiers of (${key}) and may not be used together`,
    };
  }
  const i = qualifiers.findIndex((q, n) => n > 0 && home.indexOf(q) < home.indexOf(qualifiers[n - 1] ?? ''));
  const later = qualifiers[i - 1] ?? '';
  const earlier = qualifiers[i] ?? '';
  return {
    code: 'key_qualifier_order',
    ai: earlier,
    message: `(${earlier}) must come before (${later}) in the path`,
  };
}

/** True when inserting `ai` after the key or one of the qualifiers would still give a valid path. */
export function fitsInPath(sequence: string[], ai: string): boolean {
  for (let at = 1; at <= sequence.length; at++) {
    if (isValidPathSequence([...sequence.slice(0, at), ai, ...sequence.slice(at)])) return true;
  }
  return false;
}

/** Every valid path sequence starting with `key`, sorted as the engine sorts them ("01", "01 10", ...). */
export function pathSequencesOf(key: string): string[][] {
  const seen = new Set<string>();
  for (const alternative of alternativesOf(key)) {
    for (let mask = 0; mask < 1 << alternative.length; mask++) {
      const chosen = alternative.filter((_, i) => mask & (1 << i));
      seen.add([key, ...chosen].join(' '));
    }
  }
  return [...seen].sort().map((s) => s.split(' '));
}
