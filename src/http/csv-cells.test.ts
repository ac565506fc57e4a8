import { describe, expect, it } from 'vitest';
import { booleanCell, listCell, mapCell, numberCell } from './csv-cells';

describe('CSV cell spellings', () => {
  it.each([
    ['12', 12],
    ['-3', -3],
    ['+4.5', 4.5],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['7.', 7],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
  ])('number %s → %s', (cell, value) => expect(numberCell(cell)).toEqual({ ok: true, value }));

  it.each(['ten', '1,5', '1.2.3', '0x10', 'Infinity', 'NaN', '1 000', '--1', 'e5'])(
    'not a number: %s',
    (cell) => expect(numberCell(cell)).toEqual({ ok: false, message: 'Not a number' }),
  );

  it.each([
    ['true', true],
    ['TRUE', true],
    ['False', false],
    ['false', false],
  ])('boolean %s → %s', (cell, value) => expect(booleanCell(cell)).toEqual({ ok: true, value }));

  it.each(['yes', '1', '0', 'no', 't'])('not a boolean: %s', (cell) =>
    expect(booleanCell(cell).ok).toBe(false),
  );

  it.each([
    ['milk', ['milk']],
    ['milk; celery', ['milk', 'celery']],
    ['milk;;celery;', ['milk', 'celery']],
    [' a ; b ', ['a', 'b']],
    ['[]', []],
    ['["a;b", "c"]', ['a;b', 'c']],
    ['[{"lot":"L1","reason":"x"}]', [{ lot: 'L1', reason: 'x' }]],
  ])('list %s', (cell, value) => expect(listCell(cell)).toEqual({ ok: true, value }));

  it.each(['[', '[a, b]', '[1,'])('a cell starting with [ must be JSON: %s', (cell) =>
    expect(listCell(cell)).toEqual({ ok: false, message: 'A cell starting with "[" must be a JSON array' }),
  );

  it.each([
    ['basis=100g; energy_kcal=354', { basis: '100g', energy_kcal: 354 }],
    ['fat_g = 1.1 ;', { fat_g: 1.1 }],
    ['note=a=b', { note: 'a=b' }],
    ['{"basis":"100g","fat_g":2}', { basis: '100g', fat_g: 2 }],
  ])('map %s', (cell, value) => expect(mapCell(cell)).toEqual({ ok: true, value }));

  it.each([
    ['basis', '"basis" is not key=value'],
    ['=5', '"=5" is not key=value'],
    ['{"a":', 'A cell starting with "{" must be a JSON object'],
    ['{x}', 'A cell starting with "{" must be a JSON object'],
  ])('not a map: %s', (cell, message) => expect(mapCell(cell)).toEqual({ ok: false, message }));
});
