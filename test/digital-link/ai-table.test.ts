// The AI table parsed from the GS1 Barcode Syntax Dictionary.
import { describe, expect, it } from 'vitest';
import { allAis, formatSpecification, lookupAi } from '../../src/digital-link';
import { linterNamed } from '../../src/digital-link/linters';

describe('AI table', () => {
  it('holds every AI of the dictionary, ranges expanded', () => {
    const ais = allAis().map((e) => e.ai);
    expect(ais).toHaveLength(new Set(ais).size);
    expect(ais.length).toBeGreaterThan(500);
    for (const ai of [
      '00',
      '01',
      '10',
      '3100',
      '3105',
      '3695',
      '3909',
      '7039',
      '7259',
      '8030',
      '8200',
      '91',
      '99',
    ]) {
      expect(lookupAi(ai), ai).toBeDefined();
    }
    expect(lookupAi('3106')).toBeUndefined();
    expect(lookupAi('23')).toBeUndefined();
  });

  it.each([
    ['00', 'N18', true, true],
    ['01', 'N14', true, true],
    ['10', 'X..20', false, true],
    ['17', 'N6', true, true],
    ['21', 'X..20', false, false],
    ['253', 'N13 [X..17]', false, true],
    ['3103', 'N6', true, true],
    ['4309', 'N10 N10', false, true],
    ['7040', 'N1 X1 X1 X1', false, false],
    ['8003', 'N1 N13 [X..16]', false, true],
    ['8010', 'Y..30', false, true],
    ['8030', 'Z..90', false, true],
    ['8200', 'X..70', false, false],
    ['99', 'X..90', false, true],
  ])('(%s) is %s, fixed length %s, data attribute %s', (ai, spec, fixedLength, dataAttribute) => {
    const entry = lookupAi(ai);
    expect(entry && formatSpecification(entry)).toBe(spec);
    expect(entry).toMatchObject({ fixedLength, dataAttribute });
  });

  it('reads titles, requisites, exclusions and qualifier paths', () => {
    expect(lookupAi('01')).toMatchObject({
      title: 'GTIN',
      excludes: ['255', '37'],
      qualifierPaths: [['22', '10', '21'], ['235']],
    });
    expect(lookupAi('3922')).toMatchObject({
      title: 'PRICE',
      requires: [[['01']], [['30'], ['31nn'], ['32nn'], ['35nn'], ['36nn']]],
    });
    expect(lookupAi('8030')?.requires[0]).toContainEqual(['01', '21']);
    expect(lookupAi('7031')?.title).toBe('PROCESSOR # 1');
  });

  it('has a linter for every name the dictionary uses', () => {
    const names = new Set(allAis().flatMap((e) => e.components.flatMap((c) => c.linters)));
    for (const name of names) expect(() => linterNamed(name), name).not.toThrow();
  });

  it('vivifies unknown AIs only where no known AI length clashes', () => {
    expect(lookupAi('89')).toBeUndefined();
    expect(lookupAi('89', true)).toMatchObject({ unknown: true, dataAttribute: 'unknown' });
    expect(lookupAi('011', true)).toBeUndefined();
    expect(lookupAi('800', true)).toBeUndefined();
    expect(lookupAi('3106', true)).toMatchObject({ unknown: true, fixedLength: true });
    expect(lookupAi('3106', true) && formatSpecification(lookupAi('3106', true)!)).toBe('X6');
  });
});
