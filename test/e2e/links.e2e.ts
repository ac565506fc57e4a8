// The links page end to end: Chromium against the demo Worker. A brand creates an entity, adds a
// link by its GS1 link type's title, sees it in the linkset the resolver serves, makes it the
// default and deletes it; a bad URL is refused beside its field; a read-only key sees no write
// controls; phone width does not scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit.ts';
import { type Browser, openBrowser, SCREENSHOTS, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

let worker: DemoWorker;
let browser: Browser;

// Inside the demo organisation's company prefix (950600), unused by the demo data.
const GTIN = withCheckDigit('0950600077001');
const ANCHOR = `/01/${GTIN}`;

interface Entity {
  id: string;
  anchor: string;
  links: { link_type: string; href: string; title: string; default: boolean }[];
}
const entity = async () =>
  (await worker.api<{ data: Entity[] }>(`/v1/links?key_ai=01&key_value=${GTIN}`)).data[0];

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

const signIn = (key: string) => signInWithKey(browser, worker.url, key);

const panel = () => browser.page.locator(`section.entity[data-anchor="${ANCHOR}"]`);

describe('links page', () => {
  it('lists the demo entities under Manage', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await page.getByRole('link', { name: 'Links' }).click();
    await page.getByRole('heading', { level: 1, name: 'Links' }).waitFor();
    const demo = await worker.api<{ data: Entity[] }>('/v1/links?limit=100');
    await page.locator('section.entity').first().waitFor();
    expect(await page.locator('section.entity').count()).toBe(demo.data.length);
    await page.getByRole('heading', { level: 2, name: demo.data[0]!.anchor, exact: true }).waitFor();
  });

  it('creates an entity with its first link, the link type chosen by its title', async () => {
    const { page } = browser;
    await page.getByText('New entity', { exact: true }).click();
    const form = page.getByRole('form', { name: 'New entity' });
    await form.getByLabel('GTIN').fill(GTIN);
    await form.getByLabel('Item description').fill('Oat drink 1 l');
    await form.getByLabel('Link type').selectOption({ label: 'Product Information Page' });
    await form.getByLabel('Title').fill('Product page');
    await form.getByLabel('Target URL').fill('https://brand.example/oat');
    await form.getByRole('button', { name: 'Create entity' }).click();
    await page.getByText(`Created ${ANCHOR}.`).waitFor();
    await panel().waitFor();
    expect(await entity()).toMatchObject({
      anchor: ANCHOR,
      links: [
        { link_type: 'gs1:pip', href: 'https://brand.example/oat', title: 'Product page', default: true },
      ],
    });
  });

  it('refuses a bad target URL beside its field, in the API’s words', async () => {
    const { page } = browser;
    await panel().getByRole('button', { name: 'Add a link' }).click();
    const form = page.getByRole('form', { name: `New link for ${ANCHOR}` });
    await form.getByLabel('Link type').selectOption({ label: 'Recipe website' });
    await form.getByLabel('Title').fill('Recipes');
    await form.getByLabel('Target URL').fill('recipes please');
    await form.getByRole('button', { name: 'Add link' }).click();
    const error = form
      .locator('.field.invalid', { has: page.getByLabel('Target URL') })
      .locator('.field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('href must be an absolute http(s) URL');
    expect(await form.getByLabel('Target URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('links.1.href');
    expect((await entity())!.links).toHaveLength(1);
  });

  it('adds the link once fixed, and shows it in the linkset the resolver serves', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: `New link for ${ANCHOR}` });
    await form.getByLabel('Target URL').fill('https://brand.example/oat/recipes');
    await form.getByLabel('Languages').fill('en, fr');
    await form.getByRole('button', { name: 'Add link' }).click();
    await page.getByText(`Saved link “Recipes” of ${ANCHOR}.`).waitFor();
    const row = panel().getByRole('row', { name: /Recipes/ });
    expect(await row.textContent()).toContain('Recipe website');
    expect((await entity())!.links.map((l) => [l.link_type, l.default])).toEqual([
      ['gs1:pip', true],
      ['gs1:recipeInfo', false],
    ]);

    await panel().getByText('Linkset as the resolver serves it').click();
    const level = panel().locator('.linkset-level');
    await level.first().waitFor();
    const recipe = level.getByRole('listitem').filter({ hasText: 'Recipe website' });
    expect(await recipe.textContent()).toBe(
      'Recipe website: Recipes → https://brand.example/oat/recipes (en, fr)',
    );
    // The same linkset as a linkset request to the resolver itself.
    const served = (await (
      await fetch(`${worker.url}${ANCHOR}?linkType=linkset`, {
        headers: { accept: 'application/linkset+json' },
      })
    ).json()) as { linkset: { anchor: string }[] };
    expect(await level.locator('code').allTextContents()).toEqual(served.linkset.map((l) => l.anchor));
    await panel().screenshot({ path: `${SCREENSHOTS}/links-entity.png` });
  });

  it('makes the recipe link the default, then deletes it', async () => {
    const { page } = browser;
    await panel().getByRole('button', { name: 'Make “Recipes” the default' }).click();
    await page.getByText('“Recipes” is now the default link.').waitFor();
    expect((await entity())!.links.map((l) => [l.title, l.default])).toEqual([
      ['Product page', false],
      ['Recipes', true],
    ]);
    expect(
      await panel()
        .getByRole('row', { name: /Recipes/ })
        .textContent(),
    ).toContain('Default');

    await panel()
      .getByRole('row', { name: /Recipes/ })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await panel().getByRole('button', { name: 'Confirm delete “Recipes”' }).click();
    await page.getByText('Link deleted.').waitFor();
    // The link left takes over as the default.
    expect((await entity())!.links.map((l) => [l.title, l.default])).toEqual([['Product page', true]]);
    expect(
      await panel()
        .getByRole('row', { name: /Recipes/ })
        .count(),
    ).toBe(0);
  });

  it('makes an entity for every lot with a wildcard, filled from the scan, and edits its link', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'New entity' });
    await form.getByLabel('GTIN').fill(GTIN);
    await form.getByLabel('Lot (optional)').fill('{lot}');
    await form.getByLabel('Item description').fill('Oat drink, any lot');
    await form.getByLabel('Link type').selectOption({ label: 'Certification Information' });
    await form.getByLabel('Title').fill('Lot certificate');
    await form.getByLabel('Target URL').fill('https://brand.example/certs?lot={lot}');
    await form.getByRole('button', { name: 'Create entity' }).click();
    const wild = page.locator(`section.entity[data-anchor="${ANCHOR}/10/{lot}"]`);
    await wild.waitFor();
    await wild.getByText('Linkset as the resolver serves it').click();
    const cert = wild
      .locator('.linkset-level')
      .first()
      .getByRole('listitem')
      .filter({ hasText: 'Certification' });
    expect(await cert.textContent()).toBe(
      'Certification Information: Lot certificate → https://brand.example/certs?lot=EXAMPLE',
    );
    expect(await wild.locator('.linkset-level code').allTextContents()).toEqual([
      `${worker.url}${ANCHOR}/10/EXAMPLE`,
      `${worker.url}${ANCHOR}`,
    ]);

    await wild.getByRole('button', { name: 'Edit “Lot certificate”' }).click();
    const edit = page.getByRole('form', { name: 'Edit link “Lot certificate”' });
    expect(await edit.getByLabel('Target URL').inputValue()).toBe('https://brand.example/certs?lot={lot}');
    await edit.getByLabel('Title').fill('Certificate of this lot');
    await edit.getByRole('button', { name: 'Save link' }).click();
    await page.getByText(`Saved link “Certificate of this lot” of ${ANCHOR}/10/{lot}.`).waitFor();
    const stored = (await worker.api<{ data: Entity[] }>(`/v1/links?key_ai=01&key_value=${GTIN}`)).data;
    expect(stored.find((e) => e.anchor.endsWith('/10/{lot}'))!.links).toMatchObject([
      { link_type: 'gs1:certificationInfo', title: 'Certificate of this lot', default: true },
    ]);
  });

  it('has no sideways scroll at phone width', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await panel().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('links-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a read-only key the links and linkset, but no write controls', async () => {
    const { page } = browser;
    const { key } = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'Auditor', role: 'readonly' },
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(key);
    await page.goto(`${worker.url}/dashboard/#/links`);
    await panel().waitFor();
    await page.getByText('This key is read-only').waitFor();
    for (const name of [/^Add a link$/, /^Edit/, /^Delete/, /^Make/, /^Create entity$/])
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    expect(await page.getByText('New entity', { exact: true }).count()).toBe(0);
    await panel().getByText('Linkset as the resolver serves it').click();
    await panel().locator('.linkset-level').first().waitFor();
    expect(browser.problems).toEqual([]);
  });
});
