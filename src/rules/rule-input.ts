// A rule as clients write it (create, bulk upsert; PATCH is merged into this form first), validated
// by zod, and turned into the stored form (`RuleDraft`).
import * as z from 'zod';
import { countryCodeSchema } from '../catalog/country-code';
import { gtinSchema } from '../catalog/gtin';
import { DEAD_URL_POLICIES, type DeadUrlPolicy, PRODUCT_STATUSES, type RuleScope } from '../db/schema';
import { CSET82 } from '../digital-link/character-sets';
import { unknownPlaceholders } from '../digital-link/href-template';
import { normalizeLinkType } from '../digital-link/link-types';
import { DEVICE_CLASSES } from '../scans/device-class';
import { DAYS_OF_WEEK, type RuleConditions } from './rule-conditions';

/** Rules one bulk request may carry: a D1 batch of a few hundred statements at most. */
export const MAX_BULK_RULES = 200;
/** Largest order_index; leaves room to renumber without ever needing a bigger integer. */
export const MAX_ORDER_INDEX = 1_000_000;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const monthDay = z.string().refine((s) => {
  const m = /^(\d{2})-(\d{2})$/.exec(s);
  return (
    !!m &&
    Number(m[1]) >= 1 &&
    Number(m[1]) <= 12 &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= DAYS_IN_MONTH[Number(m[1]) - 1]!
  );
}, 'must be a day of the year as MM-DD, like "12-24"');

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time as HH:MM, like "09:30"');

/** An IANA zone the runtime knows (Intl.DateTimeFormat refuses others), in its canonical spelling. */
const timezone = z
  .string()
  .min(1)
  .max(64)
  .transform((zone, ctx) => {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone, like "Europe/Paris"` });
      return z.NEVER;
    }
  });

const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a zone, like "2026-12-24T00:00:00Z"',
});
const place = z.string().trim().min(1).max(100);
const list = <S extends z.ZodType>(item: S, max: number) => z.array(item).min(1).max(max);

/** AI (10) lot or AI (21) serial: 1–20 characters of GS1 character set 82. */
const qualifierValue = (ai: string) =>
  z
    .string()
    .min(1)
    .max(20)
    .refine(
      (v) => [...v].every((ch) => CSET82.includes(ch)),
      `must be 1–20 characters of GS1 character set 82, as in AI (${ai})`,
    );

/** Exported for the response schema (rule-record.ts): a rule shows its conditions as written. */
export const conditionsSchema = z
  .strictObject({
    starts_at: instant.optional(),
    ends_at: instant.optional(),
    annual_window: z.strictObject({ start: monthDay, end: monthDay }).optional(),
    days_of_week: list(z.enum(DAYS_OF_WEEK), 7).optional(),
    time_of_day: z
      .strictObject({ start: clockTime, end: clockTime })
      .refine((w) => w.start !== w.end, 'start and end must differ (leave time_of_day out for the whole day)')
      .optional(),
    timezone: timezone.optional(),
    countries: list(countryCodeSchema, 250).optional(),
    regions: list(place, 100).optional(),
    cities: list(place, 100).optional(),
    languages: list(
      z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag like "fr" or "fr-CA"'),
      50,
    ).optional(),
    link_types: list(z.string().min(1).max(300), 20).optional(),
    product_statuses: list(z.enum(PRODUCT_STATUSES), 3).optional(),
    device_classes: list(z.enum(DEVICE_CLASSES), 5).optional(),
    expired: z.boolean({ error: 'expired must be true or false' }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.starts_at && c.ends_at && Date.parse(c.starts_at) >= Date.parse(c.ends_at)) {
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
    }
    c.link_types?.forEach((type, i) => {
      const normalized = normalizeLinkType(type);
      if (!normalized.ok)
        ctx.addIssue({ code: 'custom', path: ['link_types', i], message: normalized.message });
    });
  });

const destinationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('url'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
      .max(2048)
      .superRefine((url, ctx) => {
        const unknown = unknownPlaceholders(url, new Set());
        if (unknown.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `Unknown template placeholder(s): ${unknown.map((n) => `{${n}}`).join(', ')}`,
          });
      }),
    /** Pass the scan's query string (minus linkType) on to the URL, as GS1 links do by default. */
    forward_query: z.boolean().default(true),
  }),
  z.strictObject({ type: z.literal('hosted_page') }),
]);

const common = {
  client_key: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1–100 letters, digits or . _ : -')
    .optional(),
  name: z.string().trim().max(200).default(''),
  order_index: z.number().int().min(0).max(MAX_ORDER_INDEX).optional(),
  enabled: z.boolean().default(true),
  conditions: conditionsSchema.default({}),
  destination: destinationSchema,
  dead_url_policy: z.enum(DEAD_URL_POLICIES).default('skip_rule'),
};

/** A rule's fields per scope, with `extra` fields beside them (the preview's draft has an `id`). */
const scopedRule = <E extends z.ZodRawShape>(extra: E) =>
  z.discriminatedUnion('scope', [
    z.strictObject({
      scope: z.literal('SERIAL'),
      gtin: gtinSchema,
      serial: qualifierValue('21'),
      ...common,
      ...extra,
    }),
    z.strictObject({
      scope: z.literal('BATCH'),
      gtin: gtinSchema,
      lot: qualifierValue('10'),
      ...common,
      ...extra,
    }),
    z.strictObject({ scope: z.literal('PRODUCT'), gtin: gtinSchema, ...common, ...extra }),
    z.strictObject({ scope: z.literal('BRAND'), brand_id: z.string().min(1).max(64), ...common, ...extra }),
    z.strictObject({ scope: z.literal('ORGANIZATION'), ...common, ...extra }),
  ]);

export const ruleInputSchema = scopedRule({});

/**
 * An unsaved rule for the scan preview: a create body, plus the `id` of the rule it stands in for
 * when it is the edited version of an existing one.
 */
export const draftRuleSchema = scopedRule({
  id: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'The rule this draft replaces; absent for a new rule' }),
});

export type RuleInput = z.input<typeof ruleInputSchema>;
type ParsedRuleInput = z.output<typeof ruleInputSchema>;

/** PATCH: any top-level field; `conditions` entries set to null are removed. Checked after merging. */
export const rulePatchSchema = z
  .looseObject({ conditions: z.record(z.string(), z.unknown()).optional() })
  .refine((p) => Object.keys(p).length > 0, 'send at least one field to change');

export const bulkRulesSchema = z.strictObject({
  rules: z
    .array(ruleInputSchema)
    .min(1)
    .max(MAX_BULK_RULES)
    .superRefine((rules, ctx) => {
      const seen = new Map<string, number>();
      rules.forEach((r, i) => {
        if (r.client_key === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'client_key'],
            message: 'bulk upserts match rules by client_key: every rule needs one',
          });
        } else if (seen.has(r.client_key)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'client_key'],
            message: `also the client_key of rule ${seen.get(r.client_key)}`,
          });
        } else seen.set(r.client_key, i);
      });
    }),
});

export interface RuleTarget {
  scope: RuleScope;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  brandId: string | null;
}

/** A validated rule in stored form, not yet placed (no id, maybe no order_index). */
export interface RuleDraft extends RuleTarget {
  clientKey: string | null;
  name: string;
  orderIndex: number | undefined;
  enabled: boolean;
  conditions: RuleConditions;
  destinationType: 'url' | 'hosted_page';
  destinationUrl: string | null;
  forwardQuery: boolean;
  deadUrlPolicy: DeadUrlPolicy;
}

const fold = (s: string) => s.toLowerCase();

function toConditions(c: z.output<typeof conditionsSchema>): RuleConditions {
  const out: RuleConditions = {};
  if (c.starts_at) out.startsAt = Date.parse(c.starts_at);
  if (c.ends_at) out.endsAt = Date.parse(c.ends_at);
  if (c.annual_window) out.annualWindow = c.annual_window;
  if (c.days_of_week) out.daysOfWeek = [...new Set(c.days_of_week)];
  if (c.time_of_day) out.timeOfDay = c.time_of_day;
  if (c.timezone) out.timezone = c.timezone;
  if (c.countries) out.countries = [...new Set(c.countries)];
  if (c.regions) out.regions = c.regions;
  if (c.cities) out.cities = c.cities;
  if (c.languages) out.languages = [...new Set(c.languages.map(fold))];
  if (c.link_types)
    out.linkTypes = [
      ...new Set(c.link_types.map((t) => (normalizeLinkType(t) as { linkType: string }).linkType)),
    ];
  if (c.product_statuses) out.productStatuses = [...new Set(c.product_statuses)];
  if (c.device_classes) out.deviceClasses = [...new Set(c.device_classes)];
  if (c.expired !== undefined) out.expired = c.expired;
  return out;
}

export function toDraft(input: ParsedRuleInput): RuleDraft {
  const d = input.destination;
  return {
    scope: input.scope,
    gtin: 'gtin' in input ? input.gtin : null,
    lot: 'lot' in input ? input.lot : null,
    serial: 'serial' in input ? input.serial : null,
    brandId: 'brand_id' in input ? input.brand_id : null,
    clientKey: input.client_key ?? null,
    name: input.name,
    orderIndex: input.order_index,
    enabled: input.enabled,
    conditions: toConditions(input.conditions),
    destinationType: d.type,
    destinationUrl: d.type === 'url' ? d.url : null,
    forwardQuery: d.type === 'url' ? d.forward_query : false,
    deadUrlPolicy: input.dead_url_policy,
  };
}

/** The string that orders rules within one scope: '', the brand id, the GTIN, `<gtin>/10/<lot>`, `<gtin>/21/<serial>`. */
export function scopeKey(t: RuleTarget): string {
  switch (t.scope) {
    case 'SERIAL':
      return `${t.gtin}/21/${encodeURIComponent(t.serial!)}`;
    case 'BATCH':
      return `${t.gtin}/10/${encodeURIComponent(t.lot!)}`;
    case 'PRODUCT':
      return t.gtin!;
    case 'BRAND':
      return t.brandId!;
    case 'ORGANIZATION':
      return '';
  }
}
