// POST /v1/resolver/preview — "Where would this scan go?": what a scan of a Digital Link with
// the given facts would get (status, Location, the rule or link that answered) and why each brand
// rule did or did not answer. Any key may ask (it reads); nothing is recorded or audited.
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { publicOrigin } from '../http/request-url';
import { jsonBody } from '../http/validate';
import { unsavedRule } from './preview-draft';
import { acceptLanguageOf, previewInputSchema, withLinkType } from './preview-input';
import { previewScan, scanPreviewView } from './preview-scan';

export const previewRoutes = new Hono<AppEnv>().post(
  '/preview',
  documented({
    summary: 'Where would this scan go? The answer to a scan with these facts, not recorded',
    description:
      'Runs the resolver on the Digital Link with the scan facts given (absent ones as a request ' +
      'without them; `at` defaults to now) and reports the status and Location a real scan gets, ' +
      'the rule or GS1 link that answered, and a trace of every brand rule that covers the scan. ' +
      'A key of another organisation answers as an unknown one (status 404 in the body). ' +
      'With `draft_rule` (a create body, plus `id` to stand in for a saved rule) that rule is ' +
      'evaluated as if saved, checked as a create is (400 with field details), and not stored; a new ' +
      'rule shows in the trace as `draft`.',
    responses: { 200: scanPreviewView },
    errors: ['invalid_digital_link', 'not_found', 'conflict', 'forbidden'],
  }),
  jsonBody(previewInputSchema),
  async (c) => {
    const input = c.req.valid('json');
    // A question, not a write: no audit entry.
    c.set('noAuditEntry', true);
    const orgId = c.get('auth').orgId;
    const draft = input.draft_rule ? await unsavedRule(c.env.DB, orgId, input.draft_rule) : undefined;
    const preview = await previewScan({
      db: c.env.DB,
      orgId,
      origin: publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url),
      link: {
        pathname: input.digital_link.pathname,
        search: withLinkType(input.digital_link.search, input.link_type),
      },
      facts: {
        now: input.at === undefined ? Date.now() : Date.parse(input.at),
        country: input.country,
        region: input.region,
        city: input.city,
        deviceClass: input.device_class,
        acceptLanguage: acceptLanguageOf(input.languages),
      },
      cacheTtlSeconds: Number(c.env.RESOLVER_CACHE_TTL_SECONDS),
      draft,
    });
    return c.json(preview);
  },
);
