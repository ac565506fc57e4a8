// Chromium driven by playwright-core, never a downloaded browser: Debian's (/usr/bin/chromium) when
// installed, else the one the @sparticuz/chromium package ships inside itself. E2E_CHROMIUM=system
// or =bundled forces one. A fresh profile per run; every console error, page error and failed
// request is collected so a test can assert there were none (a CSP violation is a console error).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'test-output', 'screenshots');

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChosenChromium {
  which: 'system' | 'bundled';
  executablePath: string;
  args: string[];
}

/** Which Chromium to drive: E2E_CHROMIUM when set, else Debian's if present, else the packaged one. */
export async function chooseChromium(
  wanted = process.env.E2E_CHROMIUM?.trim() || 'auto',
): Promise<ChosenChromium> {
  if (!['auto', 'system', 'bundled'].includes(wanted)) {
    throw new Error(`E2E_CHROMIUM must be "system" or "bundled" (or unset), not ${JSON.stringify(wanted)}`);
  }
  if (wanted === 'system' || (wanted === 'auto' && existsSync(SYSTEM_CHROMIUM))) {
    if (!existsSync(SYSTEM_CHROMIUM))
      throw new Error(`E2E_CHROMIUM=system but ${SYSTEM_CHROMIUM} is missing`);
    return { which: 'system', executablePath: SYSTEM_CHROMIUM, args: ARGS };
  }
  // Unpacked into the system temp directory on first use (about 2.5 s), then reused.
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  return { which: 'bundled', executablePath, args: [...new Set([...packaged.args, ...ARGS])] };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and failed requests seen so far. */
  problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(options: { timezoneId: string; locale: string }): Promise<Browser> {
  const browser = await chooseChromium();
  console.log(`e2e: driving ${browser.which} Chromium (${browser.executablePath})`);
  const profile = mkdtempSync(join(tmpdir(), 'dle-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    timezoneId: options.timezoneId,
    locale: options.locale,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every 4xx answer; the API's refusals are expected in some steps, and the page shows them
    // in words.
    if (
      m.type() === 'error' &&
      !m.text().startsWith('Failed to load resource: the server responded with a status of 4')
    )
      problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Leaving a page aborts its requests on purpose (AbortController); anything else is a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs the page in with an API key through the sign-in form, as a person would. */
export async function signInWithKey(browser: Browser, baseUrl: string, key: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${baseUrl}/dashboard/#/sign-in`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}
