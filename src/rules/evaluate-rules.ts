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

export interface RuleMatch {
  rule: EvaluableRule;
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

/** Lower case, accents off: "Montréal" and "MONTREAL" name one city. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

// A rule's place names folded once, not on every scan (cached rules live up to the cache TTL).
const foldedLists = new WeakMap<readonly string[], ReadonlySet<string>>();
function folded(list: readonly string[]): ReadonlySet<string> {
  let set = foldedLists.get(list);
  if (!set) foldedLists.set(list, (set = new Set(list.map(fold))));
  return set;
}

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

/** What a scan costs to work out, once per evaluation, only when a rule asks for it. */
interface Derived {
  local(zone: string): LocalTime;
  places(): { regions: string[]; city: string | null };
}

function derive(scan: ScanContext): Derived {
  const zones = new Map<string, LocalTime>();
  let places: { regions: string[]; city: string | null } | undefined;
  return {
    local: (zone) => zones.get(zone) ?? zones.set(zone, localTime(scan.now, zone)).get(zone)!,
    places: () =>
      (places ??= {
        regions: [scan.region, scan.regionCode].filter((r): r is string => !!r).map(fold),
        city: scan.city ? fold(scan.city) : null,
      }),
  };
}

/**
 * Whether every condition of `c` holds for the scan. Cheapest tests first, so most rules that do
 * not apply are ruled out before local time, languages or the device class are worked out.
 */
function conditionsHold(c: RuleConditions, scan: ScanContext, derived: Derived): boolean {
  if (c.linkTypes ? !c.linkTypes.includes(scan.linkType) : scan.linkType !== PLAIN_SCAN_LINK_TYPE) return false;
  if (c.startsAt !== undefined && scan.now < c.startsAt) return false;
  if (c.endsAt !== undefined && scan.now >= c.endsAt) return false;
  if (c.countries && (!scan.country || !c.countries.includes(scan.country.toUpperCase()))) return false;
  if (c.productStatuses && (scan.productStatus === null || !c.productStatuses.includes(scan.productStatus))) return false;
  if (c.regions) {
    const wanted = folded(c.regions);
    if (!derived.places().regions.some((r) => wanted.has(r))) return false;
  }
  if (c.cities) {
    const city = derived.places().city;
    if (city === null || !folded(c.cities).has(city)) return false;
  }
  if (c.annualWindow || c.daysOfWeek || c.timeOfDay) {
    const local = derived.local(c.timezone ?? 'UTC');
    if (c.annualWindow && !inWindow(local.monthDay, c.annualWindow.start, c.annualWindow.end, true)) return false;
    if (c.daysOfWeek && !c.daysOfWeek.includes(local.day)) return false;
    if (c.timeOfDay && !inWindow(local.minutes, toMinutes(c.timeOfDay.start), toMinutes(c.timeOfDay.end), false)) return false;
  }
  if (c.languages) {
    const preferred = scan.languages[0];
    if (!preferred || !c.languages.some((range) => languageMatches(range, preferred))) return false;
  }
  if (c.deviceClasses && !c.deviceClasses.includes(scan.deviceClass)) return false;
  return true;
}

/** Where a matching rule sends the scan, or null when it must be skipped (dead URL, or no page to fall back on). */
function targetOf(rule: EvaluableRule, scan: ScanContext): RuleTarget | null {
  const d = rule.destination;
  if (d.type === 'hosted_page') return scan.hostedPageAvailable ? { type: 'hosted_page', reason: 'rule' } : null;
  if (!d.dead) return { type: 'url', url: d.url, forwardQuery: d.forwardQuery };
  if (rule.deadUrlPolicy === 'hosted_page' && scan.hostedPageAvailable) return { type: 'hosted_page', reason: 'dead_url' };
  return null;
}

const byEvaluationOrder = (a: Pick<EvaluableRule, 'scope' | 'orderIndex'>, b: Pick<EvaluableRule, 'scope' | 'orderIndex'>) =>
  SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope] || a.orderIndex - b.orderIndex;

/** Rules in evaluation order: scope (most specific first), then order_index. Sorted input is returned as it is. */
export function inEvaluationOrder<R extends Pick<EvaluableRule, 'scope' | 'orderIndex'>>(rules: readonly R[]): readonly R[] {
  for (let i = 1; i < rules.length; i++) {
    if (byEvaluationOrder(rules[i - 1]!, rules[i]!) > 0) return [...rules].sort(byEvaluationOrder);
  }
  return rules;
}

/**
 * The first rule that applies to the scan, with where it sends it; null when none does (the
 * resolver then answers as GS1 says). `rules` may come in any order, of any scope target: rules
 * for other serials, lots or brands simply do not apply.
 */
export function evaluateRules(rules: readonly EvaluableRule[], scan: ScanContext): RuleMatch | null {
  const derived = derive(scan);
  for (const rule of inEvaluationOrder(rules)) {
    if (!rule.enabled || !appliesToScan(rule, scan) || !conditionsHold(rule.conditions, scan, derived)) continue;
    const target = targetOf(rule, scan);
    if (target) return { rule, target };
  }
  return null;
}
