// Percent-decoding and -encoding of AI values (dl-uri-escape.json).
import { describe, expect, it } from 'vitest';
import { escapeUriComponent, unescapeUriComponent } from '../../src/digital-link';
import escapeVectors from '../fixtures/gs1/dl-uri-escape.json';

interface UnescapeVector {
  input: string;
  expectedPath: string | null;
  expectedQuery: string | null;
  expectedPathHex?: string;
  expectedQueryHex?: string;
  sourceLine: number;
}

const hex = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

describe('URI unescaping of AI values', () => {
  it.each(
    (escapeVectors.unescape.vectors as UnescapeVector[]).map((v) => [JSON.stringify(v.input), v] as const),
  )('decodes %s', (_name, v) => {
    const path = unescapeUriComponent(v.input, 'path');
    const query = unescapeUriComponent(v.input, 'query');
    expect(path).toBe(v.expectedPath);
    expect(query).toBe(v.expectedQuery);
    // Decoded bytes become characters of the same code; the hex fields give the exact bytes.
    if (v.expectedPathHex && path !== null) expect(hex(path)).toBe(v.expectedPathHex);
    if (v.expectedQueryHex && query !== null) expect(hex(query)).toBe(v.expectedQueryHex);
  });
});

describe('URI escaping of AI values', () => {
  it.each(escapeVectors.escape.vectors.map((v) => [JSON.stringify(v.input), v] as const))(
    'encodes %s',
    (_name, v) => {
      expect(escapeUriComponent(v.input, 'path')).toBe(v.expectedPath);
      expect(escapeUriComponent(v.input, 'query')).toBe(v.expectedQuery);
    },
  );

  it('round-trips every character of set 82 in both places', () => {
    const cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
    for (const kind of ['path', 'query'] as const) {
      expect(unescapeUriComponent(escapeUriComponent(cset82, kind), kind)).toBe(cset82);
    }
  });
});
