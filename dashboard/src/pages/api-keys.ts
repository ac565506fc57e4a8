// API keys: the organisation's keys (GET /v1/api-keys), a new one with its role and expiry shown
// once (POST), and revoke (DELETE /v1/api-keys/:id). The API serves all of this to manager and
// owner keys only, and no key may create or revoke a key more powerful than itself.
import { api, type ResponseOf, type Schema } from '../api';
import { append, el, replace } from '../dom';
import { formatDateTime } from '../format';
import { apiForm, confirmButton, field, say, secretOnce } from '../forms';
import { grantableRoles, hasRole, type Page, type PageContext } from '../page';
import { empty, errorMessage, load, section, table } from '../widgets';

type ApiKey = Schema<'ApiKey'>;
type CreatedKey = ResponseOf<'/v1/api-keys', 'post'>;
type Role = ApiKey['role'];

const ROLE_WORDS: Record<Role, string> = {
  owner: 'Owner: everything, including owner keys',
  manager: 'Manager: keys, stores, webhooks and settings',
  editor: 'Editor: rules, links and products',
  readonly: 'Read-only: reads only',
};

/** A `datetime-local` value (the browser's zone) as the instant the API takes, or undefined. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(local);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : local;
}

function state(k: ApiKey, now: number): HTMLElement {
  if (k.revoked_at) return el('span', { class: 'badge danger' }, `Revoked ${formatDateTime(k.revoked_at)}`);
  if (k.expires_at && Date.parse(k.expires_at) <= now) return el('span', { class: 'badge muted' }, 'Expired');
  return el('span', { class: 'badge confidence-confirmed' }, 'Active');
}

export const apiKeysPage: Page = {
  title: 'API keys',
  render(main: HTMLElement, { signal, org }: PageContext) {
    append(main, [
      el(
        'p',
        { class: 'lede' },
        'Keys let people and systems use the API and this dashboard. A key is shown once, when it is made; only its first characters are kept to tell it apart.',
      ),
    ]);
    if (!hasRole(org, 'manager')) {
      main.append(
        el(
          'p',
          { class: 'notice' },
          `Only manager and owner keys can see and manage keys; this is ${org.key.role === 'editor' ? 'an editor' : 'a read-only'} key.`,
        ),
      );
      return;
    }
    const shown = el('div');
    const listTarget = el('div');
    const listStatus = el('p', { class: 'form-status', role: 'status' });

    const reload = () =>
      void load(
        listTarget,
        'keys',
        () => api<ResponseOf<'/v1/api-keys'>>('/v1/api-keys', { signal }),
        ({ data }) => {
          if (data.length === 0) return empty('No keys yet.');
          const now = Date.now();
          return table<ApiKey>(
            'Keys of this organisation',
            [
              { label: 'Name', cell: (k) => el('strong', {}, k.name) },
              { label: 'Key', cell: (k) => el('code', {}, `${k.prefix}…`) },
              { label: 'Role', cell: (k) => k.role },
              { label: 'Created', cell: (k) => formatDateTime(k.created_at) },
              {
                label: 'Last used',
                cell: (k) => (k.last_used_at ? formatDateTime(k.last_used_at) : 'Never'),
              },
              { label: 'Expires', cell: (k) => (k.expires_at ? formatDateTime(k.expires_at) : 'Never') },
              { label: 'State', cell: (k) => state(k, now) },
              {
                label: 'Revoke',
                cell: (k) =>
                  k.revoked_at || !hasRole(org, k.role)
                    ? null
                    : k.id === org.key.id
                      ? el('span', { class: 'hint' }, 'This key')
                      : confirmButton(`Revoke ${k.name}`, `Confirm revoke ${k.name}`, async () => {
                          try {
                            await api(`/v1/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
                            say(listStatus, `Revoked ${k.name}: it no longer works.`);
                            reload();
                          } catch (error) {
                            say(listStatus, errorMessage(error), true);
                          }
                        }),
              },
            ],
            data,
          );
        },
      );

    const name = field({ name: 'name', label: 'Key name', required: true, hint: 'Who or what uses it' });
    const roles = grantableRoles(org);
    const role = field({
      name: 'role',
      label: 'Role',
      kind: 'select',
      options: [...roles].reverse().map((r) => ({ value: r, label: ROLE_WORDS[r] })),
      value: roles.includes('readonly') ? 'readonly' : roles[0],
      hint: 'At most your own key’s role',
    });
    const expires = field({
      name: 'expires_at',
      label: 'Expires',
      kind: 'datetime-local',
      hint: 'Empty: never expires',
    });
    const form = apiForm<CreatedKey>({
      label: 'Create a key',
      fields: [name, role, expires],
      submitLabel: 'Create key',
      submit: () =>
        api<CreatedKey>('/v1/api-keys', {
          method: 'POST',
          body: {
            name: name.value(),
            role: role.value(),
            expires_at: instant(String(expires.value())),
          },
        }),
      saved: (created) => {
        replace(shown, secretOnce('New API key', created.key, `The ${created.role} key “${created.name}”`));
        name.set('');
        expires.set('');
        reload();
        return `Created ${created.name}.`;
      },
    });
    main.append(section('Create a key', form, shown), section('Keys', listTarget, listStatus));
    reload();
  },
};
