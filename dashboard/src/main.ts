// The dashboard's entry: the page shell (banner, navigation, main), a hash router (#/overview …),
// and sign-in. Every figure comes from the JSON API under /v1 with the tab's API key.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { api, whenUnauthorized } from './api';
import { el, replace } from './dom';
import { forgetProducts } from './filters';
import type { Organization, Page, PageContext } from './page';
import { alertsPage } from './pages/alerts';
import { breakdownsPage } from './pages/breakdowns';
import { completenessPage } from './pages/completeness';
import { mapPage } from './pages/map';
import { overviewPage } from './pages/overview';
import { recallsPage } from './pages/recalls';
import { rulesPage } from './pages/rules';
import { searchPage } from './pages/search';
import { signInForm } from './pages/sign-in';
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
};
const NAV: [string, string][] = [
  ['overview', 'Overview'],
  ['map', 'Map'],
  ['breakdowns', 'Breakdowns'],
  ['search', 'Search'],
  ['completeness', 'Completeness'],
  ['alerts', 'Alerts'],
  ['recalls', 'Recalls'],
  ['rules', 'Rules'],
];

const root = document.getElementById('app')!;
let organization: Organization | null = null;
let current: AbortController | undefined;
let signInNotice: string | undefined;

const routeName = () => location.hash.replace(/^#\/?/, '').split('?')[0] || 'overview';

function shell(org: Organization, active: string): { main: HTMLElement } {
  const main = el('main', { id: 'main', tabindex: -1 });
  const skip = el('a', { class: 'skip-link', href: '#main' }, 'Skip to content');
  skip.addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  const signOutButton = el('button', { type: 'button', class: 'link-button' }, 'Sign out');
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
        el('span', { class: 'role' }, `${org.key.role} key`),
      ),
      signOutButton,
    ),
    el(
      'nav',
      { 'aria-label': 'Dashboard sections', class: 'sections' },
      el(
        'ul',
        {},
        ...NAV.map(([name, label]) =>
          el(
            'li',
            {},
            el('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : null }, label),
          ),
        ),
      ),
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

  if (!apiKey() || name === 'sign-in') {
    if (apiKey() && name === 'sign-in') signOut();
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

function onSignedIn(org: Organization): void {
  organization = org;
  forgetProducts();
  if (routeName() === 'sign-in' || location.hash === '') location.hash = '#/overview';
  else void route(true);
}

whenUnauthorized((message) => {
  signOut();
  organization = null;
  signInNotice = `Signed out: ${message}`;
  location.hash = '#/sign-in';
});

window.addEventListener('hashchange', () => void route(true));
void route(false);
