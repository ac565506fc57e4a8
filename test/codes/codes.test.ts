// GET /v1/codes through the Worker: what each query draws (symbol size, quiet zone, format), what
// the image carries (x-digital-link), and a clear 400 for everything that is not a drawable code.
// test/oracle/codes.oracle.ts decodes the images with independent decoders.
import { beforeAll, describe, expect, it } from 'vitest';
import { decompressDigitalLinkPath } from '../../src/digital-link';
import { createOrganization, insertKey } from '../support/accounts';
import { call, expectError, ORIGIN } from '../support/http';

const URI = 'https://example.com/01/09506000134352/10/ABC123?17=271231';

let owner: string;
let viewer: string;

beforeAll(async () => {
  const org = await createOrganization('Codes Co');
  owner = org.ownerKey;
  viewer = (await insertKey(org.orgId, 'readonly')).key;
});

const codes = (query: Record<string, string>, key = owner) =>
  call('GET', `/v1/codes?${new URLSearchParams(query)}`, { key });

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The SVG's side in bwip-js units (two per module). */
function svgSide(svg: string): number {
  const match = /<svg viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  expect(match).not.toBeNull();
  expect(match![1]).toBe(match![2]);
  return Number(match![1]);
}

describe('GET /v1/codes', () => {
  it('draws a QR Code as SVG by default, with the GS1 quiet zone of 4 modules', async () => {
    const res = await codes({ data: URI });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('x-digital-link')).toBe(URI);
    const svg = await res.text();
    expect(svg).toContain('<path');
    const modules = svgSide(svg) / 2 - 2 * 4;
    // A QR Code of version v is 17 + 4v modules wide.
    expect((modules - 17) % 4).toBe(0);
    expect(modules).toBeGreaterThanOrEqual(21);
  });

  it('draws a PNG of size pixels per module, quiet zone included', async () => {
    const svgSideUnits = svgSide(await (await codes({ data: URI })).text());
    for (const size of [2, 8, 12]) {
      const res = await codes({ data: URI, format: 'png', size: String(size) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const { width, height } = pngSize(new Uint8Array(await res.arrayBuffer()));
      expect(width).toBe((svgSideUnits / 2) * size);
      expect(height).toBe(width);
    }
  });

  it('widens the quiet zone on request, never below the GS1 minimum', async () => {
    const base = svgSide(await (await codes({ data: URI })).text());
    const wider = svgSide(await (await codes({ data: URI, quiet_zone: '10' })).text());
    expect(wider - base).toBe(2 * 2 * 6);
    const err = await expectError(await codes({ data: URI, quiet_zone: '3' }), 400, 'validation_failed');
    expect(JSON.stringify(err.details)).toContain('at least 4 modules');
  });

  it('draws a Data Matrix with a quiet zone of 1 module', async () => {
    const res = await codes({ data: URI, symbology: 'datamatrix' });
    expect(res.status).toBe(200);
    const modules = svgSide(await res.text()) / 2 - 2;
    // Square ECC 200 symbols are 10 to 144 modules wide, always even.
    expect(modules % 2).toBe(0);
    expect(modules).toBeGreaterThanOrEqual(10);
    const png = await codes({ data: URI, symbology: 'datamatrix', format: 'png', size: '4' });
    expect(pngSize(new Uint8Array(await png.arrayBuffer())).width).toBe((modules + 2) * 4);
  });

  it('a higher error-correction level draws a QR Code at least as large', async () => {
    const side = async (level: string) =>
      svgSide(await (await codes({ data: URI, error_correction: level })).text());
    const [low, high] = [await side('L'), await side('H')];
    expect(high).toBeGreaterThan(low);
  });

  it('encodes the compressed form of the URI on request, which decompresses to the same data', async () => {
    const res = await codes({ data: URI, compressed: 'true' });
    expect(res.status).toBe(200);
    const carried = res.headers.get('x-digital-link')!;
    expect(carried.startsWith('https://example.com/')).toBe(true);
    expect(carried.length).toBeLessThan(URI.length);
    const back = decompressDigitalLinkPath(new URL(carried).pathname, '');
    expect(back).toEqual({ ok: true, pathname: '/01/09506000134352/10/ABC123', search: '?17=271231' });
  });

  it('builds the URI from an element string on this resolver, bracketed or FNC1', async () => {
    const bracketed = await codes({ element_string: '(01)09506000134352(10)ABC123(17)271231' });
    expect(bracketed.status).toBe(200);
    expect(bracketed.headers.get('x-digital-link')).toBe(`${ORIGIN}/01/09506000134352/10/ABC123?17=271231`);
    const fnc1 = await codes({ element_string: '^010950600013435217271231' });
    expect(fnc1.status).toBe(200);
    expect(fnc1.headers.get('x-digital-link')).toBe(`${ORIGIN}/01/09506000134352?17=271231`);
  });

  it('400s data too long for the symbology, and draws it in one that holds it', async () => {
    const long = `https://example.com/01/09506000134352?note=${'aB3-xQ9_'.repeat(240)}`;
    expect((await codes({ data: long })).status).toBe(200);
    const err = await expectError(await codes({ data: long, symbology: 'datamatrix' }), 400, 'bad_request');
    expect(err.message).toContain('does not fit');
  });

  it('any key may draw a code; no key may not', async () => {
    expect((await codes({ data: URI }, viewer)).status).toBe(200);
    await expectError(await call('GET', `/v1/codes?data=${encodeURIComponent(URI)}`), 401, 'unauthorized');
  });

  describe('refuses what it cannot draw', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['no data', {}, 'validation_failed'],
      [
        'both data and element_string',
        { data: URI, element_string: '(01)09506000134352' },
        'validation_failed',
      ],
      ['a URL that is no Digital Link', { data: 'https://example.com/products/42' }, 'invalid_digital_link'],
      ['a wrong check digit', { data: 'https://example.com/01/09506000134353' }, 'invalid_digital_link'],
      [
        'a qualifier out of order',
        { data: 'https://example.com/01/09506000134352/21/1/10/A' },
        'invalid_digital_link',
      ],
      ['not a URL at all', { data: 'hello' }, 'invalid_digital_link'],
      ['a bad element string', { element_string: '(01)123' }, 'invalid_digital_link'],
      ['an element string without a key', { element_string: '(10)ABC' }, 'invalid_digital_link'],
      ['an unknown symbology', { data: URI, symbology: 'aztec' }, 'validation_failed'],
      ['an unknown format', { data: URI, format: 'gif' }, 'validation_failed'],
      ['an odd size', { data: URI, size: '3' }, 'validation_failed'],
      ['a size of 0', { data: URI, size: '0' }, 'validation_failed'],
      ['a size too large', { data: URI, size: '100' }, 'validation_failed'],
      ['a size that is no number', { data: URI, size: 'big' }, 'validation_failed'],
      ['an unknown error-correction level', { data: URI, error_correction: 'X' }, 'validation_failed'],
      [
        'error correction for Data Matrix',
        { data: URI, symbology: 'datamatrix', error_correction: 'H' },
        'validation_failed',
      ],
      [
        'a Data Matrix quiet zone of 0',
        { data: URI, symbology: 'datamatrix', quiet_zone: '0' },
        'validation_failed',
      ],
      ['compressed=yes', { data: URI, compressed: 'yes' }, 'validation_failed'],
      ['an unknown parameter', { data: URI, colour: 'red' }, 'validation_failed'],
      ['data over 2048 characters', { data: `${URI}&99=${'A'.repeat(2100)}` }, 'validation_failed'],
    ];
    for (const [what, query, code] of cases) {
      it(`400 for ${what}`, async () => {
        await expectError(await codes(query), 400, code);
      });
    }
  });
});
