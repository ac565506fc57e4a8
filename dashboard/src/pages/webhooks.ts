// Webhooks: endpoints that receive the organisation's events (/v1/webhooks), each with its
// signing secret shown once (on create and rotate), a test event sent on demand, and its delivery
// log (/v1/webhooks/:id/deliveries) where a dead-lettered delivery can be replayed. The API serves
// all of this to manager and owner keys only.
import { api, type RequestOf, type ResponseOf, type Schema } from '../api';
import { append, el, replace, uid } from '../dom';
import { formatDateTime, formatNumber } from '../format';
import { apiForm, confirmButton, editToggle, type Field, field, say, secretOnce } from '../forms';
import { hasRole, type Page, type PageContext } from '../page';
import { empty, errorMessage, load, section, table } from '../widgets';

type Webhook = Schema<'Webhook'>;
type Delivery = Schema<'WebhookDelivery'>;
type Created = ResponseOf<'/v1/webhooks', 'post'>;
type Rotated = ResponseOf<'/v1/webhooks/{id}/rotate-secret', 'post'>;
type TestResult = ResponseOf<'/v1/webhooks/{id}/test', 'post'>;
type Subscription = RequestOf<'/v1/webhooks', 'post'>['event_types'][number];

/**
 * Every subscription the API accepts, in words. A Record over the OpenAPI document's own list, so
 * an event type the API adds fails the dashboard's typecheck until it is named here.
 */
const SUBSCRIPTIONS: Record<Subscription, string> = {
  '*': 'Every event',
  'alert.*': 'Every alert',
  'alert.serial_overscanned': 'Alert: one serial scanned too widely',
  'alert.impossible_travel': 'Alert: impossible travel',
  'alert.unauthorised_market': 'Alert: scan outside authorised markets',
  'alert.serial_not_issued': 'Alert: serial never issued',
  'alert.volume_spike': 'Alert: scan volume spike',
  'alert.recalled_lot': 'Alert: scan of a recalled lot',
  'alert.expired_product': 'Alert: scan past its date',
  'alert.blocked_code_scanned': 'Alert: scan of a blocked code',
  'alert.unexpected_location': 'Alert: scan far from every stocking store',
  'product.*': 'Every product event',
  'product.recalled': 'Product recalled',
  'inventory.*': 'Every inventory event',
  'inventory.stale': 'Store stopped syncing',
  'link.*': 'Every link event',
  'link.changed': 'Links changed',
};

const STATUS: Record<Delivery['status'], string> = {
  succeeded: 'Delivered',
  failed: 'Failed',
  dead_lettered: 'Gave up',
};

const hookPath = (w: Webhook) => `/v1/webhooks/${encodeURIComponent(w.id)}`;

function hookFields(w?: Webhook): Field[] {
  return [
    field({
      name: 'url',
      label: 'Endpoint URL',
      kind: 'url',
      value: w?.url,
      required: true,
      hint: 'https:// on a public host',
    }),
    field({ name: 'description', label: 'Description', value: w?.description }),
    field({
      name: 'event_types',
      label: 'Event types',
      kind: 'checkboxes',
      options: Object.entries(SUBSCRIPTIONS).map(([value, label]) => ({
        value,
        label: `${label} (${value})`,
      })),
      value: w?.event_types ?? [],
    }),
    field({ name: 'enabled', label: 'Enabled', kind: 'checkbox', value: w?.enabled ?? true }),
  ];
}

function hookBody(fields: Field[]) {
  const v = (name: string) => fields.find((f) => f.name === name)!.value();
  const description = String(v('description'));
  return { url: v('url'), event_types: v('event_types'), description, enabled: v('enabled') };
}

function deliveryResult(d: Delivery): string {
  const how = [
    d.response_status === null ? null : `HTTP ${d.response_status}`,
    d.duration_ms === null ? null : `${formatNumber(d.duration_ms)} ms`,
  ]
    .filter(Boolean)
    .join(', ');
  return d.status === 'succeeded'
    ? `Delivered (${how}).`
    : `Not delivered: ${d.error ?? 'no answer'}${how ? ` (${how})` : ''}.`;
}

function deliveryLog(w: Webhook, signal: AbortSignal): { root: HTMLElement; reload: () => void } {
  const target = el('div');
  const status = el('p', { class: 'form-status', role: 'status' });
  const reload = () =>
    void load(
      target,
      'deliveries',
      () =>
        api<ResponseOf<'/v1/webhooks/{id}/deliveries'>>(`${hookPath(w)}/deliveries`, {
          query: { limit: 50 },
          signal,
        }),
      ({ data }) =>
        data.length === 0
          ? empty('No deliveries yet: events this endpoint subscribes to will be listed here.')
          : table<Delivery>(
              `Deliveries to ${w.url}`,
              [
                { label: 'Time', cell: (d) => formatDateTime(d.created_at) },
                { label: 'Event', cell: (d) => el('code', {}, d.event_type) },
                { label: 'Attempt', numeric: true, cell: (d) => formatNumber(d.attempt) },
                {
                  label: 'Status',
                  cell: (d) => el('span', { class: `badge status-${d.status}` }, STATUS[d.status]),
                },
                {
                  label: 'Response',
                  cell: (d) => (d.response_status === null ? '—' : String(d.response_status)),
                },
                { label: 'Detail', cell: (d) => d.error ?? '' },
                {
                  label: 'Next try',
                  cell: (d) => (d.next_attempt_at ? formatDateTime(d.next_attempt_at) : '—'),
                },
                {
                  label: 'Replay',
                  cell: (d) => {
                    if (d.status !== 'dead_lettered') return null;
                    const button = el(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary small',
                        'aria-label': `Replay ${d.event_type} ${d.event_id}`,
                      },
                      'Replay',
                    );
                    button.addEventListener('click', async () => {
                      button.disabled = true;
                      try {
                        await api(`${hookPath(w)}/deliveries/${encodeURIComponent(d.id)}/replay`, {
                          method: 'POST',
                        });
                        say(status, `Replay of ${d.event_type} queued: its attempts will appear here.`);
                        setTimeout(reload, 1500);
                      } catch (error) {
                        say(status, errorMessage(error), true);
                        button.disabled = false;
                      }
                    });
                    return button;
                  },
                },
              ],
              data,
            ),
    );
  reload();
  const refresh = el('button', { type: 'button', class: 'secondary small' }, 'Refresh deliveries');
  refresh.addEventListener('click', reload);
  return {
    root: el('div', { class: 'deliveries' }, el('h3', {}, 'Delivery log'), refresh, status, target),
    reload,
  };
}

function hookCard(first: Webhook, signal: AbortSignal, shown: HTMLElement, removed: () => void): HTMLElement {
  const headingId = uid('hook');
  const card = el('section', {
    class: 'panel webhook',
    'aria-labelledby': headingId,
    'data-webhook-id': first.id,
  });
  const draw = (w: Webhook, notice?: string) => {
    const status = el('p', { class: 'form-status', role: 'status' });
    const editHolder = el('div');
    const log = deliveryLog(w, signal);

    const test = el('button', { type: 'button', class: 'secondary small' }, 'Send test event');
    test.addEventListener('click', async () => {
      test.disabled = true;
      say(status, 'Sending a test event…');
      try {
        const result = await api<TestResult>(`${hookPath(w)}/test`, { method: 'POST' });
        say(status, `Test event ${deliveryResult(result.delivery)}`, result.delivery.status !== 'succeeded');
        log.reload();
      } catch (error) {
        say(status, errorMessage(error), true);
      } finally {
        test.disabled = false;
      }
    });

    const edit = editToggle(editHolder, () => {
      const fields = hookFields(w);
      const form = apiForm<Webhook>({
        label: `Edit ${w.url}`,
        fields,
        submitLabel: 'Save endpoint',
        submit: () => {
          const body = hookBody(fields);
          return api<Webhook>(hookPath(w), {
            method: 'PATCH',
            body: { ...body, description: body.description || null },
          });
        },
        saved: (updated) => {
          queueMicrotask(() => draw(updated, 'Saved.'));
          return 'Saved.';
        },
      });
      return { form, fields };
    });

    const rotate = confirmButton('Rotate secret', 'Confirm rotate secret', async () => {
      try {
        const r = await api<Rotated>(`${hookPath(w)}/rotate-secret`, { method: 'POST' });
        draw(r, 'New secret made: the old one keeps signing alongside it for 24 hours.');
        replace(
          card.querySelector<HTMLElement>('.secret-holder')!,
          secretOnce(`Signing secret of ${r.url}`, r.secret, 'The new signing secret'),
        );
      } catch (error) {
        say(status, errorMessage(error), true);
      }
    });
    const remove = confirmButton('Delete endpoint', 'Confirm delete endpoint', async () => {
      try {
        await api(hookPath(w), { method: 'DELETE' });
        replace(shown);
        removed();
      } catch (error) {
        say(status, errorMessage(error), true);
      }
    });

    const subscribed = w.event_types.map((t) => SUBSCRIPTIONS[t as Subscription] ?? t).join(', ');
    replace(
      card,
      el('h2', { id: headingId }, w.url),
      w.description ? el('p', {}, w.description) : null,
      el(
        'p',
        {},
        w.enabled
          ? el('span', { class: 'badge confidence-confirmed' }, 'Enabled')
          : el('span', { class: 'badge muted' }, 'Disabled'),
        ' ',
        `Receives: ${subscribed}.`,
      ),
      w.previous_secret_expires_at
        ? el(
            'p',
            { class: 'hint' },
            `The previous secret also signs until ${formatDateTime(w.previous_secret_expires_at)}.`,
          )
        : null,
      el('div', { class: 'form-actions' }, test, edit, rotate, remove),
      status,
      el('div', { class: 'secret-holder' }),
      editHolder,
      log.root,
    );
    if (notice) say(status, notice);
  };
  draw(first);
  return card;
}

export const webhooksPage: Page = {
  title: 'Webhooks',
  render(main: HTMLElement, { signal, org }: PageContext) {
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'Endpoints that receive alerts, recalls, stale stores and link changes as signed Standard Webhooks. Failed deliveries are retried for about three days; one that gave up can be replayed from its log.',
      ),
    ]);
    if (!hasRole(org, 'manager')) {
      main.append(el('p', { class: 'notice' }, 'Only manager and owner keys can see and manage webhooks.'));
      return;
    }
    const list = el('div', { class: 'webhook-list' });
    const shown = el('div');
    const reload = () =>
      void load(
        list,
        'webhooks',
        () => api<ResponseOf<'/v1/webhooks'>>('/v1/webhooks', { signal }),
        ({ data }) =>
          data.length === 0
            ? empty('No webhook endpoints yet. Add one above to receive events.')
            : data.map((w) => hookCard(w, signal, shown, reload)),
      );
    const fields = hookFields();
    const form = apiForm<Created>({
      label: 'Add an endpoint',
      fields,
      submitLabel: 'Add endpoint',
      submit: () => {
        const body = hookBody(fields);
        return api<Created>('/v1/webhooks', {
          method: 'POST',
          body: { ...body, description: body.description || undefined },
        });
      },
      saved: (created) => {
        replace(shown, secretOnce(`Signing secret of ${created.url}`, created.secret, 'The signing secret'));
        for (const f of fields) f.set(f.name === 'enabled' ? true : '');
        reload();
        return `Added ${created.url}.`;
      },
    });
    main.append(section('Add an endpoint', form, shown), list);
    reload();
  },
};
