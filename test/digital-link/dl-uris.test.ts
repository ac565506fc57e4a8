// Every URI of the GS1 Syntax Engine's own parse test (dl-uris.json), with the options it ran with.
import { describe, expect, it } from 'vitest';
import {
  type DigitalLinkErrorCode,
  digitalLinkElements,
  digitalLinkToElementString,
  formatFnc1ElementString,
  parseDigitalLink,
} from '../../src/digital-link';
import uris from '../fixtures/gs1/dl-uris.json';
import { type EngineOptions, fromEngineOptions } from './vector-options';

interface UriVector {
  uri: string;
  valid: boolean;
  elementString?: string;
  fnc1String?: string;
  sourceLine: number;
  defaultOptions: boolean;
  options?: EngineOptions;
  validWithDefaultOptions?: boolean;
  engineError?: string;
}

const vectors = uris as UriVector[];

// The engine's error for each rejected vector, and the code we give for the same fault.
const CODE_FOR_ENGINE_ERROR: [RegExp, DigitalLinkErrorCode][] = [
  [/^Scheme must be/, 'invalid_scheme'],
  [/^URI must contain a domain and path info/, 'missing_domain_or_path'],
  [/^Domain contains illegal characters/, 'illegal_domain_character'],
  [/^URI contains illegal characters/, 'illegal_character'],
  [/^No GS1 DL keys found in path info/, 'no_primary_key'],
  [/value is too short$/, 'too_short'],
  [/value is too long$/, 'too_long'],
  [/value (query|path) element is empty$/, 'empty_value'],
  [/illegal null character$/, 'null_character'],
  [/^Unknown AI \(\d+\) in query parameters$/, 'unknown_ai'],
  [/A non-CSET 82 character/, 'invalid_character'],
  [/should be in the path info$/, 'belongs_in_path'],
  [/is duplicated$/, 'duplicate_ai'],
  [/is not a valid DL URI data attribute$/, 'not_a_data_attribute'],
  [/not a valid key-qualifier sequence/, 'invalid_key_qualifier'],
  [/^Too many AIs$/, 'too_many_ais'],
];

function expectedCode(engineError: string | undefined): DigitalLinkErrorCode {
  const found = CODE_FOR_ENGINE_ERROR.find(([pattern]) => pattern.test(engineError ?? ''));
  if (!found) throw new Error(`No code mapped for engine error: ${engineError}`);
  return found[1];
}

const label = (v: UriVector) =>
  `dl.c:${v.sourceLine} ${v.uri.length > 90 ? `${v.uri.slice(0, 90)}…` : v.uri}`;

describe('GS1 Syntax Engine parse vectors (dl-uris.json)', () => {
  it('has the 121 vectors the corpus describes', () => {
    expect(vectors).toHaveLength(121);
    expect(vectors.filter((v) => v.valid)).toHaveLength(74);
  });

  it.each(vectors.filter((v) => v.valid).map((v) => [label(v), v] as const))('accepts %s', (_label, v) => {
    const outcome = parseDigitalLink(v.uri, fromEngineOptions(v.options));
    if (!outcome.ok) throw new Error(outcome.error.message);
    // The engine lists path AIs, then query AIs in URI order; so do we, so the strings compare exactly.
    expect(digitalLinkToElementString(outcome.link)).toBe(v.elementString);
    expect(formatFnc1ElementString(digitalLinkElements(outcome.link), true)).toBe(v.fnc1String);
  });

  it.each(vectors.filter((v) => !v.valid).map((v) => [label(v), v] as const))('rejects %s', (_label, v) => {
    const outcome = parseDigitalLink(v.uri, fromEngineOptions(v.options));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe(expectedCode(v.engineError));
    if (v.engineError === 'Too many AIs') expect(outcome.error.message).toMatch(/^Too many AIs/);
  });

  it.each(vectors.filter((v) => !v.defaultOptions).map((v) => [label(v), v] as const))(
    'gives the engine result with default options for %s',
    (_label, v) => {
      expect(parseDigitalLink(v.uri).ok).toBe(v.validWithDefaultOptions);
    },
  );
});
