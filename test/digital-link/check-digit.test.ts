// The GS1 mod-10 check digit (GS1 General Specifications 7.9.1).
import { describe, expect, it } from 'vitest';
import { computeCheckDigit, hasValidCheckDigit, withCheckDigit } from '../../src/digital-link';

describe('GS1 mod-10 check digit', () => {
  it.each([
    ['0950600013435', 2], // GTIN-14 09506000134352
    ['950600013435', 2], // GTIN-13 9506000134352
    ['01234567890', 5], // GTIN-12 012345678905
    ['4017072', 5], // GTIN-8 40170725
    ['00614141123456789', 0], // SSCC 006141411234567890
    ['952012345678', 8], // GLN 9520123456788
    ['0123436789124456', 5], // GSIN 01234367891244565 (17 digits)
    ['', 0],
  ])('of %s is %i', (digits, check) => {
    expect(computeCheckDigit(digits)).toBe(check);
    expect(withCheckDigit(digits)).toBe(`${digits}${check}`);
  });

  it.each([
    ['09506000134352', true],
    ['09506000134353', false],
    ['40170725', true],
    ['4017072X', false],
    ['5', false],
  ])('%s is valid: %s', (digits, valid) => {
    expect(hasValidCheckDigit(digits)).toBe(valid);
  });

  it('refuses non-digits', () => {
    expect(() => computeCheckDigit('12A')).toThrow();
  });
});
