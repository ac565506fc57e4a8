import { describe, expect, it } from 'vitest';
import { fillHrefTemplate, unknownPlaceholders } from '../digital-link/href-template';
import { linkRelationUri, normalizeLinkType } from '../digital-link/link-types';
import { canonicalQualifierPath, walkUpLevels } from './qualifier-path';

describe('walkUpLevels', () => {
  it('lists levels from the most specific, exact values before wildcards, left to right', () => {
    const levels = walkUpLevels([
      { ai: '10', value: 'L' },
      { ai: '21', value: 'S' },
    ]);
    expect(levels.map((l) => l.paths)).toEqual([
      ['/10/L/21/S', '/10/L/21/{}', '/10/{}/21/S', '/10/{}/21/{}'],
      ['/10/L', '/10/{}'],
      [''],
    ]);
  });

  it('encodes values so a "/" inside a lot cannot be confused with a separator', () => {
    expect(canonicalQualifierPath([{ ai: '10', value: 'A/B' }])).toBe('/10/A%2FB');
    expect(canonicalQualifierPath([{ ai: '10', value: null }])).toBe('/10/{}');
  });

  it('has 15 paths at most (three qualifiers)', () => {
    const levels = walkUpLevels([
      { ai: '22', value: 'C' },
      { ai: '10', value: 'L' },
      { ai: '21', value: 'S' },
    ]);
    expect(levels.flatMap((l) => l.paths)).toHaveLength(15);
  });
});

describe('href templates', () => {
  const elements = [
    { ai: '01', value: '09506000134352' },
    { ai: '10', value: 'A&B <x>' },
    { ai: '17', value: '261231' },
  ];
  it.each([
    ['https://b.example/{gtin}', 'https://b.example/09506000134352'],
    ['https://b.example/?lot={lot}', 'https://b.example/?lot=A%26B%20%3Cx%3E'],
    ['https://b.example/?l={10}&e={17}', 'https://b.example/?l=A%26B%20%3Cx%3E&e=261231'],
    ['https://b.example/?s={serial}', 'https://b.example/?s='],
    ['https://b.example/{custom}', 'https://b.example/{custom}'],
  ])('%s → %s', (href, expected) => {
    expect(fillHrefTemplate(href, { elements })).toBe(expected);
  });

  it('fills brand-named wildcards and the prefix placeholders', () => {
    expect(
      fillHrefTemplate('https://b.example/{lotnumber}', { elements, named: new Map([['lotnumber', 'L1']]) }),
    ).toBe('https://b.example/L1');
    expect(
      fillHrefTemplate('https://b.example/?a={0}&b={1}', {
        elements,
        prefix: { matched: '0950', rest: '77' },
      }),
    ).toBe('https://b.example/?a=0950&b=77');
  });

  it('reports placeholders nothing can fill', () => {
    expect(
      unknownPlaceholders('https://b.example/{gtin}/{nope}/{lotnumber}', new Set(['lotnumber'])),
    ).toEqual(['nope']);
  });
});

describe('link types', () => {
  it.each([
    ['gs1:pip', 'gs1:pip'],
    ['https://gs1.org/voc/pip', 'gs1:pip'],
    ['https://ref.gs1.org/voc/pip', 'gs1:pip'],
    ['http://www.gs1.org/voc/dpp', 'gs1:dpp'],
    ['https://brand.example/rel/warranty', 'https://brand.example/rel/warranty'],
  ])('%s normalises to %s', (input, expected) => {
    expect(normalizeLinkType(input)).toEqual({ ok: true, linkType: expected });
  });

  it.each(['gs1:nope', 'pip', 'ftp://x.example/y', ''])('refuses %j', (input) => {
    expect(normalizeLinkType(input).ok).toBe(false);
  });

  it('writes GS1 types as full URIs in linksets', () => {
    expect(linkRelationUri('gs1:pip')).toBe('https://gs1.org/voc/pip');
    expect(linkRelationUri('https://brand.example/rel')).toBe('https://brand.example/rel');
  });
});
