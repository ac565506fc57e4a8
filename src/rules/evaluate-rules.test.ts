import { describe, expect, it } from 'vitest';
import {
  compileRules,
  type EvaluableRule,
  fold,
  localTime,
  PLAIN_SCAN_LINK_TYPE,
  type ScanContext,
} from './evaluate-rules';
import type { RuleConditions } from './rule-conditions';

const GTIN = '09506000134352';

let nextId = 0;
function rule(overrides: Partial<EvaluableRule> & { conditions?: RuleConditions } = {}): EvaluableRule {
  return {
    id: `r${nextId++}`,
    scope: 'PRODUCT',
    gtin: GTIN,
    lot: null,
    serial: null,
    brandId: null,
    orderIndex: 0,
    enabled: true,
    conditions: {},
    destination: { type: 'url', url: 'https://brand.example/', forwardQuery: true, dead: false },
    deadUrlPolicy: 'skip_rule',
    ...overrides,
  };
}

function scan(overrides: Partial<ScanContext> = {}): ScanContext {
  return {
    now: Date.parse('2026-06-15T12:00:00Z'), // a Monday
    gtin: GTIN,
    brandId: 'brd_1',
    languages: [],
    linkType: PLAIN_SCAN_LINK_TYPE,
    productStatus: 'active',
    deviceClass: 'mobile',
    hostedPageAvailable: true,
    ...overrides,
  };
}

/** Compiles and evaluates in one go: the tests hand over rules in any order. */
const evaluateRules = (rules: readonly EvaluableRule[], context: ScanContext) =>
  compileRules(rules).evaluate(context);
const winner = (rules: EvaluableRule[], context: ScanContext) =>
  evaluateRules(rules, context)?.rule.id ?? null;
const matches = (conditions: RuleConditions, context: ScanContext) =>
  evaluateRules([rule({ conditions })], context) !== null;

describe('evaluateRules: order', () => {
  it('tries the most specific scope first, whatever order the rules come in', () => {
    const org = rule({ scope: 'ORGANIZATION', gtin: null });
    const brand = rule({ scope: 'BRAND', gtin: null, brandId: 'brd_1' });
    const product = rule({ scope: 'PRODUCT' });
    const batch = rule({ scope: 'BATCH', lot: 'L1' });
    const serial = rule({ scope: 'SERIAL', serial: 'S1' });
    const all = [org, brand, product, batch, serial];
    const context = scan({ lot: 'L1', serial: 'S1' });
    expect(winner(all, context)).toBe(serial.id);
    expect(winner(all, { ...context, serial: 'S2' })).toBe(batch.id);
    expect(winner(all, { ...context, serial: undefined, lot: 'L2' })).toBe(product.id);
    expect(winner([org, brand], context)).toBe(brand.id);
    expect(winner([org, brand], { ...context, brandId: 'brd_2' })).toBe(org.id);
    expect(winner([org, brand], { ...context, brandId: null })).toBe(org.id);
  });

  it('within a scope, the lowest order_index first; the first match wins', () => {
    const second = rule({ orderIndex: 2 });
    const first = rule({ orderIndex: 1, conditions: { countries: ['FR'] } });
    expect(winner([second, first], scan({ country: 'FR' }))).toBe(first.id);
    expect(winner([second, first], scan({ country: 'DE' }))).toBe(second.id);
  });

  it('skips disabled rules and rules for other GTINs, lots and serials', () => {
    expect(winner([rule({ enabled: false })], scan())).toBeNull();
    expect(winner([rule({ gtin: '09506000134376' })], scan())).toBeNull();
    expect(winner([rule({ scope: 'BATCH', lot: 'L1' })], scan())).toBeNull();
    expect(winner([rule({ scope: 'SERIAL', serial: 'S1' })], scan({ lot: 'S1' }))).toBeNull();
  });

  it('a rule without conditions matches every plain scan', () => {
    expect(matches({}, scan())).toBe(true);
  });
});

describe('evaluateRules: conditions', () => {
  it('absolute start (inclusive) and end (exclusive)', () => {
    const startsAt = Date.parse('2026-06-01T00:00:00Z');
    const endsAt = Date.parse('2026-07-01T00:00:00Z');
    expect(matches({ startsAt, endsAt }, scan({ now: startsAt }))).toBe(true);
    expect(matches({ startsAt, endsAt }, scan({ now: startsAt - 1 }))).toBe(false);
    expect(matches({ startsAt, endsAt }, scan({ now: endsAt - 1 }))).toBe(true);
    expect(matches({ startsAt, endsAt }, scan({ now: endsAt }))).toBe(false);
    expect(matches({ endsAt }, scan({ now: 0 }))).toBe(true);
  });

  it('an annual window inside a year, ends inclusive', () => {
    const summer = { annualWindow: { start: '06-01', end: '08-31' } };
    expect(matches(summer, scan({ now: Date.parse('2031-06-01T00:00:00Z') }))).toBe(true);
    expect(matches(summer, scan({ now: Date.parse('2031-08-31T23:59:59Z') }))).toBe(true);
    expect(matches(summer, scan({ now: Date.parse('2031-09-01T00:00:00Z') }))).toBe(false);
    expect(matches(summer, scan({ now: Date.parse('2031-05-31T23:59:59Z') }))).toBe(false);
  });

  it('an annual window that wraps the new year', () => {
    const holidays = { annualWindow: { start: '12-20', end: '01-06' } };
    for (const at of [
      '2026-12-20T00:00:00Z',
      '2026-12-31T23:59:00Z',
      '2027-01-01T00:00:00Z',
      '2027-01-06T23:59:00Z',
    ]) {
      expect(matches(holidays, scan({ now: Date.parse(at) })), at).toBe(true);
    }
    for (const at of ['2026-12-19T23:59:00Z', '2027-01-07T00:00:00Z', '2026-06-15T00:00:00Z']) {
      expect(matches(holidays, scan({ now: Date.parse(at) })), at).toBe(false);
    }
  });

  it("reads the annual window in the rule's timezone", () => {
    // 2026-12-19 23:30 UTC is already the 20th in Paris (UTC+1) but still the 19th in New York.
    const now = Date.parse('2026-12-19T23:30:00Z');
    expect(
      matches({ annualWindow: { start: '12-20', end: '01-06' }, timezone: 'Europe/Paris' }, scan({ now })),
    ).toBe(true);
    expect(
      matches(
        { annualWindow: { start: '12-20', end: '01-06' }, timezone: 'America/New_York' },
        scan({ now }),
      ),
    ).toBe(false);
  });

  it("days of week, in the rule's timezone", () => {
    // Monday 2026-06-15 02:00 UTC is still Sunday in Los Angeles.
    const now = Date.parse('2026-06-15T02:00:00Z');
    expect(matches({ daysOfWeek: ['mon'] }, scan({ now }))).toBe(true);
    expect(matches({ daysOfWeek: ['sat', 'sun'], timezone: 'America/Los_Angeles' }, scan({ now }))).toBe(
      true,
    );
    expect(matches({ daysOfWeek: ['mon'], timezone: 'America/Los_Angeles' }, scan({ now }))).toBe(false);
  });

  it('time of day: start inclusive, end exclusive, wrapping midnight', () => {
    const at = (hhmm: string) => scan({ now: Date.parse(`2026-06-15T${hhmm}:00Z`) });
    const office = { timeOfDay: { start: '09:00', end: '17:00' } };
    expect(matches(office, at('09:00'))).toBe(true);
    expect(matches(office, at('16:59'))).toBe(true);
    expect(matches(office, at('17:00'))).toBe(false);
    const night = { timeOfDay: { start: '22:00', end: '06:00' } };
    expect(matches(night, at('23:30'))).toBe(true);
    expect(matches(night, at('05:59'))).toBe(true);
    expect(matches(night, at('06:00'))).toBe(false);
    expect(matches(night, at('12:00'))).toBe(false);
  });

  it('time of day across a DST change: the wall clock, not a fixed offset', () => {
    // New York springs forward on 2026-03-08 at 02:00 (07:00 UTC): 13:30 UTC is 08:30 EST the day
    // before and 09:30 EDT that day.
    const office = { timeOfDay: { start: '09:00', end: '17:00' }, timezone: 'America/New_York' };
    expect(matches(office, scan({ now: Date.parse('2026-03-07T13:30:00Z') }))).toBe(false);
    expect(matches(office, scan({ now: Date.parse('2026-03-08T13:30:00Z') }))).toBe(true);
    // On the spring-forward night the clock jumps from 01:59 to 03:00: a 02:00–03:00 window is empty.
    const lostHour = { timeOfDay: { start: '02:00', end: '03:00' }, timezone: 'America/New_York' };
    const night = Array.from({ length: 12 }, (_, i) => Date.parse('2026-03-08T05:00:00Z') + i * 10 * 60_000);
    expect(night.filter((now) => matches(lostHour, scan({ now })))).toEqual([]);
    // In autumn (2026-11-01) 01:30 happens twice; both are inside a 01:00–02:00 window.
    const repeated = { timeOfDay: { start: '01:00', end: '02:00' }, timezone: 'America/New_York' };
    expect(matches(repeated, scan({ now: Date.parse('2026-11-01T05:30:00Z') }))).toBe(true); // 01:30 EDT
    expect(matches(repeated, scan({ now: Date.parse('2026-11-01T06:30:00Z') }))).toBe(true); // 01:30 EST
  });

  it('countries, regions (name or code) and cities, case and accents ignored', () => {
    const montreal = scan({ country: 'CA', region: 'Quebec', regionCode: 'QC', city: 'Montreal' });
    expect(matches({ countries: ['CA'] }, montreal)).toBe(true);
    expect(matches({ countries: ['FR'] }, montreal)).toBe(false);
    expect(matches({ countries: ['CA'] }, scan())).toBe(false); // no country known
    expect(matches({ regions: ['Québec'] }, montreal)).toBe(true);
    expect(matches({ regions: ['qc'] }, montreal)).toBe(true);
    expect(matches({ regions: ['Ontario'] }, montreal)).toBe(false);
    expect(matches({ cities: ['Montréal', 'Laval'] }, montreal)).toBe(true);
    expect(matches({ cities: ['Toronto'] }, montreal)).toBe(false);
  });

  it("languages: the client's preferred language, by language range", () => {
    expect(matches({ languages: ['fr'] }, scan({ languages: ['fr-CA', 'en'] }))).toBe(true);
    expect(matches({ languages: ['fr-ca'] }, scan({ languages: ['fr-CA'] }))).toBe(true);
    expect(matches({ languages: ['fr-ca'] }, scan({ languages: ['fr-FR'] }))).toBe(false);
    expect(matches({ languages: ['fr'] }, scan({ languages: ['en-CA', 'fr'] }))).toBe(false);
    expect(matches({ languages: ['fr'] }, scan({ languages: [] }))).toBe(false);
  });

  it('link types: a plain scan meets rules without one; an explicit type only rules that name it', () => {
    const pip = scan({ linkType: 'gs1:pip' });
    expect(matches({}, pip)).toBe(false);
    expect(matches({ linkTypes: ['gs1:pip'] }, pip)).toBe(true);
    expect(matches({ linkTypes: ['gs1:recipeInfo'] }, pip)).toBe(false);
    expect(matches({ linkTypes: ['gs1:pip'] }, scan())).toBe(false);
    expect(matches({ linkTypes: [PLAIN_SCAN_LINK_TYPE] }, scan())).toBe(true);
  });

  it('product status, and none when the product is not in the catalog', () => {
    expect(matches({ productStatuses: ['recalled'] }, scan({ productStatus: 'recalled' }))).toBe(true);
    expect(matches({ productStatuses: ['recalled'] }, scan())).toBe(false);
    expect(
      matches({ productStatuses: ['active', 'discontinued'] }, scan({ productStatus: 'discontinued' })),
    ).toBe(true);
    expect(matches({ productStatuses: ['active'] }, scan({ productStatus: null }))).toBe(false);
  });

  it('device class', () => {
    expect(matches({ deviceClasses: ['mobile', 'tablet'] }, scan())).toBe(true);
    expect(matches({ deviceClasses: ['desktop'] }, scan())).toBe(false);
    expect(matches({ deviceClasses: ['bot'] }, scan({ deviceClass: 'bot' }))).toBe(true);
  });

  it('matches expired: true only for a scan past its date, expired: false otherwise', () => {
    expect(matches({ expired: true }, scan({ expired: true }))).toBe(true);
    expect(matches({ expired: true }, scan({ expired: false }))).toBe(false);
    expect(matches({ expired: true }, scan())).toBe(false);
    expect(matches({ expired: false }, scan())).toBe(true);
    expect(matches({ expired: false }, scan({ expired: true }))).toBe(false);
    expect(matches({ expired: true, countries: ['FR'] }, scan({ expired: true, country: 'DE' }))).toBe(false);
  });

  it('ANDs every condition', () => {
    const frenchCanada = { countries: ['CA'], languages: ['fr'], deviceClasses: ['mobile' as const] };
    expect(matches(frenchCanada, scan({ country: 'CA', languages: ['fr'] }))).toBe(true);
    expect(matches(frenchCanada, scan({ country: 'CA', languages: ['en'] }))).toBe(false);
    expect(matches(frenchCanada, scan({ country: 'FR', languages: ['fr'] }))).toBe(false);
    expect(matches(frenchCanada, scan({ country: 'CA', languages: ['fr'], deviceClass: 'desktop' }))).toBe(
      false,
    );
  });

  it('reads a getter field only when a rule asks for it', () => {
    let classified = 0;
    const context = {
      ...scan(),
      get deviceClass() {
        classified++;
        return 'desktop' as const;
      },
    };
    evaluateRules([rule({ conditions: { countries: ['FR'] } }), rule({ orderIndex: 1 })], context);
    expect(classified).toBe(0);
    evaluateRules([rule({ conditions: { deviceClasses: ['desktop'] } })], context);
    expect(classified).toBe(1);
  });
});

describe('evaluateRules: what a scan is asked', () => {
  it('reads the country, region and city once per evaluation, however many rules ask', () => {
    const reads = { country: 0, region: 0, city: 0 };
    const context = {
      ...scan(),
      get country() {
        reads.country++;
        return 'fr';
      },
      get region() {
        reads.region++;
        return 'Île-de-France';
      },
      get city() {
        reads.city++;
        return undefined;
      },
    };
    const rules = [
      ...['AQ', 'KI', 'US'].map((country, i) =>
        rule({ orderIndex: i, conditions: { countries: [country] } }),
      ),
      rule({ orderIndex: 3, conditions: { regions: ['Bavaria'] } }),
      rule({ orderIndex: 4, conditions: { cities: ['Paris'] } }),
      rule({ orderIndex: 5, conditions: { regions: ['ile-de-france'], countries: ['FR'] } }),
    ];
    expect(winner(rules, context)).toBe(rules[5]!.id);
    expect(reads).toEqual({ country: 1, region: 1, city: 1 });
  });

  it('compiled once, a rule list answers many scans alike', () => {
    const rules = [
      rule({ orderIndex: 0, enabled: false }),
      rule({ orderIndex: 1, conditions: { countries: ['CA'], languages: ['fr'] } }),
      rule({
        orderIndex: 2,
        conditions: { timeOfDay: { start: '22:00', end: '06:00' }, timezone: 'Asia/Tokyo' },
      }),
      rule({ orderIndex: 3 }),
    ];
    const compiled = compileRules(rules);
    expect(compiled.rules.map((r) => r.id)).toEqual([rules[1]!.id, rules[2]!.id, rules[3]!.id]);
    const night = Date.parse('2026-06-15T14:30:00Z'); // 23:30 in Tokyo
    const cases: [Partial<ScanContext>, string][] = [
      [{ country: 'CA', languages: ['fr-CA'] }, rules[1]!.id],
      [{ country: 'CA', languages: ['en'] }, rules[3]!.id],
      [{ country: 'CA', languages: ['en'], now: night }, rules[2]!.id],
      [{ now: night }, rules[2]!.id],
      [{}, rules[3]!.id],
    ];
    for (const [overrides, expected] of cases) {
      expect(compiled.evaluate(scan(overrides))?.rule.id).toBe(expected);
      expect(winner(rules, scan(overrides))).toBe(expected);
    }
  });
});

describe('fold', () => {
  // The reference: what fold did before its ASCII fast path.
  const unicodeFold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();

  it('folds case and accents, and agrees with full Unicode folding on every kind of name', () => {
    const names = [
      'Montréal',
      'MONTREAL',
      'São Paulo',
      'Zürich',
      'İstanbul',
      'Kraków',
      'Ōsaka',
      'QC',
      'Île-de-France',
      "Val-d'Oise",
      'a^b',
      'grave`accent',
      'Ærøskøbing',
      '北京',
      'Ελλάδα',
      '',
      'ÅLESUND',
      'Nuñoa',
      'x\u0301',
      '😀 city',
    ];
    for (const name of names) expect(fold(name), name).toBe(unicodeFold(name));
    expect(fold('Montréal')).toBe('montreal');
    expect(fold('MONTREAL')).toBe('montreal');
  });
});

describe('evaluateRules: destinations', () => {
  const dead = { type: 'url' as const, url: 'https://gone.example/', forwardQuery: true, dead: true };

  it('a dead URL with skip_rule: the next rule gets its chance', () => {
    const first = rule({ orderIndex: 0, destination: dead, deadUrlPolicy: 'skip_rule' });
    const second = rule({ orderIndex: 1 });
    expect(winner([first, second], scan())).toBe(second.id);
    expect(evaluateRules([first], scan())).toBeNull();
  });

  it('a dead URL with hosted_page: the hosted page, when the product has one', () => {
    const first = rule({ destination: dead, deadUrlPolicy: 'hosted_page' });
    expect(evaluateRules([first], scan())).toEqual({
      rule: first,
      target: { type: 'hosted_page', reason: 'dead_url' },
    });
    expect(evaluateRules([first], scan({ hostedPageAvailable: false }))).toBeNull();
  });

  it('a hosted-page rule is skipped for a product that has no page', () => {
    const page = rule({ destination: { type: 'hosted_page' } });
    expect(evaluateRules([page], scan())?.target).toEqual({ type: 'hosted_page', reason: 'rule' });
    expect(evaluateRules([page], scan({ hostedPageAvailable: false }))).toBeNull();
  });
});

describe('localTime', () => {
  it('gives month-day, weekday and minutes in the zone', () => {
    expect(localTime(Date.parse('2026-12-31T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      monthDay: '01-01',
      day: 'fri',
      minutes: 8 * 60 + 30,
    });
    expect(localTime(Date.parse('2026-12-31T23:30:00Z'), 'UTC')).toEqual({
      monthDay: '12-31',
      day: 'thu',
      minutes: 23 * 60 + 30,
    });
  });
});

describe('evaluateRules: the indexed evaluation agrees with the conditions read rule by rule', () => {
  // The reference: every enabled rule in evaluation order, each condition read as PRODUCT.md C2 and
  // rule-conditions.ts state it, the first rule that holds and has somewhere to send the scan wins.
  const RANK = { SERIAL: 1, BATCH: 2, PRODUCT: 3, BRAND: 4, ORGANIZATION: 5 } as const;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const within = <T extends string | number>(v: T, from: T, to: T, endInclusive: boolean) =>
    from <= to
      ? v >= from && (endInclusive ? v <= to : v < to)
      : v >= from || (endInclusive ? v <= to : v < to);

  function holds(r: EvaluableRule, s: ScanContext): boolean {
    const c = r.conditions;
    const local = localTime(s.now, c.timezone ?? 'UTC');
    const preferred = s.languages[0]?.toLowerCase();
    const places = [s.region, s.regionCode].filter((p): p is string => !!p).map(fold);
    const inScope = {
      SERIAL: r.gtin === s.gtin && s.serial !== undefined && r.serial === s.serial,
      BATCH: r.gtin === s.gtin && s.lot !== undefined && r.lot === s.lot,
      PRODUCT: r.gtin === s.gtin,
      BRAND: s.brandId !== null && r.brandId === s.brandId,
      ORGANIZATION: true,
    }[r.scope];
    return (
      inScope &&
      (c.linkTypes ? c.linkTypes.includes(s.linkType) : s.linkType === PLAIN_SCAN_LINK_TYPE) &&
      (c.startsAt === undefined || s.now >= c.startsAt) &&
      (c.endsAt === undefined || s.now < c.endsAt) &&
      (!c.productStatuses || (s.productStatus !== null && c.productStatuses.includes(s.productStatus))) &&
      (!c.annualWindow || within(local.monthDay, c.annualWindow.start, c.annualWindow.end, true)) &&
      (!c.daysOfWeek || c.daysOfWeek.includes(local.day)) &&
      (!c.timeOfDay || within(local.minutes, minutes(c.timeOfDay.start), minutes(c.timeOfDay.end), false)) &&
      (!c.deviceClasses || c.deviceClasses.includes(s.deviceClass)) &&
      (c.expired === undefined || (s.expired ?? false) === c.expired) &&
      (!c.languages ||
        (preferred !== undefined &&
          c.languages.some((range) => preferred === range || preferred.startsWith(`${range}-`)))) &&
      (!c.countries || (s.country !== undefined && c.countries.includes(s.country.toUpperCase()))) &&
      (!c.regions || places.some((p) => c.regions!.map(fold).includes(p))) &&
      (!c.cities || (!!s.city && c.cities.map(fold).includes(fold(s.city))))
    );
  }

  function reference(rules: readonly EvaluableRule[], s: ScanContext): { id: string; target: string } | null {
    const ordered = rules
      .filter((r) => r.enabled)
      .sort((a, b) => RANK[a.scope] - RANK[b.scope] || a.orderIndex - b.orderIndex);
    for (const r of ordered) {
      if (!holds(r, s)) continue;
      const d = r.destination;
      if (d.type === 'hosted_page') {
        if (s.hostedPageAvailable) return { id: r.id, target: 'hosted_page:rule' };
      } else if (!d.dead) return { id: r.id, target: `url:${d.url}` };
      else if (r.deadUrlPolicy === 'hosted_page' && s.hostedPageAvailable)
        return { id: r.id, target: 'hosted_page:dead_url' };
    }
    return null;
  }

  // A seeded generator (mulberry32): the same rule lists and scans on every run.
  function random(seed: number) {
    let a = seed;
    const next = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const some = <T>(items: readonly T[]): T[] =>
      items
        .filter(() => next() < 0.4)
        .concat(pick(items))
        .filter((v, i, all) => all.indexOf(v) === i);
    const maybe = <T>(make: () => T): T | undefined => (next() < 0.25 ? make() : undefined);
    return { next, pick, some, maybe };
  }

  const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
  const GTINS = [GTIN, '09506000134376'];
  const LOTS = ['L1', 'L2'];
  const SERIALS = ['S1', 'S2'];
  const BRANDS = ['brd_1', 'brd_2'];
  const ZONES = ['UTC', 'Asia/Tokyo', 'America/New_York'];
  const HOURS = ['00:00', '06:00', '09:30', '12:00', '17:00', '22:00'];
  const DAYS_OF_YEAR = ['01-06', '02-29', '06-01', '08-31', '12-20'];

  function randomRules(r: ReturnType<typeof random>, count: number): EvaluableRule[] {
    return Array.from({ length: count }, (_, i) => {
      const scope = r.pick(['SERIAL', 'BATCH', 'PRODUCT', 'PRODUCT', 'BRAND', 'ORGANIZATION'] as const);
      const conditions: RuleConditions = {};
      const set = <K extends keyof RuleConditions>(key: K, value: RuleConditions[K] | undefined) => {
        if (value !== undefined) conditions[key] = value;
      };
      set(
        'startsAt',
        r.maybe(() => YEAR_START + Math.floor(r.next() * 365) * 86_400_000),
      );
      set(
        'endsAt',
        r.maybe(() => YEAR_START + Math.floor(r.next() * 365) * 86_400_000),
      );
      set(
        'annualWindow',
        r.maybe(() => ({ start: r.pick(DAYS_OF_YEAR), end: r.pick(DAYS_OF_YEAR) })),
      );
      set(
        'daysOfWeek',
        r.maybe(() => r.some(['mon', 'tue', 'sat', 'sun'] as const)),
      );
      set(
        'timeOfDay',
        r.maybe(() => ({ start: r.pick(HOURS), end: r.pick(HOURS) })),
      );
      set(
        'timezone',
        r.maybe(() => r.pick(ZONES)),
      );
      set(
        'countries',
        r.maybe(() => r.some(['CA', 'FR', 'US'])),
      );
      set(
        'regions',
        r.maybe(() => r.some(['Québec', 'qc', 'Texas'])),
      );
      set(
        'cities',
        r.maybe(() => r.some(['MONTREAL', 'Austin'])),
      );
      set(
        'languages',
        r.maybe(() => r.some(['fr', 'fr-ca', 'en'])),
      );
      set(
        'linkTypes',
        r.maybe(() => r.some(['gs1:pip', 'gs1:recipeInfo', PLAIN_SCAN_LINK_TYPE])),
      );
      set(
        'productStatuses',
        r.maybe(() => r.some(['active', 'recalled', 'discontinued'] as const)),
      );
      set(
        'deviceClasses',
        r.maybe(() => r.some(['mobile', 'desktop', 'tablet'] as const)),
      );
      set(
        'expired',
        r.maybe(() => r.next() < 0.5),
      );
      return rule({
        id: `q${i}`,
        scope,
        gtin: scope === 'BRAND' || scope === 'ORGANIZATION' ? null : r.pick(GTINS),
        lot: scope === 'BATCH' ? r.pick(LOTS) : null,
        serial: scope === 'SERIAL' ? r.pick(SERIALS) : null,
        brandId: scope === 'BRAND' ? r.pick(BRANDS) : null,
        orderIndex: Math.floor(r.next() * 1000) * 100 + i, // unique within a list, in random order
        enabled: r.next() < 0.9,
        conditions,
        destination:
          r.next() < 0.2
            ? { type: 'hosted_page' }
            : { type: 'url', url: `https://brand.example/${i}`, forwardQuery: false, dead: r.next() < 0.15 },
        deadUrlPolicy: r.pick(['skip_rule', 'hosted_page'] as const),
      });
    });
  }

  function randomScan(r: ReturnType<typeof random>): ScanContext {
    return {
      now: YEAR_START + Math.floor(r.next() * 366 * 24 * 4) * 15 * 60_000,
      gtin: r.pick(GTINS),
      lot: r.pick([undefined, ...LOTS]),
      serial: r.pick([undefined, ...SERIALS]),
      brandId: r.pick([null, ...BRANDS]),
      country: r.pick([undefined, 'CA', 'fr', 'US']),
      region: r.pick([undefined, 'Quebec', 'Texas']),
      regionCode: r.pick([undefined, 'QC', 'TX']),
      city: r.pick([undefined, 'Montréal', 'austin']),
      languages: r.pick([[], ['fr-CA', 'en'], ['en'], ['fr'], ['FR-ca-x-y']]),
      linkType: r.pick([PLAIN_SCAN_LINK_TYPE, PLAIN_SCAN_LINK_TYPE, 'gs1:pip']),
      productStatus: r.pick([null, 'active', 'recalled', 'discontinued'] as const),
      deviceClass: r.pick(['mobile', 'desktop', 'tablet', 'bot'] as const),
      ...(r.next() < 0.7 ? { expired: r.next() < 0.3 } : {}),
      hostedPageAvailable: r.next() < 0.7,
    };
  }

  it('on 400 random rule lists of 0 to 100 rules (up to four words of bits), 25 scans each', () => {
    const r = random(20261127);
    let matched = 0;
    for (let list = 0; list < 400; list++) {
      const rules = randomRules(r, Math.floor(r.next() * 101));
      const compiled = compileRules(rules);
      for (let n = 0; n < 25; n++) {
        const s = randomScan(r);
        const found = compiled.evaluate(s);
        const actual = found && {
          id: found.rule.id,
          target:
            found.target.type === 'url' ? `url:${found.target.url}` : `hosted_page:${found.target.reason}`,
        };
        expect(actual, `list ${list}, scan ${n}`).toEqual(reference(rules, s));
        if (actual) matched++;
      }
    }
    // Not a vacuous comparison: many scans find a rule, many find none.
    expect(matched).toBeGreaterThan(2_000);
    expect(matched).toBeLessThan(8_000);
  });
});
