// GS1 element strings: the bracketed form "(01)09506000134352(10)ABC" that people read, and the
// FNC1 form "^010950600013435210ABC" that barcodes carry ("^" standing for FNC1, which must
// follow every AI that is not of pre-defined length unless it is the last).
import { type CheckedAi, checkAssociations } from './ai-associations';
import { type AiEntry, lookupAi, maxValueLength } from './ai-table';
import type { AiValue, DigitalLink, DigitalLinkError, ElementsOutcome, ValidationOptions } from './types';
import { checkValueLength, lintValue } from './validate-value';

const syntaxError = (message: string): ElementsOutcome => ({
  ok: false,
  error: { code: 'invalid_element_string', message },
});

/** Validates each value and the rules across AIs (exclusions, requisites, repeats). */
export function validateElements(
  elements: AiValue[],
  options: ValidationOptions = {},
): DigitalLinkError | undefined {
  const checked: CheckedAi[] = [];
  for (const { ai, value } of elements) {
    const entry = lookupAi(ai, options.permitUnknownAIs);
    if (!entry) return { code: 'unknown_ai', ai, message: `Unknown AI (${ai})` };
    const error = lintValue(entry, value);
    if (error) return error;
    checked.push({ ai, value, entry });
  }
  return checkAssociations(checked, options.validateAIAssociations ?? true);
}

function validated(elements: AiValue[], options: ValidationOptions): ElementsOutcome {
  const error = validateElements(elements, options);
  return error ? { ok: false, error } : { ok: true, elements };
}

/** Parses "(01)09506000134352(10)ABC"; a "(" inside a value is written "\(". */
export function parseElementString(input: string, options: ValidationOptions = {}): ElementsOutcome {
  const elements: AiValue[] = [];
  let i = 0;
  while (i < input.length) {
    const close = input.indexOf(')', i);
    if (input.charAt(i) !== '(' || close < 0)
      return syntaxError(`Expected "(AI)" at position ${i + 1} of the element string`);
    const ai = input.slice(i + 1, close);
    if (!lookupAi(ai, options.permitUnknownAIs)) {
      return { ok: false, error: { code: 'unknown_ai', ai, message: `Unknown AI (${ai})` } };
    }
    let value = '';
    for (i = close + 1; i < input.length && input.charAt(i) !== '('; i++) {
      const escaped = input.charAt(i) === '\\' && input.charAt(i + 1) === '(';
      value += escaped ? '(' : input.charAt(i);
      if (escaped) i++;
    }
    if (value === '') return syntaxError(`(${ai}) has no value in the element string`);
    elements.push({ ai, value });
  }
  if (elements.length === 0) return syntaxError('The element string is empty');
  return validated(elements, options);
}

/** The AI at the start of FNC1-form data. AIs sharing two leading digits share a length, so the first match is it. */
function leadingAi(data: string): AiEntry | undefined {
  return [2, 3, 4].map((length) => lookupAi(data.slice(0, length))).find((entry) => entry !== undefined);
}

/**
 * Parses FNC1-form data such as "^0109506000134352^10ABC" (the GS character also stands for FNC1).
 * "|" separates the linear and composite parts of a composite symbol and acts as a separator.
 * Unknown AIs cannot be split from their values here, so they are not accepted.
 */
/** The GS (group separator) control character, which scanners transmit for FNC1. */
const GS = String.fromCharCode(0x1d);

export function parseFnc1ElementString(input: string, options: ValidationOptions = {}): ElementsOutcome {
  const data = input.replaceAll(GS, '^');
  if (!data.startsWith('^')) return syntaxError('FNC1-form data must start with "^" (FNC1)');
  const elements: AiValue[] = [];
  let i = 0;
  while (i < data.length) {
    if ('^|'.includes(data.charAt(i))) {
      i++;
      continue;
    }
    const entry = leadingAi(data.slice(i));
    if (!entry) return syntaxError(`No known AI at position ${i + 1} of the data`);
    const rest = data.slice(i + entry.ai.length);
    const separator = rest.search(/[\^|]/);
    const untilSeparator = separator < 0 ? rest.length : separator;
    const value = rest.slice(
      0,
      entry.fixedLength ? Math.min(maxValueLength(entry), untilSeparator) : untilSeparator,
    );
    const lengthError = checkValueLength(entry, value);
    if (lengthError) return { ok: false, error: lengthError };
    elements.push({ ai: entry.ai, value });
    i += entry.ai.length + value.length;
  }
  return validated(elements, options);
}

/** "(01)09506000134352(10)ABC"; a "(" inside a value is escaped as "\(". */
export function formatElementString(elements: readonly AiValue[]): string {
  return elements.map(({ ai, value }) => `(${ai})${value.replace(/\(/g, '\\(')}`).join('');
}

/** "^010950600013435210ABC": FNC1 first, and after each variable-length AI that is followed by another. */
export function formatFnc1ElementString(elements: readonly AiValue[], permitUnknownAIs = false): string {
  let out = '^';
  elements.forEach(({ ai, value }, i) => {
    out += ai + value;
    const fixed = lookupAi(ai, permitUnknownAIs)?.fixedLength ?? false;
    if (!fixed && i < elements.length - 1) out += '^';
  });
  return out;
}

/** The AIs of a parsed link in the engine's order: primary key, qualifiers, then attributes. */
export function digitalLinkElements(link: DigitalLink): AiValue[] {
  return [link.primaryKey, ...link.qualifiers, ...link.attributes].map(({ ai, value }) => ({ ai, value }));
}

export function digitalLinkToElementString(link: DigitalLink): string {
  return formatElementString(digitalLinkElements(link));
}
