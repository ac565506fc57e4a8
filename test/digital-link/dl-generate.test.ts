// The GS1 Syntax Engine's generation test (dl-generate.json): AI data to Digital Link URI.
import { describe, expect, it } from 'vitest';
import {
  digitalLinkToUri,
  type GenerateOutcome,
  generateDigitalLinkUri,
  parseDigitalLink,
  parseElementString,
  parseFnc1ElementString,
} from '../../src/digital-link';
import generate from '../fixtures/gs1/dl-generate.json';
import { type EngineOptions, fromEngineOptions } from './vector-options';

interface GenerateVector {
  elementString?: string;
  input?: string;
  stem: string | null;
  valid: boolean;
  uri?: string;
  sourceLine: number;
  options?: EngineOptions;
  engineError?: string;
}

const vectors = generate as GenerateVector[];

function run(v: GenerateVector): GenerateOutcome {
  const options = { ...fromEngineOptions(v.options), stem: v.stem };
  if (v.elementString !== undefined) {
    const parsed = parseElementString(v.elementString, options);
    return parsed.ok ? generateDigitalLinkUri(parsed.elements, options) : parsed;
  }
  const input = v.input ?? '';
  if (input.startsWith('https://')) {
    // A DL URI as input keeps the path order it was given (the engine keeps dlPathOrder from parsing).
    const parsed = parseDigitalLink(input, options);
    return parsed.ok ? { ok: true, uri: digitalLinkToUri(parsed.link, v.stem) } : parsed;
  }
  // Otherwise the input is composite data in the engine's FNC1 notation ("^" FNC1, "|" separator).
  const parsed = parseFnc1ElementString(input, options);
  return parsed.ok ? generateDigitalLinkUri(parsed.elements, options) : parsed;
}

const label = (v: GenerateVector) =>
  `dl.c:${v.sourceLine} ${v.elementString ?? v.input} stem=${JSON.stringify(v.stem)}`;

describe('GS1 Syntax Engine generation vectors (dl-generate.json)', () => {
  it('has the 25 vectors the corpus describes', () => {
    expect(vectors).toHaveLength(25);
  });

  it.each(vectors.filter((v) => v.valid).map((v) => [label(v), v] as const))('generates %s', (_label, v) => {
    const outcome = run(v);
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.uri).toBe(v.uri);
  });

  it.each(vectors.filter((v) => !v.valid).map((v) => [label(v), v] as const))('refuses %s', (_label, v) => {
    const outcome = run(v);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const ai = /^AI \((\d+)\) is not a valid DL URI data attribute$/.exec(v.engineError ?? '')?.[1];
    if (ai) expect(outcome.error).toMatchObject({ code: 'not_a_data_attribute', ai });
    else expect(outcome.error.code).toBe('no_primary_key_in_data');
  });

  it('round-trips every generated URI through the parser', () => {
    for (const v of vectors.filter((x) => x.valid && x.stem !== '')) {
      const parsed = parseDigitalLink(v.uri ?? '', fromEngineOptions(v.options));
      expect(parsed.ok, v.uri).toBe(true);
    }
  });
});
