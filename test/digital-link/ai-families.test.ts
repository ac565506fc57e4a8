// Each family of primary keys, qualifiers and attributes, with the options the resolver uses
// where they matter. Values are GS1 examples or computed with the mod-10 check digit.
import { describe, expect, it } from 'vitest';
import {
  type DigitalLinkErrorCode,
  digitalLinkToElementString,
  type ParseOptions,
  parseDigitalLink,
} from '../../src/digital-link';

const RESOLVER: ParseOptions = { permitZeroSuppressedGTIN: true, permitTrailingSlash: true };
const GTIN = '09506000134352';

function accepts(uri: string, options: ParseOptions = {}): string {
  const outcome = parseDigitalLink(uri, options);
  if (!outcome.ok) throw new Error(`${uri}: ${outcome.error.message}`);
  return digitalLinkToElementString(outcome.link);
}

function rejects(uri: string, options: ParseOptions = {}): { code: DigitalLinkErrorCode; message: string } {
  const outcome = parseDigitalLink(uri, options);
  if (outcome.ok) throw new Error(`${uri} was accepted`);
  return outcome.error;
}

describe('GTIN (01)', () => {
  it.each([
    ['GTIN-14', '09506000134352', '09506000134352'],
    ['GTIN-13', '9506000134352', '09506000134352'],
    ['GTIN-12 (UPC-A)', '012345678905', '00012345678905'],
    ['GTIN-8', '40170725', '00000040170725'],
  ])('normalises a %s to 14 digits', (_kind, given, gtin) => {
    expect(accepts(`https://id.gs1.org/01/${given}`, RESOLVER)).toBe(`(01)${gtin}`);
  });

  it.each(['9506000134352', '012345678905', '40170725'])(
    'refuses zero-suppressed %s by default, as the engine does',
    (given) => {
      expect(rejects(`https://id.gs1.org/01/${given}`).code).toBe('too_short');
    },
  );

  it.each([
    ['09506000134353', 'check digit of (01) should be 2, got 3'],
    ['9506000134353', 'check digit of (01) should be 2, got 3'],
    ['40170726', 'check digit of (01) should be 5, got 6'],
  ])('refuses %s with a wrong check digit', (given, message) => {
    expect(rejects(`https://id.gs1.org/01/${given}`, RESOLVER)).toMatchObject({
      code: 'invalid_check_digit',
      message,
    });
  });

  it.each([
    ['09506000134', 'too_short'],
    ['0950600013435299', 'too_long'],
    ['0950600013435A', 'invalid_character'],
    ['1234567', 'too_short'],
  ])('refuses %s (%s)', (given, code) => {
    expect(rejects(`https://id.gs1.org/01/${given}`, RESOLVER).code).toBe(code);
  });

  it('also pads a zero-suppressed GTIN given as a query attribute, only with the option', () => {
    const uri = 'https://example.com/8004/9520614141234567?01=9506000134352';
    expect(accepts(uri, RESOLVER)).toBe(`(8004)9520614141234567(01)${GTIN}`);
    expect(rejects(uri).code).toBe('too_short');
  });
});

describe('GTIN qualifiers: (22) CPV, (10) batch, (21) serial, (235) TPX', () => {
  it.each([
    [`/01/${GTIN}/22/2A`, `(01)${GTIN}(22)2A`],
    [`/01/${GTIN}/10/ABC123`, `(01)${GTIN}(10)ABC123`],
    [`/01/${GTIN}/21/12345`, `(01)${GTIN}(21)12345`],
    [`/01/${GTIN}/22/2A/10/ABC/21/XYZ`, `(01)${GTIN}(22)2A(10)ABC(21)XYZ`],
    [`/01/${GTIN}/22/2A/21/XYZ`, `(01)${GTIN}(22)2A(21)XYZ`],
    [`/01/${GTIN}/235/TPX9526064`, `(01)${GTIN}(235)TPX9526064`],
    [`/01/${GTIN}/235/XYZ?10=ABC123`, `(01)${GTIN}(235)XYZ(10)ABC123`],
  ])('accepts %s', (path, elements) => {
    expect(accepts(`https://id.gs1.org${path}`)).toBe(elements);
  });

  it.each([
    [`/01/${GTIN}/21/XYZ/10/ABC`, 'key_qualifier_order', '(10) must come before (21) in the path'],
    [`/01/${GTIN}/10/ABC/22/2A`, 'key_qualifier_order', '(22) must come before (10) in the path'],
    [
      `/01/${GTIN}/235/X/21/Y`,
      'invalid_key_qualifier',
      '(235) and (21) are alternative key qualifiers of (01) and may not be used together',
    ],
    [`/01/${GTIN}/10/A/10/B`, 'invalid_key_qualifier', '(10) appears more than once in the path'],
    [`/01/${GTIN}/99/ABC`, 'invalid_key_qualifier', '(99) is not a key qualifier of (01)'],
    [
      `/01/${GTIN}?10=ABC`,
      'belongs_in_path',
      '(10) is a key qualifier of (01) and belongs in the path, not the query string',
    ],
    [
      `/01/${GTIN}/22/2A?10=ABC`,
      'belongs_in_path',
      '(10) is a key qualifier of (01) and belongs in the path, not the query string',
    ],
    [`/01/${GTIN}?21=XYZ`, 'not_a_data_attribute', '(21) may not be used as a Digital Link data attribute'],
    [
      `/01/${GTIN}/10/${'A'.repeat(21)}`,
      'too_long',
      `(10) value ${'A'.repeat(21)} is too long: BATCH/LOT needs 1 to 20 characters (X..20), got 21`,
    ],
  ])('refuses %s', (path, code, message) => {
    expect(rejects(`https://id.gs1.org${path}`)).toEqual({ code, message, ai: expect.any(String) });
  });

  it('accepts a 20-character batch, and "+" as itself in the path', () => {
    expect(accepts(`https://id.gs1.org/01/${GTIN}/10/${'A'.repeat(20)}`)).toBe(
      `(01)${GTIN}(10)${'A'.repeat(20)}`,
    );
    expect(accepts(`https://id.gs1.org/01/${GTIN}/10/A+B`)).toBe(`(01)${GTIN}(10)A+B`);
  });

  it('accepts every character of set 82, percent-encoded where a URI needs it', () => {
    const cset82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
    const encoded = `%21%22%25%26'()*%2B,-.%2F0123456789:;%3C%3D%3E%3FABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
    const outcome = parseDigitalLink(`https://id.gs1.org/01/${GTIN}?99=${encoded}`);
    expect(outcome).toMatchObject({ ok: true, link: { attributes: [{ ai: '99', value: cset82 }] } });
    // In the bracketed element string a "(" inside a value is escaped.
    expect(accepts(`https://id.gs1.org/01/${GTIN}?99=${encoded}`)).toBe(
      `(01)${GTIN}(99)${cset82.replace('(', '\\(')}`,
    );
  });
});

describe('other primary keys', () => {
  it.each([
    ['SSCC', '/00/006141411234567890', '(00)006141411234567890'],
    [
      'SSCC with content, count and batch',
      '/00/952012345678912345?02=09520123456788&37=25&10=ABC123',
      '(00)952012345678912345(02)09520123456788(37)25(10)ABC123',
    ],
    ['GLN', '/414/9520123456788', '(414)9520123456788'],
    ['GLN with extension (254)', '/414/9520123456788/254/32a%2Fb', '(414)9520123456788(254)32a/b'],
    ['GLN with UIC+EXT (7040)', '/414/9520123456788/7040/1ABC', '(414)9520123456788(7040)1ABC'],
    ['party GLN with UIC+EXT', '/417/9520123456788/7040/1AB-', '(417)9520123456788(7040)1AB-'],
    ['pay-to GLN with reference (8020)', '/415/9520123456788/8020/REF123', '(415)9520123456788(8020)REF123'],
    ['GDTI', '/253/1231231231232', '(253)1231231231232'],
    ['GDTI with serial', '/253/1231231231232TEST5678901234567', '(253)1231231231232TEST5678901234567'],
    ['GCN', '/255/01234567891284569', '(255)01234567891284569'],
    ['GINC', '/401/12345678', '(401)12345678'],
    ['GSIN', '/402/01234367891244565', '(402)01234367891244565'],
    ['GRAI with serial', '/8003/050606547800290002', '(8003)050606547800290002'],
    ['GRAI without serial', '/8003/05060654780029', '(8003)05060654780029'],
    ['GIAI', '/8004/9520614141234567', '(8004)9520614141234567'],
    ['GIAI with UIC+EXT', '/8004/9520614141234567/7040/1ABC', '(8004)9520614141234567(7040)1ABC'],
    ['ITIP with batch and serial', `/8006/${GTIN}0102/10/ABC/21/1`, `(8006)${GTIN}0102(10)ABC(21)1`],
    ['CPID with serial (8011)', '/8010/0200ABC%23-%2F/8011/12345', '(8010)0200ABC#-/(8011)12345'],
    ['GMN', '/8013/1987654Ad4X4bL5ttr2310c2K', '(8013)1987654Ad4X4bL5ttr2310c2K'],
    ['GSRN provider', '/8017/795260646688514634', '(8017)795260646688514634'],
    ['GSRN recipient with SRIN', '/8018/123456789012345675/8019/123', '(8018)123456789012345675(8019)123'],
  ])('accepts a %s', (_name, path, elements) => {
    expect(accepts(`https://id.gs1.org${path}`)).toBe(elements);
  });

  it.each([
    ['an SSCC with a wrong check digit', '/00/006141411234567891', 'check digit of (00) should be 0, got 1'],
    ['a GLN with a wrong check digit', '/414/9520123456789', 'check digit of (414) should be 8, got 9'],
    [
      'a GRAI whose first digit is not 0',
      '/8003/150606547800290002',
      '(8003) value 150606547800290002: "1" at position 1 must be 0',
    ],
    [
      'a GIAI not starting with a company prefix',
      '/8004/ABC123',
      '(8004) must start with a GS1 Company Prefix of at least 4 digits',
    ],
    [
      'a CPID outside character set 39',
      '/8010/0200abc',
      "(8010) may contain only characters of GS1 character set 39 (A-Z, 0-9, #, -, /), but character 5 is 'a'",
    ],
    [
      'a GMN with wrong check characters',
      '/8013/1987654Ad4X4bL5ttr2310cXK',
      'check characters of (8013) should be 2K, got XK',
    ],
    [
      'an ITIP with piece 3 of 1',
      `/8006/${GTIN}0301`,
      `(8006) value ${GTIN}0301: "0301" at position 15 has piece 3 of only 1`,
    ],
    [
      'a CPID serial with a leading zero',
      '/8010/0200ABC/8011/0123',
      '(8011) value 0123 must not start with 0',
    ],
    [
      'a GDTI with a qualifier',
      '/253/1231231231232/21/X',
      '(253) takes no key qualifiers, so (21) may not follow it in the path',
    ],
    [
      'a GLN with both kinds of qualifier',
      '/414/9520123456788/254/A/7040/1ABC',
      '(254) and (7040) are alternative key qualifiers of (414) and may not be used together',
    ],
    [
      'a GSRN provider with a recipient',
      '/8017/795260646688514634?8018=123456789012345675',
      '(8017) and (8018) may not be used together',
    ],
    [
      'a pay-to GLN without its reference',
      '/415/9520123456788',
      '(415) may only be used together with (8020)',
    ],
  ])('refuses %s', (_name, path, message) => {
    expect(rejects(`https://id.gs1.org${path}`).message).toBe(message);
  });
});

describe('dates and times', () => {
  it.each([
    ['a leap day in a leap year', '17=240229'],
    ['a leap day in 2000', '17=000229'],
    ['day 00 where the dictionary allows it (yymmd0)', '17=260200'],
    ['a 1999 date', '15=991231'],
    ['a date and time', '7003=2612312359'],
    ['a harvest date range', '7007=260101260131'],
    ['a single harvest date', '7007=260101'],
  ])('accepts %s', (_name, query) => {
    expect(accepts(`https://id.gs1.org/01/${GTIN}?${query}`)).toContain(`(${query.split('=')[0]})`);
  });

  it.each([
    ['17=250229', '(17) value 250229 is not a real date (YYMMDD)'],
    ['17=261331', '(17) value 261331 is not a real date (YYMMDD)'],
    ['17=260431', '(17) value 260431 is not a real date (YYMMDD)'],
    ['17=2612', '(17) value 2612 is too short: USE BY or EXPIRY needs exactly 6 characters (N6), got 4'],
    ['7006=260200', '(7006) value 260200 is not a real date (YYMMDD)'],
    ['7003=2612312400', '(7003) value 2612312400: "2400" at position 7 is not a valid time (HHMM)'],
    ['7007=260101260132', '(7007) value 260101260132: "260132" at position 7 is not a real date (YYMMDD)'],
    [
      '7007=260101260',
      '(7007) value 260101260 is too short: HARVEST DATE needs 6 to 12 characters (N6 [N6])',
    ],
  ])('refuses %s', (query, message) => {
    expect(rejects(`https://id.gs1.org/01/${GTIN}?${query}`).message).toBe(message);
  });

  it('checks eight-digit dates of birth against the calendar', () => {
    expect(accepts('https://id.gs1.org/8018/123456789012345675?7250=20240229')).toBe(
      '(8018)123456789012345675(7250)20240229',
    );
    expect(rejects('https://id.gs1.org/8018/123456789012345675?7250=20230229').message).toBe(
      '(7250) value 20230229 is not a real date (YYYYMMDD)',
    );
  });
});

describe('data attributes', () => {
  it.each([
    ['net weight', '3103=000195', `(01)${GTIN}(3103)000195`],
    ['price with its measure', '3103=000195&3922=0299', `(01)${GTIN}(3103)000195(3922)0299`],
    ['country of origin', '422=826', `(01)${GTIN}(422)826`],
    ['countries of processing', '423=826276', `(01)${GTIN}(423)826276`],
    ['a price with an ISO 4217 currency', '3103=000195&3932=9780299', `(01)${GTIN}(3103)000195(3932)9780299`],
    ['an additional ID', '240=ABCD', `(01)${GTIN}(240)ABCD`],
    ['a "+" decoded as a space is refused, an encoded "+" kept', '99=A%2BB', `(01)${GTIN}(99)A+B`],
  ])('accepts %s', (_name, query, elements) => {
    expect(accepts(`https://id.gs1.org/01/${GTIN}?${query}`)).toBe(elements);
  });

  it.each([
    ['3103=12345', 'too_short'],
    ['30=123456789', 'too_long'],
    ['242=12A', 'invalid_character'],
    ['422=999', 'invalid_value'],
    ['3932=0010299', 'invalid_value'],
    ['99=A+B', 'invalid_character'],
    ['99=%C3%A9', 'invalid_character'],
    ['99=ABC%23', 'invalid_character'],
    ['8200=https%3A%2F%2Fexample.com', 'not_a_data_attribute'],
    ['3922=0299', 'missing_required_ai'],
    ['3103=000195&3102=001950', 'mutually_exclusive_ais'],
    ['999=1', 'unknown_ai'],
    ['99=A&99=B', 'duplicate_ai'],
  ])('refuses %s (%s)', (query, code) => {
    expect(rejects(`https://id.gs1.org/01/${GTIN}?${query}`).code).toBe(code);
  });

  it('says which characters are wrong', () => {
    expect(rejects(`https://id.gs1.org/01/${GTIN}?99=%C3%A9`).message).toBe(
      '(99) may contain only characters of GS1 character set 82, but character 1 is U+00C3',
    );
    expect(rejects(`https://id.gs1.org/01/${GTIN}?99=A+B`).message).toBe(
      "(99) may contain only characters of GS1 character set 82, but character 2 is ' ' (a space)",
    );
  });

  it('checks mandatory associations unless told not to', () => {
    const uri = `https://id.gs1.org/01/${GTIN}?3922=0299`;
    expect(rejects(uri).message).toBe(
      '(3922) may only be used together with one of (30), (31nn), (32nn), (35nn), (36nn)',
    );
    expect(accepts(uri, { validateAIAssociations: false })).toBe(`(01)${GTIN}(3922)0299`);
  });

  it('accepts unknown AIs only when both options say so', () => {
    const uri = `https://id.gs1.org/01/${GTIN}?89=ABC`;
    expect(rejects(uri).message).toBe('Unknown AI (89) in the query string');
    expect(rejects(uri, { permitUnknownAIs: true }).message).toBe(
      '(89) is not a known AI, so it may not be used as a Digital Link data attribute',
    );
    expect(accepts(uri, { permitUnknownAIs: true, permitUnknownAIsAsAttributes: true })).toBe(
      `(01)${GTIN}(89)ABC`,
    );
    // (011) can never exist: every AI starting 01 has two digits.
    expect(rejects(`https://id.gs1.org/01/${GTIN}?011=1`, { permitUnknownAIs: true }).code).toBe(
      'unknown_ai',
    );
  });
});
