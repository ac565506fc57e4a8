// "Where would this scan go?": the resolver's answer to an imagined scan, with the trace of the
// brand rules it tried. The same path as a scan (readRequestLink, the walk-up, resolveBrandRules,
// negotiation, ANSWER_STATUS), with the scan's facts passed in instead of read from a request, and
// nothing recorded: no scan event, no roll-up, no ScanCounter, no alert.
import * as z from 'zod';
import { ApiError } from '../http/api-error';
import type { RuleEvaluation, ScanClient } from '../rules/brand-resolution';
import { type RuleStep, TRACE_OUTCOMES, traceRules } from '../rules/explain-rules';
import { configureRuleCache, loadTraceRules } from '../rules/scan-rules';
import type { DeviceClass } from '../scans/device-class';
import { userAgentFacts } from '../scans/user-agent-facts';
import { configureEntityCache } from './entity-store';
import { linksetView, linkView } from './link-view';
import type { UnsavedRule } from './preview-draft';
import type { LinkPathAndQuery } from './preview-input';
import { readRequestLink } from './request-link';
import { ANSWER_STATUS, type ResolveOutcome, resolveDigitalLink } from './resolve';
import type { ResolverLink } from './resolver-types';

/** The facts of the imagined scan; absent ones are absent as they would be from a real request. */
export interface PreviewFacts {
  /** Epoch ms; a real scan's is the time it is answered. */
  now: number;
  country?: string;
  region?: string;
  city?: string;
  /** Undefined: as a request without a User-Agent. */
  deviceClass?: DeviceClass;
  acceptLanguage?: string;
}

export interface PreviewRequest {
  db: D1Database;
  /** The asking organisation: only its own keys are previewed. */
  orgId: string;
  /** Scheme and host of this resolver (hosted pages, linksets). */
  origin: string;
  link: LinkPathAndQuery;
  facts: PreviewFacts;
  cacheTtlSeconds: number;
  /** A draft rule evaluated as if saved (preview-draft.ts). */
  draft?: UnsavedRule;
}

// The links API's view of a link, with the level that answered; forward_query is the rule's business.
const previewLinkView = linkView.omit({ forward_query: true }).extend({
  anchor: z.string().meta({ description: 'The level that answered, e.g. /01/09506000134352 for a walk-up' }),
});

export const scanPreviewView = z
  .object({
    status: z.union([z.literal(307), z.literal(200), z.literal(300), z.literal(404)]).meta({
      description: 'The status a real scan gets: 307 redirect, 200 linkset, 300 choices, 404 unknown',
    }),
    location: z.string().nullable().meta({ description: "The redirect's Location (307 only)" }),
    destination: z.enum(['gs1_link', 'rule_url', 'hosted_page']).nullable(),
    message: z.string().nullable().meta({ description: "The resolver's words for a 404" }),
    digital_link: z.string().meta({ description: 'The link resolved: uncompressed path and query' }),
    scan: z.object({
      at: z.string(),
      country: z.string().nullable(),
      region: z.string().nullable(),
      city: z.string().nullable(),
      accept_language: z.string().nullable(),
      device_class: z.string(),
    }),
    rule: z.object({ id: z.string(), name: z.string() }).nullable(),
    link: previewLinkView.nullable(),
    linkset: linksetView.shape.linkset.nullable().meta({
      description: 'The linkset a scan gets (200 only), as the resolver serves it',
    }),
    trace: z.array(
      z.object({
        rule_id: z.string(),
        name: z.string(),
        outcome: z.enum(TRACE_OUTCOMES),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'ScanPreview' });

export type ScanPreview = z.output<typeof scanPreviewView>;

const UNKNOWN_MESSAGE = 'No links are registered for this identifier';

/** Whose data answered: the organisation of the redirect, or of the most specific level found. */
function answeredBy(outcome: ResolveOutcome): string | null {
  if (outcome.kind === 'redirect' || outcome.kind === 'blocked') return outcome.orgId;
  const level = outcome.kind === 'multiple' ? outcome.level : outcome.levels[0];
  return level?.entity.orgId ?? null;
}

function presentLink(link: ResolverLink, anchor: string) {
  return {
    id: link.id,
    anchor,
    link_type: link.linkType,
    href: link.href,
    title: link.title,
    hreflang: link.hreflang,
    context: link.context,
    media_type: link.mediaType,
    default: link.isDefault,
  };
}

/**
 * The steps of the evaluation the resolver made, with the organisation's disabled rules (which it
 * never loads) in their places, and every rule's name. A draft stands in for its stored version.
 */
async function traceOf(
  db: D1Database,
  orgId: string,
  evaluation: RuleEvaluation,
  draft: UnsavedRule | undefined,
): Promise<{ steps: RuleStep[]; names: ReadonlyMap<string, string> }> {
  const stored = await loadTraceRules(db, orgId, evaluation.scan.gtin);
  // The evaluated rules may be a few seconds older than the store's (the isolate cache): they decided.
  const evaluated = new Set(evaluation.rules.rules.map((r) => r.id));
  const disabled = stored.disabled.filter((r) => !evaluated.has(r.id) && r.id !== draft?.id);
  if (draft && !draft.enabled) disabled.push(draft);
  const steps = traceRules([...evaluation.rules.rules, ...disabled], evaluation.scan, evaluation.match);
  const names = new Map(stored.names);
  if (draft) names.set(draft.id, draft.name);
  return { steps, names };
}

export async function previewScan(req: PreviewRequest): Promise<ScanPreview> {
  const request = readRequestLink(req.link.pathname, req.link.search);
  if (!request.ok) {
    const { code, ai, position } = request.error;
    throw new ApiError('invalid_digital_link', request.error.message, { code, ai, position });
  }
  const link = request.link;
  const { facts } = req;
  const client: ScanClient = {
    now: facts.now,
    country: facts.country,
    region: facts.region,
    city: facts.city,
    deviceClass: facts.deviceClass ?? userAgentFacts(null).deviceClass,
    acceptLanguage: facts.acceptLanguage,
  };
  configureEntityCache(req.cacheTtlSeconds);
  configureRuleCache(req.cacheTtlSeconds);
  let evaluation: RuleEvaluation | undefined;
  const outcome = await resolveDigitalLink(req.db, {
    link,
    origin: req.origin,
    rawQuery: request.search.slice(1),
    wantsLinkset: false,
    accept: undefined,
    acceptLanguage: facts.acceptLanguage,
    context: link.context,
    client,
    observeRules: (seen) => {
      evaluation = seen;
    },
    unsavedRule: req.draft,
  });
  const base = {
    digital_link: request.uncompressed ?? `${req.link.pathname}${request.search}`,
    scan: {
      at: new Date(facts.now).toISOString(),
      country: facts.country ?? null,
      region: facts.region ?? null,
      city: facts.city ?? null,
      accept_language: facts.acceptLanguage ?? null,
      device_class: client.deviceClass,
    },
  };
  // Another organisation's key answers as one nobody registered: none of its links or rules show.
  const owner = answeredBy(outcome) ?? evaluation?.orgId ?? null;
  if (owner !== req.orgId || (evaluation && evaluation.orgId !== req.orgId)) {
    return {
      status: ANSWER_STATUS.not_found,
      location: null,
      destination: null,
      message: UNKNOWN_MESSAGE,
      ...base,
      rule: null,
      link: null,
      linkset: null,
      trace: [],
    };
  }
  const trace = evaluation
    ? await traceOf(req.db, req.orgId, evaluation, req.draft)
    : { steps: [], names: new Map() };
  const redirect = outcome.kind === 'redirect' ? outcome : null;
  return {
    status: ANSWER_STATUS[outcome.kind],
    location: outcome.kind === 'blocked' ? outcome.location : (redirect?.location ?? null),
    destination: redirect?.destination ?? null,
    message:
      outcome.kind === 'not_found'
        ? outcome.message
        : outcome.kind === 'blocked'
          ? `This code is blocked (${outcome.blockId}): scans go to the warning page, whatever the rules say`
          : null,
    ...base,
    rule: redirect?.ruleId ? { id: redirect.ruleId, name: trace.names.get(redirect.ruleId) ?? '' } : null,
    link: redirect?.link && redirect.level ? presentLink(redirect.link, redirect.level.anchorPath) : null,
    linkset: outcome.kind === 'linkset' ? outcome.body.linkset : null,
    trace: trace.steps.map((step) => ({
      rule_id: step.ruleId,
      name: trace.names.get(step.ruleId) ?? '',
      outcome: step.outcome,
      reason: step.reason,
    })),
  };
}
