// Brand rule evaluation (PRODUCT.md C2): pure, no I/O, the clock passed in. The most specific
// scope first (SERIAL > BATCH > PRODUCT > BRAND > ORGANIZATION), then `order_index`; the first
// enabled rule whose conditions all hold wins.
import type { DeadUrlPolicy, ProductStatus, RuleScope } from '../db/schema';
import type { DeviceClass } from '../scans/device-class';
import type { DayOfWeek, RuleConditions } from './rule-conditions';

export const SCOPE_RANK: Readonly<Record<RuleScope, number>> = { SERIAL: 1, BATCH: 2, PRODUCT: 3, BRAND: 4, ORGANIZATION: 5 };

/** The link type of a plain scan (no `?linkType=`): GS1's name for "the default link". */
export const PLAIN_SCAN_LINK_TYPE = 'gs1:defaultLink';

export type RuleDestination =
  | { type: 'url'; url: string; forwardQuery: boolean; /** Marked dead by the URL-health check. */ dead: boolean }
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
  /** Whether a hosted product page exists for this scan (the product is in the catalog). */
  hostedPageAvailable: boolean;
}

export type RuleTarget =
  | { type: 'url'; url: string; forwardQuery: boolean }
  | { type: 'hosted_page'; /** Why the page: the rule says so, or its URL is dead and its policy says fall back. */ reason: 'rule' | 'dead_url' };

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
  NEEDS_UNICODE_FOLD.test(s) ? s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase() : s.toLowerCase();

/** RFC 4647 basic filtering: the range `fr` matches `fr` and `fr-CA`; `fr-ca` matches only `fr-CA`. */
function languageMatches(range: string, tag: string): boolean {
  const t = tag.toLowerCase();
  return t === range || t.startsWith(`${range}-`);
}

function appliesToScan(rule: EvaluableRule, scan: ScanContext): boolean {
  switch (rule.scope) {
    case 'SERIAL':
      return rule.gtin === scan.gtin && scan.serial !== undefined && rule.serial === scan.serial;
    case 'BATCH':
      return rule.gtin === scan.gtin && scan.lot !== undefined && rule.lot === scan.lot;
    case 'PRODUCT':
      return rule.gtin === scan.gtin;
    case 'BRAND':
      return scan.brandId !== null && rule.brandId === scan.brandId;
    case 'ORGANIZATION':
      return true;
  }
}

/**
 * What the conditions need from a scan beyond its plain fields, each worked out at most once per
 * evaluation and only when a rule asks: the country (reading it parses `request.cf`), folded place
 * names, the wall clock in a zone.
 */
class ScanFacts {
  private upperCountry: string | null | undefined;
  private places: { regions: string[]; city: string | null } | undefined;
  private zones: Map<string, LocalTime> | undefined;

  constructor(readonly scan: ScanContext) {}

  country(): string | null {
    if (this.upperCountry === undefined) this.upperCountry = this.scan.country?.toUpperCase() ?? null;
    return this.upperCountry;
  }
  regions(): readonly string[] {
    return this.placeNames().regions;
  }
  city(): string | null {
    return this.placeNames().city;
  }
  local(zone: string): LocalTime {
    this.zones ??= new Map();
    let local = this.zones.get(zone);
    if (!local) this.zones.set(zone, (local = localTime(this.scan.now, zone)));
    return local;
  }
  private placeNames(): { regions: string[]; city: string | null } {
    if (!this.places) {
      const { region, regionCode, city } = this.scan;
      this.places = { regions: [region, regionCode].filter((r): r is string => !!r).map(fold), city: city ? fold(city) : null };
    }
    return this.places;
  }
}

/** One condition of a rule, ready to test against a scan. */
type Check = (facts: ScanFacts) => boolean;

/**
 * A rule's conditions other than its link types (compileRules sets those apart, as every rule is
 * asked about them first) as a list of checks, made once per rule load (not per scan): only the
 * conditions the rule has, their values pre-parsed (place names folded, times in minutes), the
 * cheapest first so that most rules that do not apply are ruled out before local time, languages,
 * the device class or the scan's place (`request.cf`) are worked out.
 */
function compileConditions(c: RuleConditions): Check[] {
  const checks: Check[] = [];
  const { startsAt, endsAt, productStatuses } = c;
  if (startsAt !== undefined) checks.push((f) => f.scan.now >= startsAt);
  if (endsAt !== undefined) checks.push((f) => f.scan.now < endsAt);
  if (productStatuses) checks.push((f) => f.scan.productStatus !== null && productStatuses.includes(f.scan.productStatus));
  const zone = c.timezone ?? 'UTC';
  if (c.annualWindow) {
    const { start, end } = c.annualWindow;
    checks.push((f) => inWindow(f.local(zone).monthDay, start, end, true));
  }
  if (c.daysOfWeek) {
    const days = c.daysOfWeek;
    checks.push((f) => days.includes(f.local(zone).day));
  }
  if (c.timeOfDay) {
    const [start, end] = [toMinutes(c.timeOfDay.start), toMinutes(c.timeOfDay.end)];
    checks.push((f) => inWindow(f.local(zone).minutes, start, end, false));
  }
  if (c.deviceClasses) {
    const classes = c.deviceClasses;
    checks.push((f) => classes.includes(f.scan.deviceClass));
  }
  if (c.languages) {
    const ranges = c.languages;
    checks.push((f) => {
      const preferred = f.scan.languages[0];
      return preferred !== undefined && ranges.some((range) => languageMatches(range, preferred));
    });
  }
  if (c.countries) {
    const countries = new Set(c.countries);
    checks.push((f) => {
      const country = f.country();
      return country !== null && countries.has(country);
    });
  }
  if (c.regions) {
    const regions = new Set(c.regions.map(fold));
    checks.push((f) => f.regions().some((r) => regions.has(r)));
  }
  if (c.cities) {
    const cities = new Set(c.cities.map(fold));
    checks.push((f) => {
      const city = f.city();
      return city !== null && cities.has(city);
    });
  }
  return checks;
}

/** Where a matching rule sends the scan, or null when it must be skipped (dead URL, or no page to fall back on). */
function targetOf(rule: EvaluableRule, scan: ScanContext): RuleTarget | null {
  const d = rule.destination;
  if (d.type === 'hosted_page') return scan.hostedPageAvailable ? { type: 'hosted_page', reason: 'rule' } : null;
  if (!d.dead) return { type: 'url', url: d.url, forwardQuery: d.forwardQuery };
  if (rule.deadUrlPolicy === 'hosted_page' && scan.hostedPageAvailable) return { type: 'hosted_page', reason: 'dead_url' };
  return null;
}

/** Evaluation order: scope (most specific first), then order_index. */
const byEvaluationOrder = (a: EvaluableRule, b: EvaluableRule) => SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope] || a.orderIndex - b.orderIndex;

/** An enabled rule with its conditions compiled (see compileRules). */
export interface CompiledRule<R extends EvaluableRule = EvaluableRule> {
  readonly rule: R;
  /** The link types the rule answers (its `link_types`), or null for plain scans only: tested first, inline. */
  readonly linkTypes: ReadonlySet<string> | null;
  /** Its other conditions. */
  readonly checks: readonly Check[];
}

/**
 * Rules ready for evaluation: enabled ones only, in evaluation order, conditions compiled. Done
 * once when a GTIN's rules are loaded (src/rules/scan-rules.ts), so a scan only runs the checks.
 */
export function compileRules<R extends EvaluableRule>(rules: readonly R[]): CompiledRule<R>[] {
  return rules
    .filter((rule) => rule.enabled)
    .sort(byEvaluationOrder)
    .map((rule) => ({
      rule,
      linkTypes: rule.conditions.linkTypes ? new Set(rule.conditions.linkTypes) : null,
      checks: compileConditions(rule.conditions),
    }));
}

/**
 * The first compiled rule that applies to the scan, with where it sends it; null when none does
 * (the resolver then answers as GS1 says). Rules for other serials, lots or brands simply do not
 * apply.
 */
export function evaluateCompiledRules<R extends EvaluableRule>(rules: readonly CompiledRule<R>[], scan: ScanContext): RuleMatch<R> | null {
  const facts = new ScanFacts(scan);
  next: for (const { rule, linkTypes, checks } of rules) {
    if (linkTypes ? !linkTypes.has(scan.linkType) : scan.linkType !== PLAIN_SCAN_LINK_TYPE) continue;
    if (!appliesToScan(rule, scan)) continue;
    for (const check of checks) if (!check(facts)) continue next;
    const target = targetOf(rule, scan);
    if (target) return { rule, target };
  }
  return null;
}
