// Why each brand rule did or did not answer a scan, in words a brand manager reads: the trace of
// the scan preview (POST /v1/resolver/preview). Never on a scan's path. The decision is not made
// here: the rule that answers is the one CompiledRules.evaluate chose, and each condition is asked
// of the same evaluator, one condition at a time (a probe rule that has only it), so the words can
// only name a condition the evaluator itself finds false.
import {
  byEvaluationOrder,
  compileRules,
  type EvaluableRule,
  localTime,
  PLAIN_SCAN_LINK_TYPE,
  type RuleMatch,
  type ScanContext,
} from './evaluate-rules';
import { DAYS_OF_WEEK, type DayOfWeek, type RuleConditions } from './rule-conditions';

/**
 * matched: this rule answers; skipped: a condition is false; disabled: switched off; dead_url: its
 * URL is marked dead and its policy gives no fallback; no_hosted_page: it sends scans to the hosted
 * page, which this product does not have; not_reached: an earlier rule answered. A future check
 * (a blocked code) is one more outcome here.
 */
export const TRACE_OUTCOMES = [
  'matched',
  'skipped',
  'disabled',
  'dead_url',
  'no_hosted_page',
  'not_reached',
] as const;
export type TraceOutcome = (typeof TRACE_OUTCOMES)[number];

export interface RuleStep {
  ruleId: string;
  outcome: TraceOutcome;
  reason: string;
}

const ALIVE: EvaluableRule['destination'] = {
  type: 'url',
  url: 'https://probe.invalid/',
  forwardQuery: false,
  dead: false,
};

/**
 * Whether `conditions` alone hold for the scan, asked of the real evaluator: a copy of the rule
 * (same scope) with only those conditions and a live URL. Without `linkTypes` the probe admits the
 * scan's own link type, so that only the condition asked about can fail.
 */
function holds(rule: EvaluableRule, scan: ScanContext, conditions: RuleConditions): boolean {
  const probe: EvaluableRule = {
    ...rule,
    enabled: true,
    conditions: { linkTypes: [scan.linkType], ...conditions },
    destination: ALIVE,
    deadUrlPolicy: 'skip_rule',
  };
  return compileRules([probe]).evaluate(scan) !== null;
}

const list = (values: readonly string[]) => values.join(', ');
const DAY_NAMES: Record<DayOfWeek, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const shortDay = (d: DayOfWeek) => DAY_NAMES[d].slice(0, 3);

/** `Mon–Fri`, `Sat, Sun`, `Mon, Wed–Fri`: runs of three days or more as a range. */
function dayList(days: readonly DayOfWeek[]): string {
  const sorted = DAYS_OF_WEEK.filter((d) => days.includes(d));
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (
      j + 1 < sorted.length &&
      DAYS_OF_WEEK.indexOf(sorted[j + 1]!) === DAYS_OF_WEEK.indexOf(sorted[j]!) + 1
    )
      j++;
    if (j - i >= 2) parts.push(`${shortDay(sorted[i]!)}–${shortDay(sorted[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(shortDay(sorted[k]!));
    i = j + 1;
  }
  return parts.join(', ');
}

/** `2026-01-01` at midnight UTC, else `2026-03-04T10:00Z` (seconds only when there are some). */
function instant(ms: number, dateAlone = true): string {
  const iso = new Date(ms).toISOString();
  if (dateAlone && iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const inZone = (c: RuleConditions) => (c.timezone ? ` (${c.timezone})` : '');
const or = (value: string | undefined | null, unknown: string) => (value ? value : unknown);

/** One kind of condition: the stored fields that make it up, and the words for its failure. */
interface ConditionCheck {
  has(c: RuleConditions): boolean;
  /** The conditions to probe (the local-time ones with their zone). */
  part(c: RuleConditions): RuleConditions;
  words(c: RuleConditions, scan: ScanContext): string;
}

const local = (c: RuleConditions, scan: ScanContext) => localTime(scan.now, c.timezone ?? 'UTC');

// In the order the evaluator narrows (link type, scope, status, then time, then the costly facts).
const CHECKS: readonly ConditionCheck[] = [
  {
    has: () => true, // no link types: plain scans only
    part: (c) => (c.linkTypes ? { linkTypes: c.linkTypes } : { linkTypes: [PLAIN_SCAN_LINK_TYPE] }),
    words: (c, scan) =>
      `link types: ${c.linkTypes ? list(c.linkTypes) : 'plain scans only'}, scan asks for ${
        scan.linkType === PLAIN_SCAN_LINK_TYPE ? 'no link type (a plain scan)' : scan.linkType
      }`,
  },
  {
    has: (c) => c.productStatuses !== undefined,
    part: (c) => ({ productStatuses: c.productStatuses! }),
    words: (c, scan) =>
      `product statuses: ${list(c.productStatuses!)}, ${
        scan.productStatus === null ? 'product not in the catalog' : `product is ${scan.productStatus}`
      }`,
  },
  {
    has: (c) => c.startsAt !== undefined || c.endsAt !== undefined,
    part: (c) => ({
      ...(c.startsAt !== undefined && { startsAt: c.startsAt }),
      ...(c.endsAt !== undefined && { endsAt: c.endsAt }),
    }),
    words: (c, scan) =>
      `time window: ${c.startsAt === undefined ? '…' : instant(c.startsAt)}..${
        c.endsAt === undefined ? '…' : instant(c.endsAt)
      }, scan at ${instant(scan.now, false)}`,
  },
  {
    has: (c) => c.expired !== undefined,
    part: (c) => ({ expired: c.expired! }),
    words: (c) =>
      c.expired
        ? 'expired: only products past their date, and this scan carries no past date'
        : 'expired: only products within their date, and this scan carries a past date',
  },
  {
    has: (c) => c.annualWindow !== undefined,
    part: (c) => ({ annualWindow: c.annualWindow!, ...(c.timezone && { timezone: c.timezone }) }),
    words: (c, scan) =>
      `annual window: ${c.annualWindow!.start}..${c.annualWindow!.end}${inZone(c)}, scan on ${local(c, scan).monthDay}`,
  },
  {
    has: (c) => c.daysOfWeek !== undefined,
    part: (c) => ({ daysOfWeek: c.daysOfWeek!, ...(c.timezone && { timezone: c.timezone }) }),
    words: (c, scan) =>
      `days: ${dayList(c.daysOfWeek!)}${inZone(c)}, scan on ${DAY_NAMES[local(c, scan).day]}`,
  },
  {
    has: (c) => c.timeOfDay !== undefined,
    part: (c) => ({ timeOfDay: c.timeOfDay!, ...(c.timezone && { timezone: c.timezone }) }),
    words: (c, scan) =>
      `time of day: ${c.timeOfDay!.start}–${c.timeOfDay!.end}${inZone(c)}, scan at ${hhmm(local(c, scan).minutes)}`,
  },
  {
    has: (c) => c.deviceClasses !== undefined,
    part: (c) => ({ deviceClasses: c.deviceClasses! }),
    words: (c, scan) => `device classes: ${list(c.deviceClasses!)}, scan from ${scan.deviceClass}`,
  },
  {
    has: (c) => c.languages !== undefined,
    part: (c) => ({ languages: c.languages! }),
    words: (c, scan) =>
      `languages: ${list(c.languages!)}, ${
        scan.languages[0] ? `scan prefers ${scan.languages[0]}` : 'scan states no language'
      }`,
  },
  {
    has: (c) => c.countries !== undefined,
    part: (c) => ({ countries: c.countries! }),
    words: (c, scan) =>
      `countries: ${list(c.countries!)}, scan from ${or(scan.country, 'an unknown country')}`,
  },
  {
    has: (c) => c.regions !== undefined,
    part: (c) => ({ regions: c.regions! }),
    words: (c, scan) => {
      const place = [scan.region, scan.regionCode].filter((p) => !!p);
      const where = place.length === 2 ? `${place[0]} (${place[1]})` : place[0];
      return `regions: ${list(c.regions!)}, scan from ${or(where, 'an unknown region')}`;
    },
  },
  {
    has: (c) => c.cities !== undefined,
    part: (c) => ({ cities: c.cities! }),
    words: (c, scan) => `cities: ${list(c.cities!)}, scan from ${or(scan.city, 'an unknown city')}`,
  },
];

/** Whether the rule is about this scan at all: its serial, lot, product, brand, or the organisation. */
export function coversScan(rule: EvaluableRule, scan: ScanContext): boolean {
  return holds(rule, scan, {});
}

/** The outcome of an enabled rule that covers the scan, as if no earlier rule had answered. */
export function explainRule(rule: EvaluableRule, scan: ScanContext): Omit<RuleStep, 'ruleId'> {
  const c = rule.conditions;
  for (const check of CHECKS) {
    if (check.has(c) && !holds(rule, scan, check.part(c)))
      return { outcome: 'skipped', reason: check.words(c, scan) };
  }
  // Every condition holds: whether it has somewhere to send the scan is the evaluator's call too.
  const found = compileRules([{ ...rule, enabled: true }]).evaluate(scan);
  if (found) return matchedStep(found);
  const d = rule.destination;
  if (d.type === 'hosted_page')
    return {
      outcome: 'no_hosted_page',
      reason: 'destination: hosted page, but the product is not in the catalog',
    };
  return {
    outcome: 'dead_url',
    reason:
      rule.deadUrlPolicy === 'hosted_page'
        ? 'destination dead (dead-URL policy: hosted page, but the product is not in the catalog)'
        : 'destination dead (dead-URL policy: skip)',
  };
}

function matchedStep(match: RuleMatch): Omit<RuleStep, 'ruleId'> {
  const t = match.target;
  const reason =
    t.type === 'url'
      ? 'matched'
      : t.reason === 'dead_url'
        ? 'matched (destination dead; dead-URL policy: hosted page)'
        : 'matched (hosted page)';
  return { outcome: 'matched', reason };
}

/**
 * The trace of one evaluation: every rule that covers the scan (enabled or not), in evaluation
 * order, up to the one that answered (`match`, the evaluator's decision) and the rest as not reached.
 * Rules about other serials, lots or brands are left out: they were never candidates.
 */
export function traceRules(
  rules: readonly EvaluableRule[],
  scan: ScanContext,
  match: RuleMatch | null,
): RuleStep[] {
  const steps: RuleStep[] = [];
  let answered = false;
  for (const rule of [...rules].sort(byEvaluationOrder)) {
    if (!coversScan(rule, scan)) continue;
    if (!rule.enabled) steps.push({ ruleId: rule.id, outcome: 'disabled', reason: 'disabled' });
    else if (answered)
      steps.push({ ruleId: rule.id, outcome: 'not_reached', reason: 'not tried: an earlier rule answered' });
    else if (match && rule.id === match.rule.id) {
      steps.push({ ruleId: rule.id, ...matchedStep(match) });
      answered = true;
    } else steps.push({ ruleId: rule.id, ...explainRule(rule, scan) });
  }
  return steps;
}
