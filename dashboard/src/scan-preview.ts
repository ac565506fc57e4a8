// "Where would this scan go?": the facts of an imagined scan, sent to POST /v1/resolver/preview
// (with the rule being edited as its draft_rule) a moment after anything changes, and the answer
// shown as a person reads it: status, Location, the rule that answered and why each did or did not.
import { ApiFailure, api, type RequestOf, type ResponseOf } from './api';
import { el, replace, uid } from './dom';
import { type Field, field } from './forms';
import { LINK_TYPE_OPTIONS } from './link-types';
import { errorMessage } from './widgets';

type PreviewBody = RequestOf<'/v1/resolver/preview', 'post'>;
type Preview = ResponseOf<'/v1/resolver/preview', 'post'>;
export type DraftRule = NonNullable<PreviewBody['draft_rule']>;

/** Typing pauses this long before the preview asks again: one request per pause, not per key. */
const DEBOUNCE_MS = 350;

export interface ScanPreviewOptions {
  signal: AbortSignal;
  /** The rule being edited (with the id of the saved one it replaces), if any. */
  draft?: () => DraftRule;
  /** The link of the rule's own target, used until the person types one. */
  targetLink?: () => string;
}

export interface ScanPreviewPanel {
  root: HTMLElement;
  /** Ask again soon (the rule changed). */
  refresh(): void;
}

const OUTCOME_WORDS: Record<string, string> = {
  matched: 'answers',
  skipped: 'skipped',
  disabled: 'disabled',
  dead_url: 'URL down',
  no_hosted_page: 'no hosted page',
  not_reached: 'not reached',
};

function answerLine(p: Preview): string {
  switch (p.status) {
    case 307:
      return `307: redirected to ${p.location}`;
    case 200:
      return '200: the linkset of the code';
    case 300:
      return '300: a choice of links';
    default:
      return `404: ${p.message ?? 'nothing registered for this code'}`;
  }
}

function answeredBy(p: Preview, draftId: string | undefined): string {
  if (p.rule) {
    const mark = p.rule.id === draftId ? ' (this rule)' : '';
    return `Answered by rule “${p.rule.name || p.rule.id}”${mark}.`;
  }
  if (p.link) return `Answered by the GS1 link ${p.link.link_type} of ${p.link.anchor}.`;
  if (p.destination === 'hosted_page') return 'Answered by the hosted product page.';
  return 'No rule answered.';
}

function result(p: Preview, draftId: string | undefined): HTMLElement {
  return el(
    'div',
    { class: 'preview-result', 'data-status': p.status },
    el('p', { class: 'preview-answer' }, el('strong', {}, answerLine(p))),
    el('p', {}, answeredBy(p, draftId)),
    p.trace.length === 0
      ? el('p', { class: 'status empty' }, 'No rule covers this scan.')
      : el(
          'ol',
          { class: 'trace', 'aria-label': 'Rules tried, in order' },
          ...p.trace.map((step) =>
            el(
              'li',
              {
                class: step.rule_id === draftId ? 'trace-step draft' : 'trace-step',
                'data-outcome': step.outcome,
              },
              el('span', { class: 'trace-name' }, step.name || step.rule_id),
              el(
                'span',
                { class: `badge outcome-${step.outcome}` },
                OUTCOME_WORDS[step.outcome] ?? step.outcome,
              ),
              el('span', { class: 'trace-reason' }, step.reason),
            ),
          ),
        ),
  );
}

/** A failed preview in words; a draft's own problems named by field (draft_rule.destination.url → destination.url). */
function problem(error: unknown): HTMLElement {
  const fields = error instanceof ApiFailure ? error.fields : [];
  const draftProblems = fields.filter((f) => f.path.startsWith('draft_rule'));
  if (draftProblems.length > 0)
    return el(
      'div',
      { class: 'preview-result', role: 'alert' },
      el('p', {}, 'The preview waits for a valid rule:'),
      el(
        'ul',
        {},
        ...draftProblems.map((f) =>
          el('li', {}, `${f.path.replace(/^draft_rule\.?/, '') || 'rule'}: ${f.message}`),
        ),
      ),
    );
  const words = [errorMessage(error), ...fields.map((f) => `${f.path}: ${f.message}`)].join(' ');
  return el('p', { class: 'status error', role: 'alert' }, words);
}

export function scanPreviewPanel(options: ScanPreviewOptions): ScanPreviewPanel {
  const link = field({
    name: 'digital_link',
    label: 'Scanned link',
    placeholder: '/01/09506000134352',
    hint: 'A Digital Link or its path.',
  });
  let linkTyped = false;
  link.onChange(() => {
    linkTyped = link.value() !== '';
  });
  const fields: Field[] = [
    link,
    field({ name: 'country', label: 'Scan country', placeholder: 'CA', attrs: { class: 'short' } }),
    field({ name: 'region', label: 'Scan region', placeholder: 'Quebec' }),
    field({ name: 'city', label: 'Scan city', placeholder: 'Montréal' }),
    field({
      name: 'languages',
      label: 'Scanner’s languages',
      placeholder: 'fr-CA, en',
      hint: 'Most preferred first.',
    }),
    field({
      name: 'device_class',
      label: 'Scanner’s device',
      kind: 'select',
      options: [
        { value: '', label: 'Unknown' },
        ...['mobile', 'tablet', 'desktop', 'bot', 'other'].map((d) => ({ value: d, label: d })),
      ],
    }),
    field({ name: 'at', label: 'Scan time', kind: 'datetime-local', hint: 'Empty: now.' }),
    field({
      name: 'link_type',
      label: 'Link type asked',
      kind: 'select',
      options: [
        { value: '', label: 'None (a plain scan)' },
        ...LINK_TYPE_OPTIONS.map((o) => ({ value: o.curie, label: o.title })),
      ],
    }),
  ];
  const output = el('div', { class: 'preview-output', 'aria-live': 'polite' });
  const headingId = uid('preview');
  const root = el(
    'section',
    { class: 'panel scan-preview', 'aria-labelledby': headingId },
    el('h2', { id: headingId }, 'Where would this scan go?'),
    el('p', { class: 'hint' }, 'A scan with these facts, answered as the resolver would, and not recorded.'),
    el('div', { class: 'preview-fields' }, ...fields.map((f) => f.root)),
    output,
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  const body = (): PreviewBody | null => {
    // Until the person types a link, the scanned link follows the rule's target (GTIN, lot, serial).
    if (!linkTyped) link.set(options.targetLink?.() ?? '');
    const v = Object.fromEntries(fields.map((f) => [f.name, String(f.value())]));
    if (!v.digital_link) return null;
    const out: Record<string, unknown> = { digital_link: v.digital_link };
    if (v.country) out.country = v.country.toUpperCase();
    if (v.region) out.region = v.region;
    if (v.city) out.city = v.city;
    const languages = (v.languages ?? '').split(/[\s,]+/).filter(Boolean);
    if (languages.length) out.languages = languages;
    if (v.device_class) out.device_class = v.device_class;
    if (v.at && !Number.isNaN(Date.parse(v.at))) out.at = new Date(v.at).toISOString();
    if (v.link_type) out.link_type = v.link_type;
    if (options.draft) out.draft_rule = options.draft();
    return out as PreviewBody;
  };

  const ask = async () => {
    inFlight?.abort();
    const request = body();
    if (!request) {
      replace(
        output,
        el(
          'p',
          { class: 'status empty' },
          'Enter a scanned link (or the rule’s GTIN) to see where a scan goes.',
        ),
      );
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    output.setAttribute('aria-busy', 'true');
    try {
      const answer = await api<Preview>('/v1/resolver/preview', {
        method: 'POST',
        body: request,
        signal: AbortSignal.any([options.signal, controller.signal]),
      });
      if (inFlight === controller) replace(output, result(answer, request.draft_rule?.id ?? 'draft'));
    } catch (error) {
      if (controller.signal.aborted || options.signal.aborted) return;
      replace(output, problem(error));
    } finally {
      if (inFlight === controller) output.removeAttribute('aria-busy');
    }
  };

  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void ask(), DEBOUNCE_MS);
  };
  for (const f of fields) f.onChange(refresh);
  options.signal.addEventListener('abort', () => clearTimeout(timer));
  refresh();
  return { root, refresh };
}
