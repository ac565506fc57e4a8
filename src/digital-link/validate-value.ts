// Validation of one AI value against its dictionary entry: overall length first (reporting a
// check digit is not helpful when the value is too long), then each component in turn with its
// character set and linters, as the engine's validate_ai_val does.
import { type AiEntry, formatSpecification, maxValueLength, minValueLength } from './ai-table';
import { lintCharacterSet } from './character-sets';
import { type Lint, linterNamed } from './linters';
import type { DigitalLinkError } from './types';

function lengthWanted(entry: AiEntry): string {
  const min = minValueLength(entry);
  const max = maxValueLength(entry);
  const spec = formatSpecification(entry);
  return min === max ? `exactly ${max} characters (${spec})` : `${min} to ${max} characters (${spec})`;
}

/** Too short or too long for the AI, or undefined. */
export function checkValueLength(entry: AiEntry, value: string): DigitalLinkError | undefined {
  const tooShort = value.length < minValueLength(entry);
  if (!tooShort && value.length <= maxValueLength(entry)) return undefined;
  return {
    code: tooShort ? 'too_short' : 'too_long',
    ai: entry.ai,
    message:
      `(${entry.ai}) value ${value} is too ${tooShort ? 'short' : 'long'}: ` +
      `${entry.title} needs ${lengthWanted(entry)}, got ${value.length}`,
  };
}

function errorFrom(
  lint: Lint,
  entry: AiEntry,
  value: string,
  part: string,
  offset: number,
): DigitalLinkError {
  const whole = part === value;
  const message =
    lint.message?.(entry.ai) ??
    (whole
      ? `(${entry.ai}) value ${value} ${lint.reason ?? 'is invalid'}`
      : `(${entry.ai}) value ${value}: "${part}" at position ${offset + 1} ${lint.reason ?? 'is invalid'}`);
  return { code: lint.code, message, ai: entry.ai, position: offset + lint.position };
}

/** Runs every component's character set and linters over the value; the first failure wins. */
export function lintValue(entry: AiEntry, value: string): DigitalLinkError | undefined {
  const lengthError = checkValueLength(entry, value);
  if (lengthError) return lengthError;
  let offset = 0;
  for (const component of entry.components) {
    const part = value.slice(offset, offset + component.max);
    if (component.optional && part.length === 0) continue;
    if (part.length < component.min) {
      const message = `(${entry.ai}) value ${value} is too short: ${entry.title} needs ${lengthWanted(entry)}`;
      return { code: 'too_short', ai: entry.ai, message };
    }
    const lint = lintCharacterSet(component.cset, part) ?? firstLint(component.linters, part);
    if (lint) return errorFrom(lint, entry, value, part, offset);
    offset += part.length;
  }
  // The components' maxima add up to the overall maximum checked above, so nothing is left over.
  return undefined;
}

function firstLint(linters: string[], part: string): Lint | undefined {
  for (const name of linters) {
    const lint = linterNamed(name)(part);
    if (lint) return lint;
  }
  return undefined;
}
