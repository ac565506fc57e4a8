// GS1 Digital Link compression against EVRYTHNG's digital-link.js, which ships GS1's reference
// toolkit (GS1DigitalLinkCompressionPrototype): random keys, qualifiers, data attributes and other
// query parameters compress to the same string in both, with and without optimisations, and each
// side decompresses the other's output to the same data.
//
// The toolkit copy inside digital-link.js 1.4.3 predates GS1's later fixes, so its domain is kept
// to what it gets right, and our own tests (test/digital-link/compression.test.ts) cover the rest:
// * numbers become JavaScript numbers (parseInt), exact only to 15 digits: no SSCC or (8006), and
//   no all-digit lot or serial longer than 15;
// * an all-digit alphanumeric value, or a variable-length number, loses its leading zeros on
//   decompression (in GS1's current toolkit too): none generated;
// * it sorts the AIs of each optimisation code, which GS1 fixed later (the code's order is the
//   table's): cases that would use 1A ((01) (10) (21) (17)) or 9D ((414) (254)) compare the
//   uncompressed form only, and test/digital-link/compression.test.ts pins GS1's order;
// * an AI of two components whose second is alphanumeric ((8003), (253), (7030) …) encodes wrongly
//   there: none generated.
import { Utils } from 'digital-link.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AiValue,
  compressDigitalLinkUri,
  decompressDigitalLinkPath,
  parseDigitalLink,
  withCheckDigit,
} from '../../src/digital-link';

// (3922) without a (30)/(31nn) measure is fine here: compression does not judge associations.
const LENIENT = { validateAIAssociations: false };
const SEED = 20_261_130;
const RUNS = 300;

const CSET82_SAFE = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._'];

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** A lot, serial or CPV: characters that need no escaping, never an all-digit value the toolkit mangles. */
const text = (max: number) =>
  fc
    .oneof(
      fc.array(fc.constantFrom(...CSET82_SAFE), { minLength: 1, maxLength: max }).map((c) => c.join('')),
      fc
        .array(fc.constantFrom(...'0123456789ABCDEF'), { minLength: 1, maxLength: max })
        .map((c) => c.join('')),
      fc
        .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 1, maxLength: max })
        .map((c) => c.join('')),
      digits(1, Math.min(max, 15)),
    )
    .filter((v) => !/^[0-9]+$/.test(v) || !v.startsWith('0'));

const gtin = digits(13, 13).map((d) => withCheckDigit(d));
const date = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));

const attribute: fc.Arbitrary<AiValue> = fc.oneof(
  fc.record({ ai: fc.constantFrom('11', '13', '15', '16', '17'), value: date }),
  fc.record({ ai: fc.constantFrom('3100', '3103', '3202'), value: digits(6, 6) }),
  fc.record({ ai: fc.constant('3922'), value: digits(1, 15).filter((d) => !d.startsWith('0')) }),
  fc.record({
    ai: fc.constant('7003'),
    value: fc
      .tuple(date, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([d, h, m]) => `${d}${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}`),
  }),
  fc.record({ ai: fc.constant('30'), value: digits(1, 8).filter((d) => !d.startsWith('0')) }),
  fc.record({ ai: fc.constant('91'), value: text(40) }),
);

const parameter = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['linkType', 'gs1:pip'],
    ['linkType', 'gs1:certificationInfo'],
    ['context', 'LK'],
  ),
  fc.tuple(
    fc
      .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), { minLength: 1, maxLength: 12 })
      .map((c) => c.join('')),
    text(30),
  ),
);

interface Case {
  path: AiValue[];
  attributes: AiValue[];
  parameters: [string, string][];
}

const gtinCase: fc.Arbitrary<Case> = fc.record({
  path: fc
    .tuple(gtin, fc.option(text(20)), fc.option(text(20)), fc.option(text(20)))
    .map(([key, cpv, lot, serial]) => [
      { ai: '01', value: key },
      ...(cpv ? [{ ai: '22', value: cpv }] : []),
      ...(lot ? [{ ai: '10', value: lot }] : []),
      ...(serial ? [{ ai: '21', value: serial }] : []),
    ]),
  attributes: fc.uniqueArray(attribute, { maxLength: 4, selector: (a) => a.ai.slice(0, 3) }),
  parameters: fc.uniqueArray(parameter, { maxLength: 3, selector: (p) => p[0] }),
});

const otherKeyCase: fc.Arbitrary<Case> = fc.record({
  path: fc.oneof(
    fc
      .tuple(digits(12, 12), fc.option(text(20)))
      .map(([gln, ext]) => [
        { ai: '414', value: withCheckDigit(gln) },
        ...(ext ? [{ ai: '254', value: ext }] : []),
      ]),
    text(23)
      .map((rest) => `9506000${rest}`)
      .filter((giai) => !/^[0-9]{16,}$/.test(giai))
      .map((giai) => [{ ai: '8004', value: giai }]),
  ),
  attributes: fc.constant([]),
  parameters: fc.uniqueArray(parameter, { maxLength: 2, selector: (p) => p[0] }),
});

/** Whether the optimised form uses a code whose AIs digital-link.js's toolkit puts in another order. */
function usesReorderedCode(c: Case): boolean {
  const ais = new Set([...c.path, ...c.attributes].map((e) => e.ai));
  return ['01', '10', '21', '17'].every((ai) => ais.has(ai)) || (ais.has('414') && ais.has('254'));
}

const STEM = 'https://id.example.org';

function uriOf(c: Case): string {
  const path = c.path.map((e) => `/${e.ai}/${e.value}`).join('');
  const query = [
    ...c.attributes.map((a) => `${a.ai}=${a.value}`),
    ...c.parameters.map(([k, v]) => `${k}=${v}`),
  ];
  return `${STEM}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** What a URI says, order aside: its AIs and its other parameters. */
function meaning(uri: string) {
  const parsed = parseDigitalLink(uri, LENIENT);
  if (!parsed.ok) throw new Error(`${uri}: ${parsed.error.message}`);
  const { link } = parsed;
  const ais = [link.primaryKey, ...link.qualifiers, ...link.attributes].map((e) => `${e.ai}=${e.value}`);
  const others = [
    ...(link.linkType !== undefined ? [`linkType=${link.linkType}`] : []),
    ...(link.context !== undefined ? [`context=${link.context}`] : []),
    ...link.extraParams.map(([k, v]) => `${k}=${v}`),
  ];
  return { ais: ais.sort(), others: others.sort() };
}

function ourDecompression(compressed: string): string {
  const url = new URL(compressed);
  const out = decompressDigitalLinkPath(url.pathname, url.search, LENIENT);
  if (!out.ok) throw new Error(`${compressed}: ${out.error.message}`);
  return `${url.origin}${out.pathname}${out.search}`;
}

describe.each([
  ['with optimisations', true],
  ['without optimisations', false],
])('compression %s, against digital-link.js', (_label, optimise) => {
  it.each([
    ['GTIN, qualifiers, attributes and parameters', gtinCase],
    ['GLN, GIAI and party keys', otherKeyCase],
  ])('%s: same string, and each decompresses the other', (_kind, cases) => {
    fc.assert(
      fc.property(cases, (c) => {
        const uri = uriOf(c);
        const ours = compressDigitalLinkUri(uri, { optimise }, LENIENT);
        if (!ours.ok) throw new Error(`${uri}: ${ours.error.message}`);
        expect(meaning(ourDecompression(ours.uri))).toEqual(meaning(uri));
        if (optimise && usesReorderedCode(c)) return;
        const theirs = Utils.compressWebUri(uri, optimise, true);
        expect(ours.uri).toBe(theirs);
        expect(meaning(ourDecompression(theirs))).toEqual(meaning(uri));
        expect(meaning(Utils.decompressWebUri(ours.uri))).toEqual(meaning(uri));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('leaves other parameters in the query when asked to, as digital-link.js does', () => {
    fc.assert(
      fc.property(gtinCase, (c) => {
        const uri = uriOf(c);
        const ours = compressDigitalLinkUri(uri, { optimise, compressOtherParameters: false }, LENIENT);
        if (!ours.ok) throw new Error(`${uri}: ${ours.error.message}`);
        if (!optimise || !usesReorderedCode(c))
          expect(ours.uri).toBe(Utils.compressWebUri(uri, optimise, false));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
