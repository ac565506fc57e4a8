// Brand rule evaluation (PRODUCT.md C2): pure, no I/O, the clock passed in. The most specific
// scope first (SERIAL > BATCH > PRODUCT > BRAND > ORGANIZATION), then `order_index`; the first
// enabled rule whose conditions all hold wins.
import type { DeadUrlPolicy, ProductStatus, RuleScope } from '../db/schema';
import type { DeviceClass } from '../scans/device-class';
import { ConditionIndex, dropRule, nextRule, type RuleBits } from './rule-bits';
import type { DayOfWeek, RuleConditions } from './rule-conditions';

export const SCOPE_RANK: Readonly<Record<RuleScope, number>> = {
  SERIAL: 1,
  BATCH: 2,
  PRODUCT: 3,
  BRAND: 4,
  ORGANIZATION: 5,
};

/** The link type of a plain scan (no `?linkType=`): GS1's name for "the default link". */
export const PLAIN_SCAN_LINK_TYPE = 'gs1:defaultLink';

export type RuleDestination =
  | {
      type: 'url';
      url: string;
      forwardQuery: boolean /** Marked dead by the URL-health check. */;
      dead: boolean;
    }
  | { type: 'hosted_page' };

export interface EvaluableRule {
  id: string;
  scope: RuleScope;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  brandId: string | null;
  orderIndex: number;
  enabled: boolean;
  conditions: RuleConditions;
  destination: RuleDestination;
  deadUrlPolicy: DeadUrlPolicy;
}

/** What the resolver knows about one scan. Fields costly to work out may be getters, read only when a rule asks. */
export interface ScanContext {
  /** Epoch ms. */
  now: number;
  gtin: string;
  lot?: string;
  serial?: string;
  /** The scanned product's brand (catalog), if any. */
  brandId: string | null;
  country?: string;
  region?: string;
  regionCode?: string;
  city?: string;
  /** The client's languages, most preferred first (from Accept-Language). */
  languages: readonly string[];
  /** The normalised `?linkType=`, or PLAIN_SCAN_LINK_TYPE. */
  linkType: string;
  /** "recalled" when the scanned lot is recalled; null when the product is not in the catalog. */
  productStatus: ProductStatus | null;
  deviceClass: DeviceClass;
  /** Whether the scan's dated attributes are past at `now` (the `expired` condition); false when absent. */
  expired?: boolean;
  /** Whether a hosted product page exists for this scan (the product is in the catalog). */
  hostedPageAvailable: boolean;
}

export type RuleTarget =
  | { type: 'url'; url: string; forwardQuery: boolean }
  | {
      type: 'hosted_page' /** Why the page: the rule says so, or its URL is dead and its policy says fall back. */;
      reason: 'rule' | 'dead_url';
    };

export interface RuleMatch<R extends EvaluableRule = EvaluableRule> {
  rule: R;
  target: RuleTarget;
}

interface LocalTime {
  monthDay: string;
  day: DayOfWeek;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Every zone in use today is a whole number of minutes off UTC, so a zone's wall clock changes
// only on the minute: the last answer per zone is kept, and ICU is asked about once a minute.
const lastMinute = new Map<string, { minute: number; local: LocalTime }>();

/** Wall-clock month-day, weekday and minute of the day at `now` in `timeZone` (DST included, via ICU). */
export function localTime(now: number, timeZone: string): LocalTime {
  const minute = Math.floor(now / 60_000);
  const last = lastMinute.get(timeZone);
  if (last?.minute === minute) return last.local;
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(now)) parts[p.type] = p.value;
  const local = {
    monthDay: `${parts.month}-${parts.day}`,
    day: parts.weekday!.slice(0, 3).toLowerCase() as DayOfWeek,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
  lastMinute.set(timeZone, { minute, local });
  return local;
}

/** Inclusive `from`…`to`, wrapping when `from` is after `to` (over the new year, or midnight). */
function inWindow<T extends string | number>(value: T, from: T, to: T, endInclusive: boolean): boolean {
  const beforeEnd = endInclusive ? value <= to : value < to;
  return from <= to ? value >= from && beforeEnd : value >= from || beforeEnd;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// Text that Unicode folding can change beyond lower-casing: anything outside ASCII, and the two
// ASCII characters Unicode counts as diacritics. Most place names are plain ASCII, and NFD through
// ICU is the dear part of folding.
const NEEDS_UNICODE_FOLD = /[\^`\u0080-\uffff]/;

/** Lower case, accents off: "Montréal" and "MONTREAL" name one city. */
export const fold = (s: string) =>
  NEEDS_UNICODE_FOLD.test(s)
    ? s
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toLowerCase()
    : s.toLowerCase();

/**
 * RFC 4647 basic filtering turned around: the ranges that match a language tag are the tag and its
 * shorter prefixes at subtag boundaries (`fr-CA` is matched by `fr-ca` and `fr`, not by `f`).
 */
function rangesMatching(tag: string): string[] {
  const t = tag.toLowerCase();
  const ranges = [t];
  for (let dash = t.lastIndexOf('-'); dash > 0; dash = t.lastIndexOf('-', dash - 1))
    ranges.push(t.slice(0, dash));
  return ranges;
}

// Scope ids joined into one index key: NUL is in no GTIN, lot, serial or id.
const SEP = '\u0000';

/** The key under which a rule's scope is indexed; undefined: every scan (ORGANIZATION); null: none (an id missing). */
function scopeKey(rule: EvaluableRule): string | null | undefined {
  switch (rule.scope) {
    case 'SERIAL':
      return rule.gtin !== null && rule.serial !== null ? `S${SEP}${rule.gtin}${SEP}${rule.serial}` : null;
    case 'BATCH':
      return rule.gtin !== null && rule.lot !== null ? `B${SEP}${rule.gtin}${SEP}${rule.lot}` : null;
    case 'PRODUCT':
      return rule.gtin !== null ? `P${SEP}${rule.gtin}` : null;
    case 'BRAND':
      return rule.brandId !== null ? `R${SEP}${rule.brandId}` : null;
    case 'ORGANIZATION':
      return undefined;
  }
}

/**
 * The scope keys a scan falls under: its product, its lot and serial when scanned, its brand when
 * known; only of the scopes some rule of the list has (`scopes`), as most lists are product rules.
 */
function scopeKeysOf(scan: ScanContext, scopes: ReadonlySet<RuleScope>): string[] {
  const keys: string[] = [];
  if (scopes.has('PRODUCT')) keys.push(`P${SEP}${scan.gtin}`);
  if (scan.lot !== undefined && scopes.has('BATCH')) keys.push(`B${SEP}${scan.gtin}${SEP}${scan.lot}`);
  if (scan.serial !== undefined && scopes.has('SERIAL')) keys.push(`S${SEP}${scan.gtin}${SEP}${scan.serial}`);
  if (scan.brandId !== null && scopes.has('BRAND')) keys.push(`R${SEP}${scan.brandId}`);
  return keys;
}

/** The wall clock of a scan in each zone a rule asks about, worked out at most once per evaluation. */
class ScanClock {
  private zones: Map<string, LocalTime> | undefined;

  constructor(readonly now: number) {}

  local(zone: string): LocalTime {
    this.zones ??= new Map();
    let local = this.zones.get(zone);
    if (!local) {
      local = localTime(this.now, zone);
      this.zones.set(zone, local);
    }
    return local;
  }
}

/** A condition on when the scan happens: checked rule by rule, as a clock has no value to index rules by. */
type TimeCheck = (clock: ScanClock, scan: ScanContext) => boolean;

/** A rule's time conditions as checks, made once per rule load, with their values pre-parsed. */
function compileTimeChecks(c: RuleConditions): TimeCheck[] {
  const checks: TimeCheck[] = [];
  const { startsAt, endsAt } = c;
  if (startsAt !== undefined) checks.push((clock) => clock.now >= startsAt);
  if (endsAt !== undefined) checks.push((clock) => clock.now < endsAt);
  // Whether the product is past its date depends on the scan's time too: checked with the clock.
  const expired = c.expired;
  if (expired !== undefined) checks.push((_, scan) => (scan.expired ?? false) === expired);
  const zone = c.timezone ?? 'UTC';
  if (c.annualWindow) {
    const { start, end } = c.annualWindow;
    checks.push((clock) => inWindow(clock.local(zone).monthDay, start, end, true));
  }
  if (c.daysOfWeek) {
    const days = c.daysOfWeek;
    checks.push((clock) => days.includes(clock.local(zone).day));
  }
  if (c.timeOfDay) {
    const [start, end] = [toMinutes(c.timeOfDay.start), toMinutes(c.timeOfDay.end)];
    checks.push((clock) => inWindow(clock.local(zone).minutes, start, end, false));
  }
  return checks;
}

// The facts of a scan that cost something to work out, each a bit of what a rule asks about, in
// the order they are worked out (cheapest first): the device class and languages parse a header
// each, and the first of country, region and city parses `request.cf`.
const DEVICE = 1;
const LANGUAGE = 2;
const COUNTRY = 4;
const REGION = 8;
const CITY = 16;

function factsAskedBy(c: RuleConditions): number {
  return (
    (c.deviceClasses ? DEVICE : 0) |
    (c.languages ? LANGUAGE : 0) |
    (c.countries ? COUNTRY : 0) |
    (c.regions ? REGION : 0) |
    (c.cities ? CITY : 0)
  );
}

/** Where a matching rule sends the scan, or null when it must be skipped (dead URL, or no page to fall back on). */
function targetOf(rule: EvaluableRule, scan: ScanContext): RuleTarget | null {
  const d = rule.destination;
  if (d.type === 'hosted_page')
    return scan.hostedPageAvailable ? { type: 'hosted_page', reason: 'rule' } : null;
  if (!d.dead) return { type: 'url', url: d.url, forwardQuery: d.forwardQuery };
  if (rule.deadUrlPolicy === 'hosted_page' && scan.hostedPageAvailable)
    return { type: 'hosted_page', reason: 'dead_url' };
  return null;
}

/** Evaluation order: scope (most specific first), then order_index. */
export const byEvaluationOrder = (a: EvaluableRule, b: EvaluableRule) =>
  SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope] || a.orderIndex - b.orderIndex;

/**
 * A rule list ready for scans, built once when a GTIN's rules are loaded (src/rules/scan-rules.ts):
 * the enabled rules in evaluation order, every condition that has values (link type, scope,
 * product status, device class, language, country, region, city) indexed by value as sets of rules
 * (rule-bits.ts), and each rule's time conditions as checks.
 *
 * A scan starts from the rules its link type, scope and product status admit, then looks at the
 * first candidate: its time checks, then each costly fact it asks about, which narrows every
 * candidate at once and is worked out at most once per scan, and only when a candidate asks for it
 * (a plain scan of a product whose rules name no country never reads `request.cf`). The first
 * candidate left with every condition met and somewhere to send the scan wins.
 */
export class CompiledRules<R extends EvaluableRule = EvaluableRule> {
  /** The enabled rules, in evaluation order. */
  readonly rules: readonly R[];
  private readonly timeChecks: readonly (readonly TimeCheck[])[];
  private readonly factsAsked: readonly number[];
  private readonly scopesUsed: ReadonlySet<RuleScope>;
  private readonly linkTypes: ConditionIndex;
  private readonly scopes: ConditionIndex;
  private readonly statuses: ConditionIndex;
  private readonly devices: ConditionIndex;
  private readonly languages: ConditionIndex;
  private readonly countries: ConditionIndex;
  private readonly regions: ConditionIndex;
  private readonly cities: ConditionIndex;

  constructor(rules: readonly R[]) {
    this.rules = rules.filter((rule) => rule.enabled).sort(byEvaluationOrder);
    const count = this.rules.length;
    const index = () => new ConditionIndex(count);
    this.linkTypes = index();
    this.scopes = index();
    this.statuses = index();
    this.devices = index();
    this.languages = index();
    this.countries = index();
    this.regions = index();
    this.cities = index();
    const timeChecks: TimeCheck[][] = [];
    const factsAsked: number[] = [];
    this.rules.forEach((rule, position) => {
      const c = rule.conditions;
      timeChecks.push(compileTimeChecks(c));
      factsAsked.push(factsAskedBy(c));
      // Without link types a rule answers plain scans only (PLAIN_SCAN_LINK_TYPE).
      this.linkTypes.add(position, c.linkTypes ?? [PLAIN_SCAN_LINK_TYPE]);
      const scope = scopeKey(rule);
      this.scopes.add(position, scope === undefined ? undefined : scope === null ? [] : [scope]);
      this.statuses.add(position, c.productStatuses);
      this.devices.add(position, c.deviceClasses);
      this.languages.add(position, c.languages);
      this.countries.add(position, c.countries);
      this.regions.add(position, c.regions?.map(fold));
      this.cities.add(position, c.cities?.map(fold));
    });
    this.timeChecks = timeChecks;
    this.factsAsked = factsAsked;
    this.scopesUsed = new Set(this.rules.map((rule) => rule.scope));
  }

  get size(): number {
    return this.rules.length;
  }

  /**
   * The first rule that applies to the scan, with where it sends it; null when none does (the
   * resolver then answers as GS1 says). Rules for other serials, lots or brands simply do not apply.
   */
  evaluate(scan: ScanContext): RuleMatch<R> | null {
    if (this.rules.length === 0) return null;
    const candidates = this.linkTypes.admitting(scan.linkType);
    this.scopes.narrow(candidates, scopeKeysOf(scan, this.scopesUsed));
    this.statuses.narrowTo(candidates, scan.productStatus);
    const clock = new ScanClock(scan.now);
    let factsKnown = 0;
    let timeChecked = -1;
    for (let position = nextRule(candidates, 0); position !== -1; position = nextRule(candidates, position)) {
      if (timeChecked !== position) {
        timeChecked = position;
        if (!this.meetsTimeChecks(position, clock, scan)) {
          dropRule(candidates, position);
          continue;
        }
      }
      const missing = this.factsAsked[position]! & ~factsKnown;
      if (missing !== 0) {
        // The cheapest fact this rule still asks about narrows every candidate; then this rule again.
        const fact = missing & -missing;
        this.narrowByFact(fact, candidates, scan);
        factsKnown |= fact;
        continue;
      }
      const rule = this.rules[position]!;
      const target = targetOf(rule, scan);
      if (target) return { rule, target };
      dropRule(candidates, position);
    }
    return null;
  }

  private meetsTimeChecks(position: number, clock: ScanClock, scan: ScanContext): boolean {
    for (const check of this.timeChecks[position]!) if (!check(clock, scan)) return false;
    return true;
  }

  private narrowByFact(fact: number, candidates: RuleBits, scan: ScanContext): void {
    switch (fact) {
      case DEVICE:
        this.devices.narrowTo(candidates, scan.deviceClass);
        return;
      case LANGUAGE: {
        const preferred = scan.languages[0];
        this.languages.narrow(candidates, preferred === undefined ? [] : rangesMatching(preferred));
        return;
      }
      case COUNTRY:
        this.countries.narrowTo(candidates, scan.country?.toUpperCase());
        return;
      case REGION: {
        const { region, regionCode } = scan;
        this.regions.narrow(candidates, [region, regionCode].filter((r): r is string => !!r).map(fold));
        return;
      }
      case CITY: {
        const city = scan.city;
        this.cities.narrowTo(candidates, city ? fold(city) : undefined);
        return;
      }
    }
  }
}

/** Rules ready for evaluation (see CompiledRules): done once per load, so a scan only narrows and checks. */
export function compileRules<R extends EvaluableRule>(rules: readonly R[]): CompiledRules<R> {
  return new CompiledRules(rules);
}
