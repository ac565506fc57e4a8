// Alert settings: the detectors' thresholds for the organisation (GET/PUT /v1/alerts/settings)
// and a brand's own over them (GET/PUT /v1/brands/:id/alert-settings). Reads: any key; writes:
// manager and above. Only values that differ from what lies below are sent, so a better default
// (or a change to the organisation's) still reaches every value nobody chose.
import { api, type ResponseOf, type Schema } from '../api';
import { append, el, replace } from '../dom';
import { formatDateTime, formatNumber } from '../format';
import { apiForm, type Field, type FieldValue, field, type Option } from '../forms';
import { hasRole, type Page, type PageContext } from '../page';
import { empty, load, section } from '../widgets';

type Settings = Schema<'AlertSettings'>;
type Detector = Exclude<keyof Settings, 'auto_block'>;
type OrgSettings = ResponseOf<'/v1/alerts/settings'>;
type BrandSettings = ResponseOf<'/v1/brands/{id}/alert-settings'>;
type Brand = Schema<'Brand'>;

interface Threshold {
  name: string;
  label: string;
  step?: string;
  /** A choice (severity) rather than a number. */
  choices?: Option[];
}

const SEVERITIES: Option[] = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
];

const DETECTORS: { key: Detector; label: string; thresholds: Threshold[] }[] = [
  {
    key: 'serial_overscanned',
    label: 'One serial scanned too widely',
    thresholds: [
      { name: 'max_scanners', label: 'Most scanners' },
      { name: 'max_places', label: 'Most places' },
      { name: 'window_days', label: 'Window (days)' },
      { name: 'scanner_session_minutes', label: 'Repeat scans within (minutes)' },
    ],
  },
  {
    key: 'impossible_travel',
    label: 'Impossible travel',
    thresholds: [
      { name: 'max_speed_kmh', label: 'Fastest travel (km/h)', step: 'any' },
      { name: 'min_distance_km', label: 'Ignore pairs closer than (km)', step: 'any' },
    ],
  },
  { key: 'unauthorised_market', label: 'Scan outside authorised markets', thresholds: [] },
  { key: 'serial_not_issued', label: 'Serial never issued', thresholds: [] },
  {
    key: 'volume_spike',
    label: 'Scan volume spike',
    thresholds: [
      { name: 'alpha', label: 'Weight of the newest hour (alpha)', step: 'any' },
      { name: 'z', label: 'Standard deviations above the baseline (z)', step: 'any' },
      { name: 'min_scans', label: 'Fewest scans in an hour' },
      { name: 'warmup_hours', label: 'History before trusting the baseline (hours)' },
    ],
  },
  {
    key: 'recalled_lot',
    label: 'Scan of a recalled lot',
    thresholds: [{ name: 'severity', label: 'Severity', choices: SEVERITIES }],
  },
  {
    key: 'expired_product',
    label: 'Scan past its date',
    thresholds: [{ name: 'grace_days', label: 'Days of grace' }],
  },
  { key: 'blocked_code_scanned', label: 'Scan of a blocked code', thresholds: [] },
  {
    key: 'unexpected_location',
    label: 'Scan far from every stocking store',
    thresholds: [{ name: 'km', label: 'Farther than (km)', step: 'any' }],
  },
];

/** Fields that hold a choice: sent as the chosen string. */
const CHOICES = new Map(
  DETECTORS.flatMap((d) =>
    d.thresholds.filter((t) => t.choices).map((t) => [`${d.key}.${t.name}`, t.choices!]),
  ),
);
const choiceLabel = (name: string, value: unknown) =>
  CHOICES.get(name)?.find((o) => o.value === value)?.label ?? String(value);

const valueAt = (s: Partial<Settings> | undefined, detector: string, name: string): unknown =>
  (s?.[detector as Detector] as Record<string, unknown> | undefined)?.[name];

/** A number as typed: empty is left out, a number is sent as one, anything else as typed (the API names it). */
function numberOf(value: FieldValue): number | string | undefined {
  if (value === '' || typeof value !== 'string') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/**
 * The body PUT takes, built from the fields (`volume_spike.z` → {volume_spike: {z}}): a field
 * whose value is undefined, or equals `base`'s, is left out.
 */
function settingsBody(
  fields: Field[],
  read: (f: Field) => unknown,
  base?: Settings,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const value = read(f);
    const [detector, name] = f.name.split('.') as [string, string | undefined];
    if (value === undefined) continue;
    if (name === undefined) {
      if (value !== base?.[detector as keyof Settings]) body[detector] = value;
      continue;
    }
    if (base && value === valueAt(base, detector, name)) continue;
    const group = (body[detector] as Record<string, unknown> | undefined) ?? {};
    group[name] = value;
    body[detector] = group;
  }
  return body;
}

function layout(fields: Field[]): HTMLElement[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  return [
    ...DETECTORS.map((d) =>
      el(
        'fieldset',
        {},
        el('legend', {}, d.label),
        byName.get(`${d.key}.enabled`)!.root,
        ...d.thresholds.map((t) => byName.get(`${d.key}.${t.name}`)!.root),
      ),
    ),
    el('fieldset', {}, el('legend', {}, 'Response'), byName.get('auto_block')!.root),
  ];
}

/** The organisation's form: every value in force, shown and editable. */
function organizationForm(data: OrgSettings): HTMLFormElement {
  const fields: Field[] = [];
  for (const d of DETECTORS) {
    fields.push(
      field({
        name: `${d.key}.enabled`,
        label: 'Enabled',
        kind: 'checkbox',
        value: data.settings[d.key].enabled,
      }),
    );
    for (const t of d.thresholds)
      fields.push(
        t.choices
          ? field({
              name: `${d.key}.${t.name}`,
              label: t.label,
              kind: 'select',
              options: t.choices,
              value: valueAt(data.settings, d.key, t.name) as string,
              hint: `Default ${choiceLabel(`${d.key}.${t.name}`, valueAt(data.defaults, d.key, t.name)).toLowerCase()}`,
            })
          : field({
              name: `${d.key}.${t.name}`,
              label: t.label,
              kind: 'number',
              value: valueAt(data.settings, d.key, t.name) as number,
              hint: `Default ${formatNumber(valueAt(data.defaults, d.key, t.name) as number)}`,
              attrs: { step: t.step ?? '1' },
            }),
      );
  }
  fields.push(
    field({
      name: 'auto_block',
      label: 'Block a serial when an impossible-travel or over-scanned alert opens',
      kind: 'checkbox',
      value: data.settings.auto_block,
    }),
  );
  return apiForm<OrgSettings>({
    label: 'Organisation alert settings',
    fields,
    layout: layout(fields),
    submitLabel: 'Save organisation settings',
    submit: () =>
      api<OrgSettings>('/v1/alerts/settings', {
        method: 'PUT',
        body: settingsBody(
          fields,
          (f) => (typeof f.value() === 'boolean' || CHOICES.has(f.name) ? f.value() : numberOf(f.value())),
          data.defaults,
        ),
      }),
    saved: (updated) => {
      data.settings = updated.settings;
      return `Saved. Detectors use the new settings within ${formatNumber(updated.applies_within_seconds)} seconds.`;
    },
  });
}

/** A brand's form: empty follows the organisation (shown as the placeholder); a value overrides it. */
function brandForm(brand: Brand, data: BrandSettings): HTMLFormElement {
  const org = data.organization_settings;
  const own = data.brand_settings as Partial<Settings>;
  const onOff = (v: unknown) => (v === undefined ? '' : v ? 'true' : 'false');
  const follow = (on: boolean) => ({ value: '', label: `As the organisation (${on ? 'on' : 'off'})` });
  const fields: Field[] = [];
  for (const d of DETECTORS) {
    fields.push(
      field({
        name: `${d.key}.enabled`,
        label: 'Enabled',
        kind: 'select',
        options: [
          follow(org[d.key].enabled),
          { value: 'true', label: 'On' },
          { value: 'false', label: 'Off' },
        ],
        value: onOff(valueAt(own, d.key, 'enabled')),
      }),
    );
    for (const t of d.thresholds)
      fields.push(
        t.choices
          ? field({
              name: `${d.key}.${t.name}`,
              label: t.label,
              kind: 'select',
              options: [
                {
                  value: '',
                  label: `As the organisation (${choiceLabel(`${d.key}.${t.name}`, valueAt(org, d.key, t.name)).toLowerCase()})`,
                },
                ...t.choices,
              ],
              value: (valueAt(own, d.key, t.name) as string | undefined) ?? '',
            })
          : field({
              name: `${d.key}.${t.name}`,
              label: t.label,
              kind: 'number',
              value: (valueAt(own, d.key, t.name) as number | undefined) ?? null,
              placeholder: String(valueAt(org, d.key, t.name)),
              hint: 'Empty: as the organisation',
              attrs: { step: t.step ?? '1' },
            }),
      );
  }
  fields.push(
    field({
      name: 'auto_block',
      label: 'Block a serial when an impossible-travel or over-scanned alert opens',
      kind: 'select',
      options: [follow(org.auto_block), { value: 'true', label: 'On' }, { value: 'false', label: 'Off' }],
      value: onOff(own.auto_block),
    }),
  );
  const read = (f: Field) => {
    const v = f.value();
    if (v === 'true' || v === 'false') return v === 'true';
    if (CHOICES.has(f.name)) return v === '' ? undefined : v;
    return f.name.endsWith('.enabled') || f.name === 'auto_block' ? undefined : numberOf(v);
  };
  return apiForm<BrandSettings>({
    label: `Alert settings of ${brand.name}`,
    fields,
    layout: layout(fields),
    submitLabel: `Save ${brand.name} settings`,
    submit: () =>
      api<BrandSettings>(`/v1/brands/${encodeURIComponent(brand.id)}/alert-settings`, {
        method: 'PUT',
        // A brand stores what it sets, even a value equal to the organisation's: that pins it.
        body: settingsBody(fields, read),
      }),
    saved: () => `Saved ${brand.name}'s settings.`,
  });
}

/** Read-only keys: the values in force, in words. */
function settingsList(s: Settings): HTMLElement {
  return el(
    'dl',
    { class: 'figures' },
    ...DETECTORS.flatMap((d) => [
      el('dt', {}, d.label),
      el(
        'dd',
        {},
        s[d.key].enabled ? 'On' : 'Off',
        ...d.thresholds.map(
          (t) =>
            ` · ${t.label}: ${t.choices ? choiceLabel(`${d.key}.${t.name}`, valueAt(s, d.key, t.name)) : formatNumber(valueAt(s, d.key, t.name) as number)}`,
        ),
      ),
    ]),
    el('dt', {}, 'Block automatically'),
    el('dd', {}, s.auto_block ? 'On' : 'Off'),
  );
}

export const alertSettingsPage: Page = {
  title: 'Alert settings',
  render(main: HTMLElement, { signal, org }: PageContext) {
    const manager = hasRole(org, 'manager');
    const orgTarget = el('div');
    const brandTarget = el('div');
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'When each detector opens an alert. A brand can set its own values over the organisation’s; anything nobody set is the default.',
      ),
      manager
        ? null
        : el(
            'p',
            { class: 'notice' },
            'Changing alert settings needs a manager key; this key can read them.',
          ),
      section('Organisation', orgTarget),
      section('Per brand', brandTarget),
    ]);
    void load(
      orgTarget,
      'alert settings',
      () => api<OrgSettings>('/v1/alerts/settings', { signal }),
      (data) => [
        el(
          'p',
          { class: 'hint' },
          data.updated_at ? `Last changed ${formatDateTime(data.updated_at)}.` : 'All defaults.',
        ),
        manager ? organizationForm(data) : settingsList(data.settings),
      ],
    );
    void load(
      brandTarget,
      'brands',
      () => api<ResponseOf<'/v1/brands'>>('/v1/brands', { signal }),
      ({ data: brands }) => {
        if (brands.length === 0)
          return empty('No brands yet: the organisation’s settings apply to every product.');
        const holder = el('div');
        const picker = field({
          name: 'brand',
          label: 'Brand',
          kind: 'select',
          options: [
            { value: '', label: 'Choose a brand…' },
            ...brands.map((b) => ({ value: b.id, label: b.name })),
          ],
        });
        picker.onChange(() => {
          const brand = brands.find((b) => b.id === picker.value());
          if (!brand) return replace(holder);
          void load(
            holder,
            `${brand.name}'s settings`,
            () => api<BrandSettings>(`/v1/brands/${encodeURIComponent(brand.id)}/alert-settings`, { signal }),
            (d) => (manager ? brandForm(brand, d) : settingsList(d.settings)),
          );
        });
        return [picker.root, holder];
      },
    );
  },
};
