// The dashboard behind Cloudflare Access, end to end: the Worker served locally with Access turned
// on, the team's JWKS served from a key pair made here, and Chromium carrying the CF_Authorization
// cookie Access would have set. No key is typed: the person goes straight in with their role.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

const TEAM = 'acme-e2e';
const AUD = 'e2e-access-application-aud-tag';
const KID = 'e2e-kid';

let worker: DemoWorker;
let browser: Browser;
let jwks: Server;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;

async function token(email: string): Promise<string> {
  return new SignJWT({ email, type: 'app' })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuer(`https://${TEAM}.cloudflareaccess.com`)
    .setAudience(AUD)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(keys.privateKey);
}

/** Chromium as Access leaves it after the person signed in: the cookie on the dashboard's host. */
async function signedInAs(email: string | null): Promise<void> {
  await browser.context.clearCookies();
  if (email)
    await browser.context.addCookies([
      { name: 'CF_Authorization', value: await token(email), url: worker.url },
    ]);
  await browser.page.goto('about:blank');
  await browser.page.goto(`${worker.url}/dashboard/`);
}

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  worker = await startDemoWorker({
    vars: {
      ACCESS_TEAM_DOMAIN: TEAM,
      ACCESS_AUD: AUD,
      ACCESS_JWKS_URL: `http://127.0.0.1:${port}/cdn-cgi/access/certs`,
    },
  });
  await worker.api('/v1/access-members', {
    method: 'POST',
    body: { email: 'ana@brand.example', role: 'editor' },
  });
  await worker.api('/v1/access-members', {
    method: 'POST',
    body: { email: 'rita@brand.example', role: 'readonly' },
  });
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
  await new Promise((resolve) => jwks?.close(resolve));
});

describe('the dashboard behind Cloudflare Access', () => {
  it('without Access, shows the API-key sign-in as before', async () => {
    await signedInAs(null);
    await browser.page.getByLabel('API key').waitFor();
    expect(await browser.page.getByRole('alert').isHidden()).toBe(true);
  });

  it('lets a member straight in, with their email and role, and no key in the tab', async () => {
    const { page } = browser;
    await signedInAs('Ana@Brand.Example');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.org-name').textContent()).toBe('Demo Foods');
    expect(await page.locator('.org .person').textContent()).toBe('ana@brand.example');
    expect(await page.locator('.org .role').textContent()).toBe('editor');
    const signOut = page.getByRole('link', { name: 'Sign out' });
    expect(await signOut.getAttribute('href')).toBe('/cdn-cgi/access/logout');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await browser.screenshot('access-01-signed-in');
  });

  it('lets an editor switch a rule off and on, logged under their email', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Rules' }).click();
    const rules = (await worker.api<{ data: { id: string }[] }>('/v1/rules?limit=200')).data;
    const rule = rules[0]!;
    const box = page.locator(`li.rule[data-rule-id="${rule.id}"] input[type="checkbox"]`);
    await box.uncheck();
    await expect
      .poll(async () => (await worker.api<{ enabled: boolean }>(`/v1/rules/${rule.id}`)).enabled)
      .toBe(false);
    await box.check();
    await expect
      .poll(async () => (await worker.api<{ enabled: boolean }>(`/v1/rules/${rule.id}`)).enabled)
      .toBe(true);
    const log = await worker.api<{ data: { actor: string; resource_id: string; method: string }[] }>(
      '/v1/audit-log?actor=ana@brand.example',
    );
    expect(log.data.filter((e) => e.resource_id === rule.id).map((e) => e.actor)).toEqual([
      'ana@brand.example',
      'ana@brand.example',
    ]);
  });

  it('shows a readonly member no write controls', async () => {
    const { page } = browser;
    await signedInAs('rita@brand.example');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.org .role').textContent()).toBe('readonly');
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.locator('li.rule').first().waitFor();
    expect(await page.locator('li.rule input[type="checkbox"]:enabled').count()).toBe(0);
    expect(await page.locator('li.rule button:enabled').count()).toBe(0);
    // Told in the words of how they signed in: no key to ask for, an admin to ask.
    expect(await page.locator('.notice').textContent()).toBe(
      "You have read-only access: ask your organisation's admin for editor access to change rules.",
    );
  });

  it('tells a person who is no member to ask their admin, on the key sign-in', async () => {
    const { page } = browser;
    await signedInAs('stranger@elsewhere.example');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/stranger@elsewhere\.example is not a member.*ask your organisation's admin/);
    await page.getByLabel('API key').waitFor();
    await browser.screenshot('access-02-not-a-member');
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await signedInAs('ana@brand.example');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot('access-03-phone');
  });

  it('saw no console errors, page errors or failed requests', () => {
    expect(browser.problems).toEqual([]);
  });
});
