// Stores: the brand's locations (GET/POST/PATCH/DELETE /v1/locations), each with its Shopify and
// Square connection (the webhook URL to copy, the secret entered once), its POS item → GTIN
// mapping (/v1/locations/:id/pos-items) and the inventory its POS reported (GET /v1/inventory).
import { api, type RequestOf, type ResponseOf, type Schema } from '../api';
import { append, el, replace, uid } from '../dom';
import { formatDateTime, formatNumber } from '../format';
import {
  apiForm,
  confirmButton,
  copyable,
  editToggle,
  type Field,
  type FieldValue,
  field,
  optional,
  say,
} from '../forms';
import { hasRole, type Page, type PageContext, readOnlyReason } from '../page';
import { empty, errorMessage, load, section, table } from '../widgets';

type Location = Schema<'Location'>;
type InventoryItem = Schema<'InventoryItem'>;
type PosItem = ResponseOf<'/v1/locations/{id}/pos-items'>['data'][number];
type Platform = PosItem['platform'];
type LocationBody = RequestOf<'/v1/locations', 'post'>;

const PLATFORMS: { id: Platform; label: string; secret: string; secretLabel: string }[] = [
  { id: 'shopify', label: 'Shopify', secret: 'webhook_secret', secretLabel: 'Shopify webhook secret' },
  { id: 'square', label: 'Square', secret: 'signature_key', secretLabel: 'Square signature key' },
];

const CONFIDENCE: Record<InventoryItem['confidence'], string> = {
  confirmed: 'Confirmed',
  likely: 'Likely',
  uncertain: 'Uncertain',
};
const STATUS: Record<InventoryItem['status'], string> = {
  in_stock: 'In stock',
  low_stock: 'Low stock',
  out_of_stock: 'Out of stock',
};

/** A number field's value: empty is left out, a number is sent as one, anything else as typed (the API names it). */
function numberOf(value: FieldValue): number | string | undefined {
  if (value === '' || typeof value !== 'string') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

async function allStores(signal: AbortSignal): Promise<Location[]> {
  const stores: Location[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<ResponseOf<'/v1/locations'>>('/v1/locations', {
      query: { limit: 200, cursor },
      signal,
    });
    stores.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return stores;
}

/** The fields of a store, named after the body paths of POST and PATCH /v1/locations. */
function storeFields(loc?: Location): Field[] {
  return [
    field({ name: 'name', label: 'Store name', value: loc?.name, required: true }),
    field({ name: 'address.line1', label: 'Address', value: loc?.address.line1, required: true }),
    field({ name: 'address.line2', label: 'Address line 2', value: loc?.address.line2 }),
    field({ name: 'address.city', label: 'City', value: loc?.address.city, required: true }),
    field({ name: 'address.region', label: 'Region', value: loc?.address.region }),
    field({ name: 'address.postal_code', label: 'Postal code', value: loc?.address.postal_code }),
    field({
      name: 'address.country',
      label: 'Country',
      value: loc?.address.country,
      required: true,
      hint: 'Two letters, like FR',
      attrs: { maxlength: 2, autocomplete: 'country' },
    }),
    field({
      name: 'latitude',
      label: 'Latitude',
      kind: 'number',
      value: loc?.latitude,
      required: true,
      attrs: { step: 'any' },
    }),
    field({
      name: 'longitude',
      label: 'Longitude',
      kind: 'number',
      value: loc?.longitude,
      required: true,
      attrs: { step: 'any' },
    }),
    field({
      name: 'timezone',
      label: 'Time zone',
      value: loc?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      required: true,
      hint: 'IANA name, like Europe/Paris',
    }),
  ];
}

function storeBody(fields: Field[]): LocationBody {
  const v = (name: string) => fields.find((f) => f.name === name)!.value();
  return {
    name: v('name'),
    address: {
      line1: v('address.line1'),
      line2: optional(v('address.line2')),
      city: v('address.city'),
      region: optional(v('address.region')),
      postal_code: optional(v('address.postal_code')),
      country: String(v('address.country')).toUpperCase(),
    },
    latitude: numberOf(v('latitude')),
    longitude: numberOf(v('longitude')),
    timezone: v('timezone'),
  } as LocationBody;
}

const storePath = (loc: Location) => `/v1/locations/${encodeURIComponent(loc.id)}`;

function addressLine(loc: Location): string {
  const a = loc.address;
  return [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' '), a.region, a.country]
    .filter(Boolean)
    .join(', ');
}

function lastSync(loc: Location): string {
  if (!loc.last_synced_at) return 'No inventory synced yet.';
  return `Last sync ${formatDateTime(loc.last_synced_at)}${loc.active ? '' : ' (inactive: nothing for 7 days)'}.`;
}

/** One POS platform of a store: its webhook URL, whether its secret is set, the form to set it. */
function posPanel(
  loc: Location,
  p: (typeof PLATFORMS)[number],
  writable: boolean,
  saved: (loc: Location, notice: string) => void,
): HTMLElement {
  const pos = loc.pos[p.id] as Record<string, unknown> & { location_id: string | null; webhook_url: string };
  const isSet = pos[`${p.secret}_set`] === true;
  const setAt = pos[`${p.secret}_set_at`] as string | null;
  const connected = isSet || pos.location_id !== null;
  const headingId = uid('pos');
  const status = el('p', { class: 'pos-state', tabindex: -1, 'data-platform-status': p.id }, [
    connected
      ? el('span', { class: 'badge' }, 'Connected')
      : el('span', { class: 'badge muted' }, 'Not connected'),
    ' ',
    isSet
      ? setAt
        ? `Secret set on ${formatDateTime(setAt)}.`
        : 'Secret set.'
      : `No ${p.secretLabel.toLowerCase()} yet: webhooks are refused until it is set.`,
    pos.location_id ? ` ${p.label} location ${pos.location_id}.` : '',
  ]);
  const panel = el(
    'div',
    { class: 'pos-platform', role: 'group', 'aria-labelledby': headingId },
    el('h4', { id: headingId }, p.label),
    status,
    copyable(`${p.label} webhook URL`, pos.webhook_url, `Paste this into ${p.label} as the webhook's URL.`),
  );
  if (!writable) return panel;
  const locationId = field({
    name: `pos.${p.id}.location_id`,
    label: `${p.label} location id`,
    value: pos.location_id,
    hint: `Only counts for this ${p.label} location are used`,
  });
  const secret = field({
    name: `pos.${p.id}.${p.secret}`,
    label: p.secretLabel,
    kind: 'password',
    hint: isSet
      ? 'Set: leave empty to keep it, or enter a new one to replace it'
      : 'Shown once in your POS admin',
    attrs: { autocomplete: 'new-password', spellcheck: 'false' },
  });
  const form = apiForm<Location>({
    label: `${p.label} connection`,
    fields: [locationId, secret],
    submitLabel: connected ? `Save ${p.label}` : `Connect ${p.label}`,
    submit: () =>
      api<Location>(storePath(loc), {
        method: 'PATCH',
        body: {
          pos: {
            [p.id]: {
              location_id: optional(locationId.value()),
              [p.secret]: optional(secret.value()),
            },
          },
        },
      }),
    saved: (updated) => {
      // The secret leaves the page as soon as the server has it.
      secret.set('');
      queueMicrotask(() => saved(updated, `${p.label} saved.`));
      return `${p.label} saved.`;
    },
  });
  panel.append(form);
  if (connected) {
    const note = el('p', { class: 'form-status', role: 'status' });
    panel.append(
      el(
        'div',
        { class: 'form-actions' },
        confirmButton(`Disconnect ${p.label}`, `Confirm disconnect ${p.label}`, async () => {
          try {
            const updated = await api<Location>(storePath(loc), {
              method: 'PATCH',
              body: { pos: { [p.id]: null } },
            });
            saved(updated, `${p.label} disconnected: its secret is deleted.`);
          } catch (error) {
            say(note, errorMessage(error), true);
          }
        }),
      ),
      note,
    );
  }
  return panel;
}

/** The store's POS item → GTIN mappings, with add and remove for editors. */
function mappingPanel(loc: Location, writable: boolean, signal: AbortSignal): HTMLElement {
  const target = el('div');
  const status = el('p', { class: 'form-status', role: 'status' });
  const path = `${storePath(loc)}/pos-items`;
  const reload = () =>
    load(
      target,
      'item mappings',
      () => api<ResponseOf<'/v1/locations/{id}/pos-items'>>(path, { query: { limit: 500 }, signal }),
      ({ data }) =>
        data.length === 0
          ? empty('No items mapped yet: POS counts are ignored until their item has a GTIN.')
          : table<PosItem>(
              `POS items of ${loc.name}`,
              [
                {
                  label: 'Platform',
                  cell: (r) => PLATFORMS.find((p) => p.id === r.platform)?.label ?? r.platform,
                },
                { label: 'POS item', cell: (r) => el('code', {}, r.pos_item_id) },
                { label: 'GTIN', cell: (r) => el('span', { class: 'gtin' }, r.gtin) },
                ...(writable
                  ? [
                      {
                        label: 'Remove',
                        cell: (r: PosItem) =>
                          confirmButton(
                            `Remove ${r.pos_item_id}`,
                            `Confirm remove ${r.pos_item_id}`,
                            async () => {
                              try {
                                await api(`${path}/${r.platform}/${encodeURIComponent(r.pos_item_id)}`, {
                                  method: 'DELETE',
                                });
                                say(status, `Removed ${r.pos_item_id}.`);
                                void reload();
                              } catch (error) {
                                say(status, errorMessage(error), true);
                              }
                            },
                          ),
                      },
                    ]
                  : []),
              ],
              data,
            ),
    );
  void reload();
  const wrap = el('div', { class: 'mapping' }, el('h3', {}, 'Item → GTIN mapping'), target, status);
  if (!writable) return wrap;
  const platform = field({
    name: 'platform',
    label: 'Platform',
    kind: 'select',
    options: PLATFORMS.map((p) => ({ value: p.id, label: p.label })),
  });
  const item = field({
    name: 'items.0.pos_item_id',
    label: 'POS item id',
    required: true,
    hint: "Shopify's inventory_item_id or Square's catalog_object_id",
  });
  const gtin = field({
    name: 'items.0.gtin',
    label: 'GTIN',
    required: true,
    attrs: { inputmode: 'numeric' },
  });
  wrap.append(
    apiForm({
      label: `Map an item of ${loc.name}`,
      fields: [platform, item, gtin],
      layout: [el('fieldset', {}, el('legend', {}, 'Map an item'), platform.root, item.root, gtin.root)],
      submitLabel: 'Add mapping',
      submit: () =>
        api(path, {
          method: 'PUT',
          body: { platform: platform.value(), items: [{ pos_item_id: item.value(), gtin: gtin.value() }] },
        }),
      saved: () => {
        const added = `Mapped ${item.value()} to ${gtin.value()}.`;
        item.set('');
        gtin.set('');
        void reload();
        return added;
      },
    }),
  );
  return wrap;
}

function inventoryPanel(loc: Location, signal: AbortSignal): HTMLElement {
  const target = el('div');
  void load(
    target,
    'inventory',
    () =>
      api<ResponseOf<'/v1/inventory'>>('/v1/inventory', {
        query: { location_id: loc.id, limit: 500 },
        signal,
      }),
    ({ data }) =>
      data.length === 0
        ? empty('No stock figures yet: they arrive from the POS webhooks or the inventory API.')
        : table<InventoryItem>(
            `Inventory of ${loc.name}`,
            [
              { label: 'GTIN', cell: (r) => el('span', { class: 'gtin' }, r.gtin) },
              { label: 'Quantity', numeric: true, cell: (r) => formatNumber(r.quantity) },
              { label: 'Status', cell: (r) => STATUS[r.status] },
              { label: 'Counted', cell: (r) => formatDateTime(r.synced_at) },
              {
                label: 'Confidence',
                cell: (r) =>
                  el('span', { class: `badge confidence-${r.confidence}` }, CONFIDENCE[r.confidence]),
              },
              { label: 'Source', cell: (r) => r.source },
            ],
            data,
          ),
  );
  return el('div', { class: 'inventory' }, el('h3', {}, 'Inventory'), target);
}

function storeCard(first: Location, ctx: PageContext, removed: () => void): HTMLElement {
  const manager = hasRole(ctx.org, 'manager');
  const editor = hasRole(ctx.org, 'editor');
  const headingId = uid('store');
  const card = el('section', {
    class: 'panel store',
    'aria-labelledby': headingId,
    'data-store-id': first.id,
  });
  const draw = (loc: Location, notice?: string) => {
    const status = el('p', { class: 'form-status', role: 'status' });
    const editHolder = el('div');
    const refresh = el('button', { type: 'button', class: 'secondary small' }, 'Refresh');
    refresh.addEventListener('click', async () => {
      try {
        draw(await api<Location>(storePath(loc), { signal: ctx.signal }));
        card.querySelector<HTMLElement>('h2')?.focus();
      } catch (error) {
        say(status, errorMessage(error), true);
      }
    });
    const actions: HTMLElement[] = [refresh];
    if (manager) {
      const edit = editToggle(editHolder, () => {
        const fields = storeFields(loc);
        const form = apiForm<Location>({
          label: `Edit ${loc.name}`,
          fields,
          submitLabel: 'Save store',
          submit: () => api<Location>(storePath(loc), { method: 'PATCH', body: storeBody(fields) }),
          saved: (updated) => {
            queueMicrotask(() => draw(updated, `Saved ${updated.name}.`));
            return 'Saved.';
          },
        });
        return { form, fields };
      });
      actions.push(
        edit,
        confirmButton('Delete store', `Confirm delete ${loc.name}`, async () => {
          try {
            await api(storePath(loc), { method: 'DELETE' });
            removed();
          } catch (error) {
            say(status, errorMessage(error), true);
          }
        }),
      );
    }
    replace(
      card,
      el('h2', { id: headingId, tabindex: -1 }, loc.name),
      el('p', {}, addressLine(loc), ' · ', loc.timezone),
      el('p', { class: 'last-sync' }, lastSync(loc)),
      el('div', { class: 'form-actions' }, ...actions),
      status,
      editHolder,
      el('h3', {}, 'Point of sale'),
      el(
        'div',
        { class: 'pos-grid' },
        ...PLATFORMS.map((p) =>
          posPanel(loc, p, manager, (updated, message) => {
            draw(updated, message);
            card.querySelector<HTMLElement>(`[data-platform-status="${p.id}"]`)?.focus();
          }),
        ),
      ),
      mappingPanel(loc, editor, ctx.signal),
      inventoryPanel(loc, ctx.signal),
    );
    if (notice) say(status, notice);
  };
  draw(first);
  return card;
}

export const storesPage: Page = {
  title: 'Stores',
  render(main: HTMLElement, ctx: PageContext) {
    const manager = hasRole(ctx.org, 'manager');
    const list = el('div', { class: 'store-list' });
    const reload = () =>
      void load(
        list,
        'stores',
        () => allStores(ctx.signal),
        (stores) =>
          stores.length === 0
            ? empty(
                manager
                  ? 'No stores yet. Add one above, then connect its Shopify or Square.'
                  : 'No stores yet: a manager key can add them.',
              )
            : stores.map((s) => storeCard(s, ctx, reload)),
      );
    let create: HTMLElement | null = null;
    if (manager) {
      const fields = storeFields();
      create = section(
        'Add a store',
        apiForm<Location>({
          label: 'Add a store',
          fields,
          layout: [
            el('fieldset', {}, el('legend', {}, 'Store'), fields[0]!.root, fields[9]!.root),
            el('fieldset', {}, el('legend', {}, 'Address'), ...fields.slice(1, 7).map((f) => f.root)),
            el('fieldset', {}, el('legend', {}, 'Position'), fields[7]!.root, fields[8]!.root),
          ],
          submitLabel: 'Add store',
          submit: () => api<Location>('/v1/locations', { method: 'POST', body: storeBody(fields) }),
          saved: (loc) => {
            for (const f of fields.slice(0, 9)) f.set('');
            reload();
            return `Added ${loc.name}. Connect its point of sale below.`;
          },
        }),
      );
    }
    append(main, [
      el(
        'p',
        { class: 'lede' },
        "Where the brand's products are sold. Each store's point of sale reports its stock through a signed webhook; map each POS item to its GTIN so the counts land on the right product.",
      ),
      manager
        ? null
        : el(
            'p',
            { class: 'notice' },
            hasRole(ctx.org, 'editor')
              ? 'Adding stores and connecting a point of sale needs a manager key; this key can map items.'
              : readOnlyReason(ctx.org, 'manager', 'add stores or connect a point of sale'),
          ),
      create,
      list,
    ]);
    reload();
  },
};
