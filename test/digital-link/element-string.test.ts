// Element strings: bracketed and FNC1 forms, to and from Digital Link URIs.
import { describe, expect, it } from 'vitest';
import {
  CANONICAL_STEM,
  digitalLinkToElementString,
  digitalLinkToUri,
  elementStringToDigitalLinkUri,
  formatElementString,
  formatFnc1ElementString,
  parseDigitalLink,
  parseElementString,
  parseFnc1ElementString,
} from '../../src/digital-link';

describe('bracketed element strings', () => {
  it('parses and formats the GS1 example', () => {
    const parsed = parseElementString('(01)09506000134352(10)ABC(21)123');
    expect(parsed).toEqual({
      ok: true,
      elements: [
        { ai: '01', value: '09506000134352' },
        { ai: '10', value: 'ABC' },
        { ai: '21', value: '123' },
      ],
    });
    if (parsed.ok) expect(formatElementString(parsed.elements)).toBe('(01)09506000134352(10)ABC(21)123');
  });

  it('escapes "(" inside values as "\\("', () => {
    const elements = [
      { ai: '01', value: '09506000134352' },
      { ai: '99', value: 'A(B)' },
    ];
    const text = formatElementString(elements);
    expect(text).toBe('(01)09506000134352(99)A\\(B)');
    expect(parseElementString(text)).toEqual({ ok: true, elements });
  });

  it.each([
    ['', 'invalid_element_string'],
    ['01)09506000134352', 'invalid_element_string'],
    ['(01', 'invalid_element_string'],
    ['(01)', 'invalid_element_string'],
    ['(999)1', 'unknown_ai'],
    ['(01)09506000134353', 'invalid_check_digit'],
    ['(01)09506000134352(10)A(10)B', 'conflicting_values'],
    ['(3922)0299', 'missing_required_ai'],
  ])('refuses %j (%s)', (input, code) => {
    expect(parseElementString(input)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('FNC1 element strings', () => {
  it.each([
    ['^0109506000134352', [['01', '09506000134352']]],
    [
      '^010950600013435210ABC^21123',
      [
        ['01', '09506000134352'],
        ['10', 'ABC'],
        ['21', '123'],
      ],
    ],
    [
      '^0109506000134352310300019517261231',
      [
        ['01', '09506000134352'],
        ['3103', '000195'],
        ['17', '261231'],
      ],
    ],
    [
      '\u001d0109506000134352\u001d10ABC',
      [
        ['01', '09506000134352'],
        ['10', 'ABC'],
      ],
    ],
    [
      '^99ABC|^0112312312312333^10DEF',
      [
        ['99', 'ABC'],
        ['01', '12312312312333'],
        ['10', 'DEF'],
      ],
    ],
  ])('parses %j', (input, pairs) => {
    expect(parseFnc1ElementString(input)).toEqual({
      ok: true,
      elements: pairs.map(([ai, value]) => ({ ai, value })),
    });
  });

  it('puts FNC1 only after variable-length AIs that are followed by another', () => {
    const elements = [
      { ai: '01', value: '09506000134352' },
      { ai: '10', value: 'ABC' },
      { ai: '17', value: '261231' },
      { ai: '21', value: '123' },
    ];
    expect(formatFnc1ElementString(elements)).toBe('^010950600013435210ABC^1726123121123');
    expect(parseFnc1ElementString(formatFnc1ElementString(elements))).toEqual({ ok: true, elements });
  });

  it('refuses data without FNC1 first or with an unknown AI', () => {
    expect(parseFnc1ElementString('0109506000134352')).toMatchObject({
      ok: false,
      error: { code: 'invalid_element_string' },
    });
    expect(parseFnc1ElementString('^2345')).toMatchObject({
      ok: false,
      error: { code: 'invalid_element_string' },
    });
  });
});

describe('between element strings and Digital Link URIs', () => {
  it('generates the canonical URI by default', () => {
    expect(elementStringToDigitalLinkUri('(01)09506000134352(10)ABC(21)123(17)261231')).toEqual({
      ok: true,
      uri: `${CANONICAL_STEM}/01/09506000134352/10/ABC/21/123?17=261231`,
    });
  });

  it('orders qualifiers as the standard requires whatever order they come in', () => {
    expect(
      elementStringToDigitalLinkUri('(21)123(10)ABC(22)2A(01)09506000134352', {
        stem: 'https://brand.example',
      }),
    ).toEqual({
      ok: true,
      uri: 'https://brand.example/01/09506000134352/22/2A/10/ABC/21/123',
    });
  });

  it('escapes values for the path and the query', () => {
    expect(elementStringToDigitalLinkUri('(01)09506000134352(10)A/B C(99)X Y/Z', { stem: '' })).toMatchObject(
      {
        ok: false,
        error: { code: 'invalid_character', ai: '10' },
      },
    );
    expect(elementStringToDigitalLinkUri('(01)09506000134352(10)A/B+C(99)X&Y=Z', { stem: '' })).toEqual({
      ok: true,
      uri: '/01/09506000134352/10/A%2FB%2BC?99=X%26Y%3DZ',
    });
  });

  it('round-trips a parsed link', () => {
    const uri =
      'https://id.gs1.org/01/09506000134352/10/ABC%2F1?3103=000195&17=261231&99=X%2BY&linkType=gs1:pip';
    const parsed = parseDigitalLink(uri);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(digitalLinkToElementString(parsed.link)).toBe(
      '(01)09506000134352(10)ABC/1(3103)000195(17)261231(99)X+Y',
    );
    // Pre-defined-length attributes first, as the engine writes them; other parameters are dropped.
    expect(digitalLinkToUri(parsed.link)).toBe(
      'https://id.gs1.org/01/09506000134352/10/ABC%2F1?3103=000195&17=261231&99=X%2BY',
    );
    expect(digitalLinkToUri(parsed.link, 'https://example.com/')).toMatch(/^https:\/\/example\.com\/01\//);
  });
});
