// Content checks named by the syntax dictionary ("csum", "yymmd0", "iso3166" ...), after the
// reference linters of gs1/gs1-syntax-engine (src/c-lib/syntax/lint_*.c). Each takes one
// component of an AI value and returns undefined when it is fine.
import { computeCheckCharacterPair, computeCheckDigit } from './check-digit';
import { AIDC_MEDIA_TYPES, ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC } from './code-lists';
import { lintDateTime } from './date-linters';
import { lintIban, lintPieceOfTotal, lintPositionInSequence } from './structured-linters';
import type { DigitalLinkErrorCode } from './types';

export interface Lint {
  code: DigitalLinkErrorCode;
  /** 0-based position within the component. */
  position: number;
  /** Completes "(AI) value V ..." when no full `message` is given, e.g. "is not a real date (YYMMDD)". */
  reason?: string;
  message?: (ai: string) => string;
}

export type Linter = (data: string) => Lint | undefined;

const invalid = (reason: string, position = 0): Lint => ({ code: 'invalid_value', position, reason });
const oneOf =
  (allowed: ReadonlySet<string>, reason: string): Linter =>
  (data) =>
    allowed.has(data) ? undefined : invalid(reason);

const GCP_MIN_LENGTH = 4; // The shortest GS1 Company Prefix has four digits.

/** The data (from `offset`) must start with a GS1 Company Prefix; without a GCP register we check its form. */
function gcpAt(offset: number): Linter {
  return (data) => {
    const gcp = data.slice(offset, offset + GCP_MIN_LENGTH);
    const bad = [...gcp].findIndex((c) => c < '0' || c > '9');
    if (gcp.length === GCP_MIN_LENGTH && bad < 0) return undefined;
    const position = bad < 0 ? offset : offset + bad;
    return {
      code: 'invalid_value',
      position,
      message: (ai) => `(${ai}) must start with a GS1 Company Prefix of at least ${GCP_MIN_LENGTH} digits`,
    };
  };
}

const checkDigit: Linter = (data) => {
  const expected = computeCheckDigit(data.slice(0, -1));
  const actual = data.slice(-1);
  if (String(expected) === actual) return undefined;
  return {
    code: 'invalid_check_digit',
    position: data.length - 1,
    message: (ai) => `check digit of (${ai}) should be ${expected}, got ${actual}`,
  };
};

const checkCharacterPair: Linter = (data) => {
  if (data.length < 2) return invalid('is too short to end in a check character pair');
  const expected = computeCheckCharacterPair(data.slice(0, -2));
  const actual = data.slice(-2);
  if (expected === undefined) return invalid('is too long for a check character pair');
  if (expected === actual) return undefined;
  return {
    code: 'invalid_check_digit',
    position: data.length - 2,
    message: (ai) => `check characters of (${ai}) should be ${expected}, got ${actual}`,
  };
};

const LINTERS: Record<string, Linter> = {
  csum: checkDigit,
  csumalpha: checkCharacterPair,
  gcppos1: gcpAt(0),
  gcppos2: gcpAt(1),
  yymmd0: (data) => lintDateTime('YYMMD0', data),
  yymmdd: (data) => lintDateTime('YYMMDD', data),
  yyyymmdd: (data) => lintDateTime('YYYYMMDD', data),
  hhmi: (data) => lintDateTime('HHMI', data),
  hh: (data) => lintDateTime('HH', data),
  mi: (data) => lintDateTime('MI', data),
  ss: (data) => lintDateTime('SS', data),
  iso3166: oneOf(ISO3166_NUMERIC, 'is not an ISO 3166 numeric country code'),
  iso3166999: (data) =>
    data === '999'
      ? undefined
      : oneOf(ISO3166_NUMERIC, 'is not an ISO 3166 numeric country code or 999')(data),
  iso3166alpha2: oneOf(ISO3166_ALPHA2, 'is not an ISO 3166 alpha-2 country code'),
  iso4217: oneOf(ISO4217_NUMERIC, 'is not an ISO 4217 numeric currency code'),
  iso5218: oneOf(new Set(['0', '1', '2', '9']), 'must be 0, 1, 2 or 9 (ISO/IEC 5218 sex code)'),
  mediatype: oneOf(AIDC_MEDIA_TYPES, 'is not an AIDC media type (01-10, 80-99)'),
  yesno: oneOf(new Set(['0', '1']), 'must be 0 (no) or 1 (yes)'),
  zero: oneOf(new Set(['0']), 'must be 0'),
  winding: oneOf(new Set(['0', '1', '9']), 'must be 0, 1 or 9 (winding direction)'),
  hyphen: oneOf(new Set(['-']), 'must be "-" (negative temperature)'),
  nonzero: (data) => (/^0*$/.test(data) ? invalid('must not be zero') : undefined),
  nozeroprefix: (data) => (data.startsWith('0') ? invalid('must not start with 0') : undefined),
  hasnondigit: (data) =>
    /^\d*$/.test(data) ? invalid('must contain at least one character that is not a digit') : undefined,
  latitude: (data) =>
    Number(data) > 1800000000 ? invalid('is not a latitude (0000000000 to 1800000000)') : undefined,
  longitude: (data) =>
    Number(data) > 3600000000 ? invalid('is not a longitude (0000000000 to 3600000000)') : undefined,
  importeridx: (data) =>
    /^[-0-9A-Za-z_]$/.test(data) ? undefined : invalid('is not an importer index (one of - 0-9 A-Z _ a-z)'),
  pcenc: (data) => {
    const bad = data.search(/%(?![0-9A-Fa-f]{2})/);
    return bad < 0 ? undefined : invalid('has a "%" that does not start a %XX sequence', bad);
  },
  pieceoftotal: lintPieceOfTotal,
  posinseqslash: lintPositionInSequence,
  iban: lintIban,
  // Checked for character set 82 and length only: the North American coupon structures (8110,
  // 8112) and the UN/ECE package type list (7041, never a Digital Link attribute) are not built in.
  couponcode: () => undefined,
  couponposoffer: () => undefined,
  packagetype: () => undefined,
};

export function linterNamed(name: string): Linter {
  const linter = LINTERS[name];
  if (!linter) throw new Error(`No linter named ${name}`);
  return linter;
}
