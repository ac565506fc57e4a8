import { describe, expect, it } from 'vitest';
import { candidateGrants, grantCovers, grantProblem, grantsOverlap, prefixSubject } from './company-prefix';

describe('grantProblem', () => {
  it.each([
    ['9506', null],
    ['950600', null],
    ['061414112345', null],
    ['0614141', null], // a U.P.C. Company Prefix in GS1 notation
    ['978316', null], // a publisher's ISBN-based prefix
    ['123', 'A GS1 Company Prefix has 4 to 12 digits, not "123"'],
    ['1234567890123', 'A GS1 Company Prefix has 4 to 12 digits, not "1234567890123"'],
    ['95a600', 'A GS1 Company Prefix has 4 to 12 digits, not "95a600"'],
    [' 950600', 'A GS1 Company Prefix has 4 to 12 digits, not " 950600"'],
    ['0212', expect.stringContaining('restricted circulation numbers (020–029)')],
    ['0456', expect.stringContaining('inside a company')],
    ['0500', expect.stringContaining('coupon')],
    ['2500', expect.stringContaining('geographic regions')],
    ['9800', expect.stringContaining('refund receipt')],
    ['9831', expect.stringContaining('coupon')],
    ['9912', expect.stringContaining('coupon')],
  ])('company prefix %s', (prefix, problem) => {
    expect(grantProblem({ kind: 'gcp', prefix })).toEqual(problem);
  });

  it.each([
    ['95012346', null],
    ['95012345', '95012345 has a wrong check digit'],
    ['9501234', 'A GTIN-8 has 8 digits, not "9501234"'],
    ['01234565', '01234565 is a restricted circulation number (RCN-8)'],
    ['20000004', '20000004 is a restricted circulation number (RCN-8)'],
  ])('GTIN-8 %s', (prefix, problem) => {
    expect(grantProblem({ kind: 'gtin8', prefix })).toEqual(problem);
  });
});

describe('prefixSubject', () => {
  it.each([
    ['01', '09506000134352', { kind: 'gcp', prefix: '9506000134352' }],
    ['01', '10614141123452', { kind: 'gcp', prefix: '0614141123452' }],
    ['01', '00000095012346', { kind: 'gtin8', prefix: '95012346' }],
    ['8006', '000000950123460102', { kind: 'gtin8', prefix: '95012346' }],
    ['00', '106141411234567897', { kind: 'gcp', prefix: '06141411234567897' }],
    ['414', '9506000000002', { kind: 'gcp', prefix: '9506000000002' }],
    ['8003', '09506000134352ASSET', { kind: 'gcp', prefix: '9506000134352ASSET' }],
    ['8004', '9506000ABC', { kind: 'gcp', prefix: '9506000ABC' }],
    ['9999', '123', null],
  ])('%s %s', (ai, value, subject) => {
    expect(prefixSubject(ai, value)).toEqual(subject);
  });
});

describe('grantCovers', () => {
  const gcp = (prefix: string) => ({ kind: 'gcp' as const, prefix });
  it.each([
    [gcp('950600'), '01', '09506000134352', true],
    [gcp('9506'), '01', '19506000134359', true],
    [gcp('950601'), '01', '09506000134352', false],
    [gcp('0950600'), '01', '09506000134352', false], // the indicator digit is not part of the prefix
    [gcp('950600'), '414', '9506000000002', true],
    [gcp('950600'), '00', '395060001234567893', true],
    [gcp('950600'), '8003', '09506000134352A', true],
    [gcp('950600'), '8004', '9506000XYZ', true],
    [gcp('950600'), '01', '00000095012346', false], // a GTIN-8 is never under a company prefix
    [{ kind: 'gtin8' as const, prefix: '95012346' }, '01', '00000095012346', true],
    [{ kind: 'gtin8' as const, prefix: '95012346' }, '01', '09501234600007', false],
    [gcp('950600'), '9999', '950600', false],
  ])('%o covers %s %s: %s', (grant, ai, value, covers) => {
    expect(grantCovers(grant, ai, value)).toBe(covers);
  });
});

describe('candidateGrants', () => {
  it('lists every start of 4 to 12 digits, each covering the key', () => {
    const candidates = candidateGrants('01', '09506000134352');
    expect(candidates.map((c) => c.prefix)).toEqual([
      '9506',
      '95060',
      '950600',
      '9506000',
      '95060001',
      '950600013',
      '9506000134',
      '95060001343',
      '950600013435',
    ]);
    for (const c of candidates) expect(grantCovers(c, '01', '09506000134352')).toBe(true);
  });

  it('a GTIN-8 has itself as its one candidate; an unknown key none', () => {
    expect(candidateGrants('01', '00000095012346')).toEqual([{ kind: 'gtin8', prefix: '95012346' }]);
    expect(candidateGrants('9999', '1234')).toEqual([]);
  });
});

describe('grantsOverlap', () => {
  it.each([
    ['950600', '950600', true],
    ['9506', '950600', true],
    ['950600', '9506', true],
    ['950600', '950601', false],
    ['1234', '5678', false],
  ])('%s and %s: %s', (a, b, overlap) => {
    expect(grantsOverlap({ kind: 'gcp', prefix: a }, { kind: 'gcp', prefix: b })).toBe(overlap);
  });

  it('a GTIN-8 and a company prefix never overlap', () => {
    expect(grantsOverlap({ kind: 'gtin8', prefix: '95012346' }, { kind: 'gcp', prefix: '9501' })).toBe(false);
  });
});
