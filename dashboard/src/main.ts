// The dashboard's entry: the page shell (banner, navigation, main), a hash router (#/overview …),
// and sign-in. Every figure comes from the JSON API under /v1 with the tab's API key, or, where
// the operator put the dashboard behind Cloudflare Access, as the person Access signed in.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ApiFailure, api, whenUnauthorized } from './api';
import { el, replace, uid } from './dom';
import { forgetProducts } from './filters';
import type { Organization, Page, PageContext } from './page';
import { alertSettingsPage } from './pages/alert-settings';
import { alertsPage } from './pages/alerts';
import { apiKeysPage } from './pages/api-keys';
import { breakdownsPage } from './pages/breakdowns';
import { completenessPage } from './pages/completeness';
import { linksPage } from './pages/links';
import { mapPage } from './pages/map';
import { overviewPage } from './pages/overview';
import { productsPage } from './pages/products';
import { recallsPage } from './pages/recalls';
import { rulesPage } from './pages/rules';
import { searchPage } from './pages/search';
import { signInForm } from './pages/sign-in';
import { storesPage } from './pages/stores';
import { webhooksPage } from './pages/webhooks';
import { apiKey, signOut } from './session';

const PAGES: Record<string, Page> = {
  overview: overviewPage,
  map: mapPage,
  breakdowns: breakdownsPage,
  search: searchPage,
  completeness: completenessPage,
  alerts: alertsPage,
  recalls: recallsPage,
  rules: rulesPage,
  links: linksPage,
  products: productsPage,
  stores: storesPage,
  'api-keys': apiKeysPage,
  webhooks: webhooksPage,
  'alert-settings': alertSettingsPage,
};
// Two groups: what the brand reads, and what it sets up.
const NAV: { label: string; pages: [string, string][] }[] = [
  {
    label: 'Analytics',
    pages: [
      ['overview', 'Overview'],
      ['map', 'Map'],
      ['breakdowns', 'Breakdowns'],
      ['search', 'Search'],
      ['completeness', 'Completeness'],
      ['alerts', 'Alerts'],
      ['recalls', 'Recalls'],
    ],
  },
  {
    label: 'Manage',
    pages: [
      ['rules', 'Rules'],
      ['links', 'Links'],
      ['products', 'Products'],
      ['stores', 'Stores'],
      ['api-keys', 'API keys'],
      ['webhooks', 'Webhooks'],
      ['alert-settings', 'Alert settings'],
    ],
  },
];

const root = document.getElementById('app')!;
let organization: Organization | null = null;
let current: AbortController | undefined;
let signInNotice: string | undefined;
/** Whether this page load has asked the server who Access says the person is (once: reload asks again). */
let accessProbed = false;

/** Where Cloudflare Access ends the person's session (it serves this path on every protected host). */
const ACCESS_LOGOUT = '/cdn-cgi/access/logout';
const signedInByAccess = (org: Organization) => org.principal.kind === 'access';

const routeName = () => location.hash.replace(/^#\/?/, '').split('?')[0] || 'overview';

function shell(org: Organization, active: string): { main: HTMLElement } {
  const main = el('main', { id: 'main', tabindex: -1 });
  const skip = el('a', { class: 'skip-link', href: '#main' }, 'Skip to content');
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  const signOutButton = signedInByAccess(org)
    ? el('a', { class: 'link-button', href: ACCESS_LOGOUT }, 'Sign out')
    : el('button', { type: 'button', class: 'link-button' }, 'Sign out');
  if (!signedInByAccess(org))
    signOutButton.addEventListener('click', () => {
      signOut();
      organization = null;
      forgetProducts();
      signInNotice = 'You are signed out. The key was removed from this tab.';
      location.hash = '#/sign-in';
    });
  replace(
    root,
    skip,
    el(
      'header',
      { class: 'topbar' },
      el('p', { class: 'brand' }, 'Digital Link Edge'),
      el(
        'p',
        { class: 'org' },
        el('span', { class: 'org-name' }, org.name),
        ...(org.principal.email
          ? [
              el('span', { class: 'person' }, org.principal.email),
              el('span', { class: 'role' }, org.principal.role),
            ]
          : [el('span', { class: 'role' }, `${org.key.role} key`)]),
      ),
      signOutButton,
    ),
    el(
      'nav',
      { 'aria-label': 'Dashboard sections', class: 'sections' },
      ...NAV.map((group) => {
        const id = uid('nav');
        return el(
          'div',
          { class: 'nav-group' },
          el('p', { id, class: 'nav-label' }, group.label),
          el(
            'ul',
            { 'aria-labelledby': id },
            ...group.pages.map(([name, label]) =>
              el(
                'li',
                {},
                el('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : null }, label),
              ),
            ),
          ),
        );
      }),
    ),
    main,
    el(
      'footer',
      { class: 'footer' },
      el(
        'p',
        {},
        'Figures from the Digital Link Edge API. Times in ',
        Intl.DateTimeFormat().resolvedOptions().timeZone,
        '.',
      ),
    ),
  );
  return { main };
}

async function route(focus: boolean): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const name = routeName();

  if (!apiKey() && !organization && !accessProbed && name !== 'sign-in') {
    accessProbed = true;
    organization = await signedInThroughAccess(controller.signal);
    if (controller.signal.aborted) return;
  }
  if ((!apiKey() && !organization) || name === 'sign-in') {
    if (apiKey() && name === 'sign-in') signOut();
    organization = null;
    document.title = 'Sign in — Digital Link Edge';
    replace(root, signInForm(signInNotice, onSignedIn));
    signInNotice = undefined;
    return;
  }
  if (!organization) {
    replace(
      root,
      el('main', { id: 'main' }, el('p', { class: 'status', role: 'status' }, 'Loading your organisation…')),
    );
    try {
      organization = await api<Organization>('/v1/organization', { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) return;
      // A 401 has already sent us to sign in (whenUnauthorized); anything else is shown there too.
      if (apiKey()) {
        signInNotice = error instanceof Error ? error.message : 'Could not load your organisation.';
        signOut();
      }
      location.hash = '#/sign-in';
      return;
    }
  }
  const page = PAGES[name] ?? PAGES.overview!;
  const active = PAGES[name] ? name : 'overview';
  document.title = `${page.title} — Digital Link Edge`;
  const { main } = shell(organization, active);
  const heading = el('h1', { tabindex: -1 }, page.title);
  main.append(heading);
  const context: PageContext = { signal: controller.signal, org: organization };
  page.render(main, context);
  if (focus) heading.focus();
}

/**
 * The person Cloudflare Access signed in (its cookie alone, no key), or null: Access is off here,
 * or the person is no member (the server's words then wait on the sign-in form).
 */
async function signedInThroughAccess(signal: AbortSignal): Promise<Organization | null> {
  replace(
    root,
    el('main', { id: 'main' }, el('p', { class: 'status', role: 'status' }, 'Checking your sign-in…')),
  );
  try {
    return await api<Organization>('/v1/organization', { key: '', signal });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) signInNotice = error.message;
    return null;
  }
}

function onSignedIn(org: Organization): void {
  organization = org;
  forgetProducts();
  if (routeName() === 'sign-in' || location.hash === '') location.hash = '#/overview';
  else void route(true);
}

whenUnauthorized((message) => {
  signOut();
  const byAccess = organization !== null && signedInByAccess(organization);
  organization = null;
  signInNotice = byAccess ? message : `Signed out: ${message}`;
  location.hash = '#/sign-in';
});

window.addEventListener('hashchange', () => void route(true));
void route(false);
