// GS1 Digital Link compression, pure: GS1's and digital-link.js's examples both ways, GS1's
// optimisation order, values that need every encoding, partially compressed links, and a clear
// refusal for every malformed compressed form. test/oracle/ holds the random comparison with
// digital-link.js itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompressOptions,
  compressDigitalLinkUri,
  compressElements,
  decompressDigitalLinkPath,
  decompressSegment,
  looksCompressed,
  withCheckDigit,
} from '../../src/digital-link';
import { compressedFormatOf, compressibleAis } from '../../src/digital-link/compression-format';
import entries from '../fixtures/gs1/dl-uris-digital-link-js.json';

interface CompressionEntry {
  kind: string;
  uri: string;
  uncompressedUri: string;
  direction: 'both' | 'compress';
  decompressedByLibrary?: string;
  compressOptions?: { useOptimisations: boolean; compressOtherKeyValuePairs: boolean };
  sourceLine: number;
}

const vectors = (entries as unknown as CompressionEntry[]).filter((e) => e.kind === 'compression');

function decompressUri(uri: string): string {
  const url = new URL(uri);
  const out = decompressDigitalLinkPath(url.pathname, url.search);
  if (!out.ok) throw new Error(`${uri}: ${out.error.message}`);
  return `${url.origin}${out.pathname}${out.search}`;
}

function compress(uri: string, options: CompressOptions = {}): string {
  const out = compressDigitalLinkUri(uri, options, { permitZeroSuppressedGTIN: true });
  if (!out.ok) throw new Error(`${uri}: ${out.error.message}`);
  return out.uri;
}

describe("digital-link.js's compression examples (tests/index.js)", () => {
  it('has its five pairs', () => expect(vectors).toHaveLength(5));

  it.each(vectors.map((v) => [`line ${v.sourceLine}`, v] as const))('%s compresses', (_line, v) => {
    const options = v.compressOptions && {
      optimise: v.compressOptions.useOptimisations,
      compressOtherParameters: v.compressOptions.compressOtherKeyValuePairs,
    };
    expect(compress(v.uncompressedUri, options)).toBe(v.uri);
  });

  it.each(vectors.map((v) => [`line ${v.sourceLine}`, v] as const))('%s decompresses', (_line, v) => {
    // The "compress only" pairs start from a GTIN-13: decompression gives the 14 digits.
    expect(decompressUri(v.uri)).toBe(v.decompressedByLibrary ?? v.uncompressedUri);
  });
});

// Computed with GS1's reference implementation (gs1/GS1DigitalLinkCompressionPrototype @ 21a894b,
// compressGS1DigitalLink with and without optimisations, other parameters compressed).
const GS1_REFERENCE: [uncompressed: string, optimised: string, plain: string][] = [
  [
    'https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ789?17=271231',
    'https://id.gs1.org/GhFKk4XBoI1XgkbMuwz356hG_g',
    'https://id.gs1.org/ARFKk4XBoCCNV4JGLoRv5CzLsM9-eg',
  ],
  [
    'https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ789?17=271231&3103=000189',
    'https://id.gs1.org/GhFKk4XBoI1XgkbMuwz356hG_mIGABeg',
    'https://id.gs1.org/ARFKk4XBoCCNV4JGLoRv5CzLsM9-emIGABeg',
  ],
  [
    'https://id.gs1.org/414/9506000000008/254/7',
    'https://id.gs1.org/nYpUnA1AgBc',
    'https://id.gs1.org/JUAXQUilScDUCA',
  ],
  [
    'https://id.gs1.org/00/095060001343000014',
    'https://id.gs1.org/ABUbiRTGXNzg',
    'https://id.gs1.org/ABUbiRTGXNzg',
  ],
  [
    'https://id.gs1.org/8003/09506000134321ABC',
    'https://id.gs1.org/gAMRSpOFwWKHV4',
    'https://id.gs1.org/gAMRSpOFwWKHV4',
  ],
  [
    'https://id.gs1.org/8006/095060001343520102',
    'https://id.gs1.org/gAYVG4kUxtvWY',
    'https://id.gs1.org/gAYVG4kUxtvWY',
  ],
  [
    'https://id.gs1.org/01/09506000134352?3103=000189&3922=299',
    'https://id.gs1.org/LRFKk4XBoAAXpyRGlY',
    'https://id.gs1.org/ARFKk4XBoGIGABenJEaVg',
  ],
  [
    'https://id.gs1.org/01/09506000134376/21/12345?17=261231&linkType=gs1:epil',
    'https://id.gs1.org/DBFKk4XB0AowORc_xv8RLFPInlS9BGfmxdZeGnY',
    'https://id.gs1.org/ARFKk4XB0C5_jeQgowOfESxTyJ5UvQRn5sXWXhp2A',
  ],
];

describe("GS1's reference implementation", () => {
  it.each(GS1_REFERENCE)('%s', (uncompressed, optimised, plain) => {
    const lenient = { validateAIAssociations: false };
    const out = (o: CompressOptions) => compressDigitalLinkUri(uncompressed, o, lenient);
    expect(out({})).toEqual({ ok: true, uri: optimised });
    expect(out({ optimise: false })).toEqual({ ok: true, uri: plain });
    for (const compressed of [optimised, plain]) {
      const url = new URL(compressed);
      const back = decompressDigitalLinkPath(url.pathname, '', lenient);
      expect(back.ok && `${url.origin}${back.pathname}${back.search}`).toBe(
        uncompressed.replace('linkType=gs1:epil', 'linkType=gs1%3Aepil'),
      );
    }
  });

  it("writes an optimisation code's AIs in the table's order: 1A is (01) (10) (21) (17)", () => {
    const segment = compressElements([
      { ai: '01', value: '09506000134352' },
      { ai: '17', value: '271231' },
      { ai: '10', value: 'ABC123' },
      { ai: '21', value: 'XYZ789' },
    ]);
    expect(segment).toEqual({ ok: true, segment: 'GhFKk4XBoI1XgkbMuwz356hG_g' });
  });

  it('keeps the primary key readable when asked ("partially compressed")', () => {
    const uri = 'https://id.gs1.org/01/09506000134352/10/ABC123?17=271231';
    expect(compress(uri, { keepPrimaryKey: true })).toBe('https://id.gs1.org/01/09506000134352/EEarwSMXQjfw');
    expect(decompressUri('https://id.gs1.org/01/09506000134352/EEarwSMXQjfw')).toBe(uri);
  });
});

describe('values in every encoding', () => {
  const GTIN = '09506000134352';
  it.each([
    ['digits', '12345'],
    ['digits with leading zeros (kept, unlike the reference)', '000123'],
    ['upper-case hex', '0A1B2C'],
    ['lower-case hex', 'deadbeef'],
    ['base64url', 'Lot_7-b'],
    ['7-bit ASCII', 'A/B%C+D!'],
    ['the longest lot', 'ABCDEFGHIJKLMNOPQRST'],
  ])('a lot in %s round-trips', (_kind, lot) => {
    const uri = `https://id.gs1.org/01/${GTIN}/10/${encodeURIComponent(lot).replace(/!/g, '%21')}`;
    const compressed = compress(uri);
    const url = new URL(compressed);
    const back = decompressDigitalLinkPath(url.pathname, url.search);
    expect(back.ok && back.pathname).toBe(`/01/${GTIN}/10/${encodeURIComponent(lot).replace(/!/g, '%21')}`);
  });

  it('keeps the leading zeros of a variable-length number', () => {
    expect(decompressUri(compress(`https://id.gs1.org/01/${GTIN}?30=0012`))).toBe(
      `https://id.gs1.org/01/${GTIN}?30=0012`,
    );
  });

  it('round-trips random GTINs with lots, serials and expiry dates, with and without optimisations', () => {
    const chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._');
    const value = fc.array(chars, { minLength: 1, maxLength: 20 }).map((c) => c.join(''));
    const gtin = fc.array(fc.constantFrom(...'0123456789'), { minLength: 13, maxLength: 13 });
    fc.assert(
      fc.property(gtin, value, value, fc.boolean(), (digits, lot, serial, optimise) => {
        const uri = `https://id.gs1.org/01/${withCheckDigit(digits.join(''))}/10/${lot}/21/${serial}?17=281130`;
        expect(decompressUri(compress(uri, { optimise }))).toBe(uri);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('the compression table', () => {
  it("expands to every AI of GS1's table F but (7040)", () => {
    const ais = compressibleAis();
    expect(ais).toHaveLength(516);
    expect(ais).not.toContain('7040');
    expect(compressedFormatOf('8003')).toEqual([
      { numeric: true, fixed: true, length: 14 },
      { numeric: false, fixed: false, length: 16 },
    ]);
    expect(compressedFormatOf('3925')).toEqual([{ numeric: true, fixed: false, length: 15 }]);
  });
});

describe('refusals', () => {
  it.each([
    ['products', /ends in the middle of \(01\)/],
    ['AA', /ends in the middle of \(00\)/],
    ['4AAAAA', /code E0, which is neither an AI nor one of GS1's optimisation codes/],
    ['BQAAAA', /AI starting 05, which GS1's compression table does not define/],
    ['MQ_____', /not all digits/],
    ['cBF_____', /no format/],
    ['ARFKk4XBo', /ends in the middle of \(01\)/],
    ['ARFKk4XBoAA', /ends in the middle of \(00\)/],
    ['EP____________', /claims \d+ characters, more than its 20|holds more than/],
  ])('%s is not a valid compressed Digital Link', (segment, message) => {
    const out = decompressDigitalLinkPath(`/${segment}`, '');
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.message).toMatch(message);
      expect(out.error.message.length).toBeGreaterThan(20);
    }
  });

  it('says which check digit is wrong once decompressed', () => {
    // (01) 09506000134353: a wrong check digit, compressed without validation.
    const segment = compressElements([{ ai: '01', value: '09506000134353' }]);
    expect(segment.ok).toBe(true);
    const out = decompressDigitalLinkPath(`/${segment.ok && segment.segment}`, '');
    expect(out.ok).toBe(false);
    if (!out.ok)
      expect(out.error.message).toMatch(
        /decompressed Digital Link: .*check digit of \(01\) should be 2, got 3/,
      );
  });

  it("refuses to compress an AI that GS1's table has no format for, and a value that does not fit it", () => {
    const missing = compressElements([
      { ai: '01', value: '09506000134352' },
      { ai: '7011', value: '261231' },
    ]);
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_compressible', ai: '7011' } });
    const misfit = compressElements([
      { ai: '01', value: '09506000134352' },
      { ai: '235', value: 'ABC' },
    ]);
    expect(misfit).toMatchObject({ ok: false, error: { code: 'not_compressible', ai: '235' } });
  });

  it('tells compressed-looking paths from others', () => {
    expect(looksCompressed('/HxHKVAdpQgZzjr-hCDKigI')).toBe(true);
    expect(looksCompressed('/foo/ARHKVAdpQg')).toBe(true);
    expect(looksCompressed('/favicon.ico')).toBe(false);
    expect(looksCompressed('/')).toBe(false);
  });

  it('fails cleanly, never throws, on random segments', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/), (segment) => {
        const out = decompressSegment(segment);
        if (!out.ok) expect(out.message.length).toBeGreaterThan(10);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
