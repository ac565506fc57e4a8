// From a validated draft to the stored row, and from the row to the API's JSON (and back to the
// input form a PATCH is merged into).
import * as z from 'zod';
import { DEAD_URL_POLICIES, type ResolutionRule, RULE_SCOPES, type UrlHealth } from '../db/schema';
import { fillHrefTemplate } from '../digital-link/href-template';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';
import { SCOPE_RANK } from './evaluate-rules';
import type { RuleConditions } from './rule-conditions';
import { conditionsSchema, type RuleDraft, type RuleTarget, scopeKey } from './rule-input';

/** A rule as the API shows it (`present`): its input form, with ids, times and the URL's health. */
export const ruleView = z
  .object({
    id: z.string(),
    client_key: z.string().nullable(),
    name: z.string(),
    scope: z.enum(RULE_SCOPES),
    gtin: z.string().optional(),
    lot: z.string().optional(),
    serial: z.string().optional(),
    brand_id: z.string().optional(),
    order_index: z.number().int(),
    enabled: z.boolean(),
    conditions: conditionsSchema,
    destination: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('url'),
        url: z.string(),
        forward_query: z.boolean(),
        health: z.object({
          checked_url: z.string().nullable(),
          dead: z.boolean(),
          consecutive_failures: z.number().int(),
          last_status: z.number().int().nullable(),
          last_checked_at: timestampOrNull,
        }),
      }),
      z.object({ type: z.literal('hosted_page') }),
    ]),
    dead_url_policy: z.enum(DEAD_URL_POLICIES),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Rule' });

/**
 * The URL the health check requests for a destination: placeholders the scope fixes (a PRODUCT
 * rule's `{gtin}`, a BATCH rule's `{lot}` …) filled in, the others left empty. A template that
 * varies per scan is checked at its scan-independent part, which is what usually goes down.
 */
export function healthUrlOf(destinationUrl: string | null, target: RuleTarget): string | null {
  if (destinationUrl === null) return null;
  const elements = [
    ...(target.gtin ? [{ ai: '01', value: target.gtin }] : []),
    ...(target.lot ? [{ ai: '10', value: target.lot }] : []),
    ...(target.serial ? [{ ai: '21', value: target.serial }] : []),
  ];
  return fillHrefTemplate(destinationUrl, { elements });
}

export function ruleRow(
  orgId: string,
  draft: RuleDraft,
  ids: { id: string; orderIndex: number; createdAt: number },
  now: number,
): ResolutionRule {
  return {
    id: ids.id,
    orgId,
    clientKey: draft.clientKey,
    name: draft.name,
    scope: draft.scope,
    scopeRank: SCOPE_RANK[draft.scope],
    gtin: draft.gtin,
    lot: draft.lot,
    serial: draft.serial,
    brandId: draft.brandId,
    scopeKey: scopeKey(draft),
    orderIndex: ids.orderIndex,
    enabled: draft.enabled,
    conditions: draft.conditions,
    destinationType: draft.destinationType,
    destinationUrl: draft.destinationUrl,
    forwardQuery: draft.forwardQuery,
    healthUrl: healthUrlOf(draft.destinationUrl, draft),
    deadUrlPolicy: draft.deadUrlPolicy,
    createdAt: ids.createdAt,
    updatedAt: now,
  };
}

/** Whether writing `draft` over `row` would change anything (a seed run twice writes nothing). */
export function sameRule(row: ResolutionRule, draft: RuleDraft, orderIndex: number): boolean {
  const next = ruleRow(row.orgId, draft, { id: row.id, orderIndex, createdAt: row.createdAt }, row.updatedAt);
  return JSON.stringify(next) === JSON.stringify(row);
}

function presentConditions(c: RuleConditions) {
  const out: Record<string, unknown> = {};
  if (c.startsAt !== undefined) out.starts_at = isoOrNull(c.startsAt);
  if (c.endsAt !== undefined) out.ends_at = isoOrNull(c.endsAt);
  if (c.annualWindow) out.annual_window = c.annualWindow;
  if (c.daysOfWeek) out.days_of_week = c.daysOfWeek;
  if (c.timeOfDay) out.time_of_day = c.timeOfDay;
  if (c.timezone) out.timezone = c.timezone;
  if (c.countries) out.countries = c.countries;
  if (c.regions) out.regions = c.regions;
  if (c.cities) out.cities = c.cities;
  if (c.languages) out.languages = c.languages;
  if (c.linkTypes) out.link_types = c.linkTypes;
  if (c.productStatuses) out.product_statuses = c.productStatuses;
  if (c.deviceClasses) out.device_classes = c.deviceClasses;
  if (c.expired !== undefined) out.expired = c.expired;
  return out;
}

/** The rule as a client would write it: what a PATCH is merged into before validation. */
export function ruleAsInput(row: ResolutionRule): Record<string, unknown> {
  return {
    ...(row.clientKey !== null ? { client_key: row.clientKey } : {}),
    name: row.name,
    scope: row.scope,
    ...(row.gtin !== null ? { gtin: row.gtin } : {}),
    ...(row.lot !== null ? { lot: row.lot } : {}),
    ...(row.serial !== null ? { serial: row.serial } : {}),
    ...(row.brandId !== null ? { brand_id: row.brandId } : {}),
    order_index: row.orderIndex,
    enabled: row.enabled,
    conditions: presentConditions(row.conditions),
    destination:
      row.destinationType === 'url'
        ? { type: 'url', url: row.destinationUrl, forward_query: row.forwardQuery }
        : { type: 'hosted_page' },
    dead_url_policy: row.deadUrlPolicy,
  };
}

export function present(row: ResolutionRule, health?: UrlHealth | null) {
  const input = ruleAsInput(row);
  const destination = input.destination as Record<string, unknown>;
  if (row.destinationType === 'url') {
    destination.health = {
      checked_url: row.healthUrl,
      dead: health?.dead ?? false,
      consecutive_failures: health?.consecutiveFailures ?? 0,
      last_status: health?.lastStatus ?? null,
      last_checked_at: isoOrNull(health?.lastCheckedAt),
    };
  }
  return {
    id: row.id,
    client_key: row.clientKey,
    ...input,
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}

/** Scope-id fields: replaced as a set when a PATCH names a scope, so a rule can move between scopes. */
const TARGET_FIELDS = ['gtin', 'lot', 'serial', 'brand_id'] as const;

/** A PATCH body applied to the stored rule's input form: top-level fields replace, `conditions` merge (null removes). */
export function mergePatch(row: ResolutionRule, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = ruleAsInput(row);
  if ('scope' in patch) for (const f of TARGET_FIELDS) delete merged[f];
  // Without an order_index the store keeps the rule's place, or appends it when it moves to another scope
  // target.
  delete merged.order_index;
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'conditions' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const conditions = { ...(merged.conditions as Record<string, unknown>) };
      for (const [name, v] of Object.entries(value)) {
        if (v === null) delete conditions[name];
        else conditions[name] = v;
      }
      merged.conditions = conditions;
    } else if (
      value === null &&
      (key === 'client_key' || TARGET_FIELDS.includes(key as (typeof TARGET_FIELDS)[number]))
    ) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}
