// Digital Link rules over the extracted AIs, in the engine's order (dl.c, then ai.c): the path is
// a valid key-qualifier sequence; each query AI is new, a permitted data attribute and not a key
// qualifier that belongs in the path; every value passes its linters; the AIs fit together.
import { type CheckedAi, checkAssociations } from './ai-associations';
import { explainPathSequence, fitsInPath } from './key-qualifiers';
import type { DigitalLinkError, ValidationOptions } from './types';
import { lintValue } from './validate-value';

function checkAttribute(
  attribute: CheckedAi,
  earlier: CheckedAi[],
  pathAis: string[],
  options: ValidationOptions,
): DigitalLinkError | undefined {
  const { ai, entry } = attribute;
  const previous = earlier.findIndex((other) => other.ai === ai);
  if (previous >= 0) {
    const where =
      previous < pathAis.length
        ? 'is already in the path and may not be repeated in the query string'
        : 'appears more than once in the query string';
    return { code: 'duplicate_ai', ai, message: `(${ai}) ${where}` };
  }
  if (
    entry.dataAttribute === false ||
    (entry.dataAttribute === 'unknown' && !options.permitUnknownAIsAsAttributes)
  ) {
    const subject = entry.unknown ? `(${ai}) is not a known AI, so it` : `(${ai})`;
    return {
      code: 'not_a_data_attribute',
      ai,
      message: `${subject} may not be used as a Digital Link data attribute`,
    };
  }
  if (fitsInPath(pathAis, ai)) {
    return {
      code: 'belongs_in_path',
      ai,
      message: `(${ai}) is a key qualifier of (${pathAis[0] ?? ''}) and belongs in the path, not the query string`,
    };
  }
  return undefined;
}

/** Validates path AIs (key first) and query AIs; returns the first error found, or undefined. */
export function validateDigitalLinkAis(
  path: CheckedAi[],
  query: CheckedAi[],
  options: ValidationOptions,
): DigitalLinkError | undefined {
  const pathAis = path.map((x) => x.ai);
  const sequenceError = explainPathSequence(pathAis);
  if (sequenceError) return sequenceError;
  const all = [...path, ...query];
  for (let i = path.length; i < all.length; i++) {
    const attribute = all[i];
    const error = attribute && checkAttribute(attribute, all.slice(0, i), pathAis, options);
    if (error) return error;
  }
  for (const { entry, value } of all) {
    const error = lintValue(entry, value);
    if (error) return error;
  }
  return checkAssociations(all, options.validateAIAssociations ?? true);
}
