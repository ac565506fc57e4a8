import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules, type EvaluableRule, PLAIN_SCAN_LINK_TYPE, type ScanContext } from './evaluate-rules';
import { coversScan, explainRule, traceRules } from './explain-rules';
import type { RuleConditions } from './rule-conditions';

const GTIN = '09506000134352';
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
// Each condition on one rule in five: most rules have one or two, as brands write them.
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
const hour = fc.constantFrom('00:00', '06:00', '09:30', '12:00', '17:00', '22:00');
const monthDay = fc.constantFrom('01-06', '02-29', '06-01', '08-31', '12-20');

const conditions: fc.Arbitrary<RuleConditions> = fc
  .record({
    startsAt: opt(fc.integer({ min: 0, max: 365 }).map((d) => YEAR_START + d * DAY)),
    endsAt: opt(fc.integer({ min: 0, max: 365 }).map((d) => YEAR_START + d * DAY)),
    annualWindow: opt(fc.record({ start: monthDay, end: monthDay })),
    daysOfWeek: opt(subset(['mon', 'tue', 'wed', 'sat', 'sun'] as const)),
    timeOfDay: opt(fc.record({ start: hour, end: hour })),
    timezone: opt(fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York')),
    countries: opt(subset(['CA', 'FR', 'US'])),
    regions: opt(subset(['Québec', 'qc', 'Texas'])),
    cities: opt(subset(['MONTREAL', 'Austin'])),
    languages: opt(subset(['fr', 'fr-ca', 'en'])),
    linkTypes: opt(subset(['gs1:pip', 'gs1:recipeInfo', PLAIN_SCAN_LINK_TYPE])),
    productStatuses: opt(subset(['active', 'recalled', 'discontinued'] as const)),
    deviceClasses: opt(subset(['mobile', 'desktop', 'tablet'] as const)),
    expired: opt(fc.boolean()),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as RuleConditions);

const rule = (id: number): fc.Arbitrary<EvaluableRule> =>
  fc
    .record({
      scope: fc.constantFrom('SERIAL', 'BATCH', 'PRODUCT', 'PRODUCT', 'BRAND', 'ORGANIZATION'),
      gtin: fc.constantFrom(GTIN, '09506000134376'),
      lot: fc.constantFrom('L1', 'L2'),
      serial: fc.constantFrom('S1', 'S2'),
      brandId: fc.constantFrom('brd_1', 'brd_2'),
      orderIndex: fc.integer({ min: 0, max: 1000 }),
      enabled: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // nine in ten
      conditions,
      hosted: fc.boolean(),
      dead: fc.boolean(),
      deadUrlPolicy: fc.constantFrom('skip_rule', 'hosted_page'),
    })
    .map(
      (r): EvaluableRule => ({
        id: `r${id}`,
        scope: r.scope as EvaluableRule['scope'],
        gtin: r.scope === 'BRAND' || r.scope === 'ORGANIZATION' ? null : r.gtin,
        lot: r.scope === 'BATCH' ? r.lot : null,
        serial: r.scope === 'SERIAL' ? r.serial : null,
        brandId: r.scope === 'BRAND' ? r.brandId : null,
        orderIndex: r.orderIndex * 100 + id, // unique within a list
        enabled: r.enabled,
        conditions: r.conditions,
        destination: r.hosted
          ? { type: 'hosted_page' }
          : { type: 'url', url: `https://brand.example/${id}`, forwardQuery: false, dead: r.dead },
        deadUrlPolicy: r.deadUrlPolicy as EvaluableRule['deadUrlPolicy'],
      }),
    );

const rules = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rule(i))) as fc.Arbitrary<EvaluableRule[]>);

const scan: fc.Arbitrary<ScanContext> = fc.record({
  now: fc.integer({ min: 0, max: 366 * 24 * 4 }).map((q) => YEAR_START + q * 15 * 60_000),
  gtin: fc.constantFrom(GTIN, '09506000134376'),
  lot: fc.constantFrom(undefined, 'L1', 'L2'),
  serial: fc.constantFrom(undefined, 'S1', 'S2'),
  brandId: fc.constantFrom(null, 'brd_1', 'brd_2'),
  country: fc.constantFrom(undefined, 'CA', 'fr', 'US'),
  region: fc.constantFrom(undefined, 'Quebec', 'Texas'),
  regionCode: fc.constantFrom(undefined, 'QC', 'TX'),
  city: fc.constantFrom(undefined, 'Montréal', 'austin'),
  languages: fc.constantFrom([], ['fr-CA', 'en'], ['en'], ['fr'], ['FR-ca-x-y']),
  linkType: fc.constantFrom(PLAIN_SCAN_LINK_TYPE, PLAIN_SCAN_LINK_TYPE, 'gs1:pip'),
  productStatus: fc.constantFrom(null, 'active', 'recalled', 'discontinued'),
  deviceClass: fc.constantFrom('mobile', 'desktop', 'tablet', 'bot'),
  expired: fc.constantFrom(undefined, true, false),
  hostedPageAvailable: fc.boolean(),
}) as fc.Arbitrary<ScanContext>;

describe('explainRule agrees with the evaluator', () => {
  it('rule by rule: "matched" exactly when the evaluator answers with that rule alone', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(rule(0), scan, (r, s) => {
        const enabled = { ...r, enabled: true };
        fc.pre(coversScan(enabled, s));
        const alone = compileRules([enabled]).evaluate(s);
        const step = explainRule(enabled, s);
        expect(step.outcome === 'matched', step.reason).toBe(alone !== null);
        expect(step.reason.length).toBeGreaterThan(0);
        outcomes.add(step.outcome);
      }),
      { numRuns: 3000 },
    );
    expect([...outcomes].sort()).toEqual(['dead_url', 'matched', 'no_hosted_page', 'skipped']);
  });

  it('on rule lists: the trace is in evaluation order and answers with the rule the evaluator chose', () => {
    let matched = 0;
    fc.assert(
      fc.property(rules, scan, (list, s) => {
        const match = compileRules(list).evaluate(s);
        const steps = traceRules(list, s, match);
        // What the explanations alone would choose: the first enabled rule they call matched.
        const byWords = list
          .filter((r) => r.enabled && coversScan(r, s))
          .sort(
            (a, b) => steps.findIndex((x) => x.ruleId === a.id) - steps.findIndex((x) => x.ruleId === b.id),
          )
          .find((r) => explainRule(r, s).outcome === 'matched');
        expect(byWords?.id ?? null).toBe(match?.rule.id ?? null);
        expect(steps.filter((x) => x.outcome === 'matched').map((x) => x.ruleId)).toEqual(
          match ? [match.rule.id] : [],
        );
        const answeredAt = steps.findIndex((x) => x.outcome === 'matched');
        steps.forEach((x, i) => {
          const r = list.find((l) => l.id === x.ruleId)!;
          if (!r.enabled) expect(x.outcome).toBe('disabled');
          else if (answeredAt !== -1 && i > answeredAt) expect(x.outcome).toBe('not_reached');
        });
        // Every rule that covers the scan is listed, and no other.
        expect(steps.map((x) => x.ruleId).sort()).toEqual(
          list
            .filter((r) => coversScan(r, s))
            .map((r) => r.id)
            .sort(),
        );
        if (match) matched++;
      }),
      { numRuns: 400 },
    );
    expect(matched).toBeGreaterThan(20); // not vacuous
  });
});

describe('the words of a trace', () => {
  const base: EvaluableRule = {
    id: 'r',
    scope: 'PRODUCT',
    gtin: GTIN,
    lot: null,
    serial: null,
    brandId: null,
    orderIndex: 0,
    enabled: true,
    conditions: {},
    destination: { type: 'url', url: 'https://brand.example/', forwardQuery: false, dead: false },
    deadUrlPolicy: 'skip_rule',
  };
  const at = (iso: string): ScanContext => ({
    now: Date.parse(iso),
    gtin: GTIN,
    brandId: null,
    languages: ['en-GB'],
    linkType: PLAIN_SCAN_LINK_TYPE,
    productStatus: 'active',
    deviceClass: 'desktop',
    country: 'JP',
    hostedPageAvailable: false,
  });
  const why = (c: RuleConditions, iso = '2026-03-08T10:00:00Z', extra: Partial<EvaluableRule> = {}) =>
    explainRule({ ...base, conditions: c, ...extra }, at(iso));

  it('names the condition, its values and the scan fact', () => {
    expect(why({ countries: ['CA'] }).reason).toBe('countries: CA, scan from JP');
    expect(
      why(
        { startsAt: Date.parse('2026-01-01T00:00:00Z'), endsAt: Date.parse('2026-02-01T00:00:00Z') },
        '2026-03-04T10:00:00Z',
      ).reason,
    ).toBe('time window: 2026-01-01..2026-02-01, scan at 2026-03-04T10:00Z');
    expect(why({ daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'] }).reason).toBe(
      'days: Mon–Fri, scan on Sunday',
    );
    expect(
      why(
        { timeOfDay: { start: '09:00', end: '12:00' }, timezone: 'America/New_York' },
        '2026-03-07T13:30:00Z',
      ).reason,
    ).toBe('time of day: 09:00–12:00 (America/New_York), scan at 08:30');
    expect(why({ languages: ['fr'] }).reason).toBe('languages: fr, scan prefers en-GB');
    expect(why({ deviceClasses: ['mobile', 'tablet'] }).reason).toBe(
      'device classes: mobile, tablet, scan from desktop',
    );
    expect(why({ linkTypes: ['gs1:pip'] }).reason).toBe(
      'link types: gs1:pip, scan asks for no link type (a plain scan)',
    );
  });

  it('says why a rule whose conditions hold has nowhere to send the scan', () => {
    const dead = { type: 'url' as const, url: 'https://x.example/', forwardQuery: false, dead: true };
    expect(why({}, undefined, { destination: dead })).toEqual({
      outcome: 'dead_url',
      reason: 'destination dead (dead-URL policy: skip)',
    });
    expect(why({}, undefined, { destination: { type: 'hosted_page' } }).outcome).toBe('no_hosted_page');
  });
});
