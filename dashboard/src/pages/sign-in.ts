// Sign-in with an API key: checked against GET /v1/organization, then kept for this tab only.
import { api } from '../api';
import { el } from '../dom';
import type { Organization } from '../page';
import { signIn } from '../session';
import { errorMessage } from '../widgets';

export function signInForm(notice: string | undefined, onSignedIn: (org: Organization) => void): HTMLElement {
  const input = el('input', {
    id: 'api-key',
    name: 'api-key',
    type: 'password',
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'dle_…',
    'aria-describedby': 'api-key-hint',
  });
  const button = el('button', { type: 'submit' }, 'Sign in');
  const status = el('p', { class: 'status error', role: 'alert', hidden: !notice }, notice ?? '');
  const form = el(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el(
      'small',
      { id: 'api-key-hint', class: 'hint' },
      'Kept in this tab only (sessionStorage) and sent only to this server, in the Authorization header. Closing the tab forgets it.',
    ),
    button,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    status.hidden = false;
    status.className = 'status';
    status.setAttribute('role', 'status');
    status.textContent = 'Checking the key…';
    try {
      const org = await api<Organization>('/v1/organization', { key });
      signIn(key);
      onSignedIn(org);
    } catch (error) {
      status.className = 'status error';
      status.setAttribute('role', 'alert');
      status.textContent = errorMessage(error);
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  return el(
    'main',
    { id: 'main', class: 'sign-in-page' },
    el('h1', { id: 'sign-in-title' }, 'Digital Link Edge'),
    el(
      'p',
      { class: 'lede' },
      'Scan analytics, search performance, data completeness, alerts and resolution rules for your brand. Sign in with an API key of your organisation.',
    ),
    form,
  );
}
