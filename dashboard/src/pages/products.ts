// Products: the catalog (GET /v1/products, searched by GTIN or name) and one product's page
// (#/products?gtin=…&field=…): its fields with their source and confidence, status, authorised
// markets and recalled lots, edited through PATCH /v1/products/:id. `field` focuses the field a
// completeness recommendation names.
import { api, type RequestOf, type ResponseOf, type Schema } from '../api';
import { append, el, replace, uid } from '../dom';
import { formatDateTime, formatDecimal } from '../format';
import { apiForm, confirmButton, type Field, field, optional, parseList, say } from '../forms';
import { canWrite, type Page, type PageContext, readOnlyReason } from '../page';
import { empty, errorMessage, load, section, table } from '../widgets';

type Product = Schema<'Product'>;
type Patch = RequestOf<'/v1/products/{id}', 'patch'>;
/** The product's content fields, as completeness recommendations name them. */
type FieldName = Product['completeness']['recommendations'][number]['field'];
type Stored = Product['fields'][string];

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'recalled', label: 'Recalled' },
  { value: 'discontinued', label: 'Discontinued' },
];
const statusLabel = (s: string) => STATUSES.find((o) => o.value === s)?.label ?? s;
const SOURCES: Record<string, string> = {
  brand: 'the brand',
  import: 'an import',
  pos_sync: 'a POS sync',
  gs1_registry: 'the GS1 registry',
  retailer: 'a retailer',
};

/** How each field is typed in and read back: the API's value ⇄ the control's text. */
interface FieldForm {
  label: string;
  kind?: 'text' | 'textarea';
  hint?: string;
  show: (value: unknown) => string;
  read: (text: string) => unknown;
}
const plain: Pick<FieldForm, 'show' | 'read'> = { show: (v) => String(v ?? ''), read: (t) => t };
/** A list shown joined by `joiner` and read back split at `splitter` (URLs: whitespace; words: commas). */
const list = (joiner: string, splitter: RegExp): Pick<FieldForm, 'show' | 'read'> => ({
  show: (v) => (Array.isArray(v) ? v.join(joiner) : ''),
  read: (t) =>
    t
      .split(splitter)
      .map((s) => s.trim())
      .filter(Boolean),
});
const FIELD_FORMS: Record<FieldName, FieldForm> = {
  name: { label: 'Name', ...plain },
  brand: { label: 'Brand', ...plain },
  description: { label: 'Description', kind: 'textarea', ...plain },
  category: { label: 'Category', ...plain },
  images: {
    label: 'Images',
    kind: 'textarea',
    hint: 'https URLs, one per line; the first is the main image.',
    ...list('\n', /\s+/),
  },
  net_content: {
    label: 'Net content',
    hint: 'A quantity and unit: 500 g, 1.5 l, 12 count.',
    show: (v) => {
      const n = v as { value?: number; unit?: string } | null;
      return n?.value === undefined ? '' : `${n.value} ${n.unit ?? ''}`.trim();
    },
    read: (t) => {
      const m = /^([\d.]+)\s*([a-z_]+)$/i.exec(t.replace(',', '.'));
      // Anything else goes as typed, so the API's own message says what is wrong.
      return m ? { value: Number(m[1]), unit: m[2]!.toLowerCase() } : { value: t, unit: '' };
    },
  },
  country_of_origin: { label: 'Country of origin', hint: 'Two-letter code, e.g. FR.', ...plain },
  ingredients: { label: 'Ingredients', kind: 'textarea', ...plain },
  allergens: { label: 'Allergens', hint: 'Comma-separated.', ...list(', ', /,/) },
  nutrition: {
    label: 'Nutrition',
    kind: 'textarea',
    hint: 'One per line, as key: value (basis: 100g, energy_kcal: 354).',
    show: (v) =>
      v && typeof v === 'object'
        ? Object.entries(v)
            .map(([k, n]) => `${k}: ${n}`)
            .join('\n')
        : '',
    read: (t) =>
      Object.fromEntries(
        t
          .split('\n')
          .map((line) => line.split(':').map((s) => s.trim()))
          .filter(([k]) => k)
          .map(([k, v = '']) => [k, v !== '' && Number.isFinite(Number(v)) ? Number(v) : v]),
      ),
  },
  certifications: { label: 'Certifications', hint: 'Comma-separated.', ...list(', ', /,/) },
};
const FIELD_NAMES = Object.keys(FIELD_FORMS) as FieldName[];

const productName = (p: Product) => (typeof p.fields.name?.value === 'string' ? p.fields.name.value : null);
const provenance = (f: Stored | undefined) =>
  f
    ? `From ${SOURCES[f.source] ?? f.source}, confidence ${Math.round(f.confidence * 100)}%.`
    : 'Not filled in.';
const hashQuery = () => new URLSearchParams(location.hash.split('?')[1] ?? '');
const productHref = (gtin: string, fieldName?: string) =>
  `#/products?${new URLSearchParams({ gtin, ...(fieldName ? { field: fieldName } : {}) })}`;

const patch = (p: Product, body: Patch) =>
  api<Product>(`/v1/products/${encodeURIComponent(p.id)}`, { method: 'PATCH', body });

function detailsForm(
  p: Product,
  writable: boolean,
  onSaved: (p: Product) => void,
): { form: HTMLElement; fields: Map<string, Field> } {
  const status = field({
    name: 'status',
    label: 'Status',
    kind: 'select',
    options: STATUSES,
    value: p.status,
  });
  const markets = field({
    name: 'authorised_markets',
    label: 'Authorised markets',
    value: p.authorised_markets,
    hint: 'Countries where the product may be sold (two-letter codes, comma-separated).',
  });
  const touched = new Set<FieldName>();
  const contentFields = FIELD_NAMES.map((name) => {
    const form = FIELD_FORMS[name];
    const stored = p.fields[name];
    const f = field({
      name: `fields.${name}`,
      label: form.label,
      kind: form.kind ?? 'text',
      value: stored ? form.show(stored.value) : '',
      hint: [form.hint, provenance(stored)].filter(Boolean).join(' '),
      attrs: { readonly: !writable },
    });
    f.onChange(() => touched.add(name));
    return { name, f };
  });
  // A value someone else supplied with less than full confidence: the brand can vouch for it as it is.
  const vouch = contentFields
    .filter(({ name }) => writable && (p.fields[name]?.confidence ?? 1) < 1)
    .map(({ name, f }) => {
      const box = field({
        name: `vouch.${name}`,
        label: `Confirm this ${FIELD_FORMS[name].label.toLowerCase()} as correct`,
        kind: 'checkbox',
      });
      f.root.append(box.root);
      return box;
    });
  const all = [status, markets, ...contentFields.map((c) => c.f)];
  const fields = new Map(all.map((f) => [f.name, f]));
  const layout = [
    el('fieldset', {}, el('legend', {}, 'Status and markets'), status.root, markets.root),
    el('fieldset', {}, el('legend', {}, 'Fields'), ...contentFields.map((c) => c.f.root)),
  ];
  if (!writable) {
    status.root.querySelector('select')?.setAttribute('disabled', '');
    markets.root.querySelector('input')?.setAttribute('readonly', '');
    return { form: el('div', { class: 'api-form readonly' }, ...layout), fields };
  }
  const form = apiForm({
    label: `Edit ${productName(p) ?? p.gtin}`,
    fields: [...all, ...vouch],
    layout,
    submitLabel: 'Save product',
    submit: () => {
      const changed: NonNullable<Patch['fields']> = {};
      for (const { name, f } of contentFields) {
        const vouched = vouch.find((v) => v.name === `vouch.${name}`)?.value() === true;
        if (!touched.has(name) && !vouched) continue;
        const text = String(f.value());
        // Saved from the dashboard, so the brand vouches for it; emptied means removed.
        (changed as Record<string, unknown>)[name] =
          text === '' ? null : { value: FIELD_FORMS[name].read(text), source: 'brand', confidence: 1 };
      }
      return patch(p, {
        status: String(status.value()) as Patch['status'],
        authorised_markets: parseList(markets.value()).map((c) => c.toUpperCase()),
        ...(Object.keys(changed).length ? { fields: changed } : {}),
      });
    },
    saved: (saved) => {
      onSaved(saved);
      return `Saved. Completeness is now ${formatDecimal(saved.completeness.score)}.`;
    },
  });
  return { form, fields };
}

const lotBody = (l: Product['recalled_lots'][number]) => ({
  lot: l.lot,
  ...(l.recalled_at ? { recalled_at: l.recalled_at } : {}),
  ...(l.reason ? { reason: l.reason } : {}),
});

function recalledLots(p: Product, writable: boolean, onSaved: (p: Product) => void): HTMLElement {
  const status = el('p', { class: 'form-status', role: 'status' });
  const lots = p.recalled_lots;
  const shown =
    lots.length === 0
      ? empty('No recalled lots.')
      : table(
          'Recalled lots',
          [
            { label: 'Lot', cell: (l) => l.lot },
            {
              label: 'Recalled',
              cell: (l) => (l.recalled_at ? formatDateTime(l.recalled_at) : 'Date not given'),
            },
            { label: 'Reason', cell: (l) => l.reason ?? '' },
            ...(writable
              ? [
                  {
                    label: 'Actions',
                    cell: (l: (typeof lots)[number]) =>
                      confirmButton('Remove', `Confirm remove lot ${l.lot}`, async () => {
                        try {
                          onSaved(
                            await patch(p, { recalled_lots: lots.filter((x) => x !== l).map(lotBody) }),
                          );
                        } catch (error) {
                          say(status, errorMessage(error), true);
                        }
                      }),
                  },
                ]
              : []),
          ],
          lots,
        );
  if (!writable) return section('Recalled lots', shown);
  const at = (name: string) => `recalled_lots.${lots.length}.${name}`;
  const lot = field({ name: at('lot'), label: 'Lot', required: true, hint: 'As printed after (10).' });
  const when = field({
    name: at('recalled_at'),
    label: 'Recalled on',
    kind: 'datetime-local',
    hint: 'Empty for now.',
  });
  const reason = field({ name: at('reason'), label: 'Reason' });
  const form = apiForm({
    label: 'Record a recalled lot',
    fields: [lot, when, reason],
    layout: [el('fieldset', {}, el('legend', {}, 'Recalled lot'), lot.root, when.root, reason.root)],
    submitLabel: 'Record recall',
    submit: () => {
      const local = String(when.value());
      return patch(p, {
        recalled_lots: [
          ...lots.map(lotBody),
          {
            lot: String(lot.value()),
            recalled_at: local ? new Date(local).toISOString() : new Date().toISOString(),
            reason: optional(reason.value()),
          },
        ],
      });
    },
    saved: (saved) => {
      onSaved(saved);
      return 'Recorded.';
    },
  });
  return section('Recalled lots', shown, status, el('h3', {}, 'Record a recalled lot'), form);
}

/** Draws the product into `main`; returns how to focus one of its fields by name. */
function productView(main: HTMLElement, p: Product, writable: boolean, said = ''): (name: string) => void {
  const redraw = (saved: Product, message: string) => productView(main, saved, writable, message);
  const { form, fields } = detailsForm(p, writable, (saved) => redraw(saved, 'Saved the product.'));
  const announce = el('p', { class: 'form-status', role: 'status' }, said);
  const recs = p.completeness.recommendations;
  const focus = (name: string) => {
    const f = fields.get(`fields.${name}`);
    f?.root.scrollIntoView({ block: 'center' });
    f?.focus();
  };
  replace(
    main,
    el('p', {}, el('a', { href: '#/products' }, '← All products')),
    el(
      'h2',
      { class: 'product-title' },
      productName(p) ?? 'Unnamed product',
      ' ',
      el('small', { class: 'gtin' }, p.gtin),
    ),
    el(
      'p',
      {},
      el('span', { class: `badge status-${p.status}` }, statusLabel(p.status)),
      ' Completeness ',
      el('strong', {}, formatDecimal(p.completeness.score)),
      ` (${p.completeness.band.replace('_', ' ')})`,
    ),
    announce,
    recs.length
      ? section(
          'What would help most',
          el(
            'ul',
            { class: 'recommendations' },
            ...recs.map((r) => {
              const go = el(
                'button',
                { type: 'button', class: 'link-button' },
                `${r.message} (+${formatDecimal(r.points)})`,
              );
              go.addEventListener('click', () => focus(r.field));
              return el('li', {}, go);
            }),
          ),
        )
      : null,
    section('Details', form),
    recalledLots(p, writable, (saved) => redraw(saved, 'Saved the recalled lots.')),
    writable
      ? section(
          'Delete',
          el('p', {}, 'Deleting a product removes it from the catalog; its links stay.'),
          confirmButton('Delete product', `Confirm delete ${p.gtin}`, async () => {
            try {
              await api(`/v1/products/${encodeURIComponent(p.id)}`, { method: 'DELETE' });
              location.hash = '#/products';
            } catch (error) {
              say(announce, errorMessage(error), true);
            }
          }),
        )
      : null,
  );
  return focus;
}

function newProductForm(): HTMLElement {
  const gtin = field({ name: 'gtin', label: 'GTIN', required: true, attrs: { inputmode: 'numeric' } });
  const name = field({ name: 'fields.name', label: 'Name', required: true });
  const status = field({
    name: 'status',
    label: 'Status',
    kind: 'select',
    options: STATUSES,
    value: 'active',
  });
  const form = apiForm({
    label: 'New product',
    fields: [gtin, name, status],
    layout: [el('fieldset', {}, el('legend', {}, 'Product'), gtin.root, name.root, status.root)],
    submitLabel: 'Create product',
    submit: () =>
      api<Product>('/v1/products', {
        method: 'POST',
        body: {
          gtin: String(gtin.value()),
          status: String(status.value()) as Patch['status'],
          fields: { name: { value: String(name.value()), source: 'brand' } },
        } satisfies RequestOf<'/v1/products', 'post'>,
      }),
    saved: (p) => {
      location.hash = productHref(p.gtin);
      return 'Created.';
    },
  });
  return el('details', { class: 'panel' }, el('summary', {}, 'New product'), form);
}

function catalog(main: HTMLElement, signal: AbortSignal, writable: boolean): void {
  const results = el('div');
  const text = el('input', { id: uid('search'), type: 'search', placeholder: '09506000134352 or a name' });
  const statusFilter = el(
    'select',
    { id: uid('status') },
    el('option', { value: '' }, 'Any'),
    ...STATUSES.map((s) => el('option', { value: s.value }, s.label)),
  );
  const search = () => {
    const q = text.value.trim();
    void load(
      results,
      'products',
      () =>
        api<ResponseOf<'/v1/products'>>('/v1/products', {
          query: { limit: 200, status: statusFilter.value, ...(/^\d{8,14}$/.test(q) ? { gtin: q } : { q }) },
          signal,
        }),
      (page) =>
        page.data.length === 0
          ? empty(
              q || statusFilter.value
                ? 'No product matches.'
                : 'No products yet: add one, or import a file through the API.',
            )
          : table(
              'Products',
              [
                {
                  label: 'Product',
                  cell: (p: Product) =>
                    el(
                      'span',
                      {},
                      el('a', { href: productHref(p.gtin) }, productName(p) ?? 'Unnamed product'),
                      el('br'),
                      el('small', { class: 'gtin' }, p.gtin),
                    ),
                },
                {
                  label: 'Status',
                  cell: (p) => el('span', { class: `badge status-${p.status}` }, statusLabel(p.status)),
                },
                { label: 'Completeness', cell: (p) => formatDecimal(p.completeness.score), numeric: true },
                { label: 'Recalled lots', cell: (p) => p.recalled_lots.map((l) => l.lot).join(', ') },
              ],
              page.data,
            ),
    );
  };
  const form = el(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search products' },
    el('div', { class: 'field' }, el('label', { for: text.id }, 'GTIN or name'), text),
    el('div', { class: 'field' }, el('label', { for: statusFilter.id }, 'Status'), statusFilter),
    el('button', { type: 'submit', class: 'secondary' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  append(main, [writable ? newProductForm() : null, form, results]);
  search();
}

export const productsPage: Page = {
  title: 'Products',
  render(main: HTMLElement, { signal, org }: PageContext) {
    const writable = canWrite(org);
    const query = hashQuery();
    const gtin = query.get('gtin');
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'Your catalog: each field with where it came from and how sure that source is, status, markets and recalled lots.',
      ),
      writable ? null : el('p', { class: 'notice' }, readOnlyReason(org, 'editor', 'change products')),
    ]);
    if (!gtin) return catalog(main, signal, writable);
    const target = el('div', { class: 'product' });
    main.append(target);
    const view = el('div');
    let focus: ((name: string) => void) | undefined;
    const fieldName = query.get('field');
    void load(
      target,
      'the product',
      () => api<ResponseOf<'/v1/products'>>('/v1/products', { query: { gtin }, signal }),
      (page) => {
        const p = page.data[0];
        if (!p)
          return [
            empty(`No product with GTIN ${gtin} in your catalog.`),
            el('a', { href: '#/products' }, 'All products'),
          ];
        focus = productView(view, p, writable);
        return view;
      },
      // Once load has put the view in the page: a field can only be focused there.
    ).then(() => {
      if (fieldName && view.isConnected) focus?.(fieldName);
    });
  },
};
