// The products page end to end: Chromium against the demo Worker. A completeness recommendation
// opens its product with the field that fixes it focused; fixing it makes the recommendation go;
// a bad value is refused beside its field; a recalled lot is recorded with its date; a read-only
// key sees no write controls; phone width does not scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src/digital-link/check-digit.ts';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

let worker: DemoWorker;
let browser: Browser;

interface Recommendation {
  field: string;
  issue: string;
  message: string;
}
interface Completeness {
  products: { gtin: string; name: string | null; recommendations: Recommendation[] }[];
}
interface Product {
  id: string;
  gtin: string;
  fields: Record<string, { value: unknown; source: string; confidence: number }>;
  recalled_lots: { lot: string; recalled_at: string | null; reason: string | null }[];
  completeness: { recommendations: Recommendation[] };
}

// Fields a sentence fixes: the test types one in.
const TEXT_FIELDS = new Set(['description', 'ingredients', 'category', 'brand']);
let target: { gtin: string; name: string | null; rec: Recommendation };

/** An accessible name that begins with `text` (a recommendation's message, then its points). */
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

const product = async (gtin: string) =>
  (await worker.api<{ data: Product[] }>(`/v1/products?gtin=${gtin}`)).data[0]!;

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

const signIn = (key: string) => signInWithKey(browser, worker.url, key);

describe('products page', () => {
  it('opens a product from a completeness recommendation, with its field focused', async () => {
    const { page } = browser;
    await signIn(worker.key);
    const report = await worker.api<Completeness>('/v1/analytics/completeness?limit=100');
    const found = report.products
      .slice()
      .reverse()
      .flatMap((p) =>
        p.recommendations
          .slice(0, 3)
          .filter((r) => r.issue === 'missing' && TEXT_FIELDS.has(r.field))
          .map((rec) => ({ gtin: p.gtin, name: p.name, rec })),
      )[0];
    expect(found, 'a demo product missing a text field').toBeDefined();
    target = found!;
    await page.getByRole('link', { name: 'Completeness' }).click();
    const row = page.getByRole('row').filter({ hasText: target.gtin });
    await row.getByRole('link', { name: target.rec.message }).click();
    await page.waitForFunction(
      (name) => document.activeElement?.getAttribute('name') === name,
      `fields.${target.rec.field}`,
    );
    expect(new URL(page.url()).hash).toBe(`#/products?gtin=${target.gtin}&field=${target.rec.field}`);
    await page.getByRole('heading', { level: 2, name: new RegExp(target.gtin) }).waitFor();
  });

  it('shows each field with its source and confidence as the API gives them', async () => {
    const { page } = browser;
    const p = await product(target.gtin);
    const [name, stored] = Object.entries(p.fields)[0]!;
    const hint = await page
      .locator('.field', { has: page.locator(`[name="fields.${name}"]`) })
      .locator('.hint')
      .textContent();
    expect(hint).toContain(`confidence ${Math.round(stored.confidence * 100)}%`);
  });

  it('refuses a bad country of origin beside its field, in the API’s words', async () => {
    const { page } = browser;
    await page.getByLabel('Country of origin').fill('Narnia');
    await page.getByRole('button', { name: 'Save product' }).click();
    const error = page
      .locator('.field.invalid', { has: page.getByLabel('Country of origin') })
      .locator('.field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('must be an ISO 3166-1 alpha-2 country code, like "FR"');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'fields.country_of_origin',
    );
  });

  it('saves the fix, and the recommendation is gone from completeness', async () => {
    const { page } = browser;
    const before = await product(target.gtin);
    await page.getByLabel('Country of origin').fill(String(before.fields.country_of_origin?.value ?? 'FR'));
    await page.locator(`[name="fields.${target.rec.field}"]`).fill('Written by the brand in the dashboard.');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByText('Saved the product.').waitFor();
    const after = await product(target.gtin);
    expect(after.fields[target.rec.field]).toEqual({
      value: 'Written by the brand in the dashboard.',
      source: 'brand',
      confidence: 1,
    });
    // Fields not touched keep their source and confidence.
    for (const [name, stored] of Object.entries(before.fields))
      if (name !== target.rec.field && name !== 'country_of_origin')
        expect(after.fields[name]).toEqual(stored);
    expect(after.completeness.recommendations.map((r) => r.field)).not.toContain(target.rec.field);

    await page.getByRole('link', { name: 'Completeness' }).click();
    const row = page.getByRole('row').filter({ hasText: target.gtin });
    await row.waitFor();
    expect(await row.getByRole('link', { name: target.rec.message }).count()).toBe(0);
  });

  it('records a recalled lot and shows its recall date', async () => {
    const { page } = browser;
    await page.goto(`${worker.url}/dashboard/#/products?gtin=${target.gtin}`);
    const form = page.getByRole('form', { name: 'Record a recalled lot' });
    await form.getByLabel('Lot').fill('LOT42');
    await form.getByLabel('Recalled on').fill('2026-11-30T09:30');
    await form.getByLabel('Reason').fill('Undeclared sesame');
    await form.getByRole('button', { name: 'Record recall' }).click();
    await page.getByText('Saved the recalled lots.').waitFor();
    const row = page.getByRole('table', { name: 'Recalled lots' }).getByRole('row', { name: /LOT42/ });
    expect(await row.textContent()).toContain('30 Nov 2026');
    expect(await row.textContent()).toContain('Undeclared sesame');
    const lots = (await product(target.gtin)).recalled_lots;
    await browser.screenshot('product');
    expect(lots).toContainEqual({
      lot: 'LOT42',
      recalled_at: '2026-11-30T08:30:00.000Z',
      reason: 'Undeclared sesame',
    });
  });

  it('confirms a low-confidence value from the product’s own recommendation', async () => {
    const { page } = browser;
    const report = await worker.api<Completeness>('/v1/analytics/completeness?limit=100');
    const low = report.products.flatMap((p) =>
      p.recommendations.filter((r) => r.issue === 'low_confidence').map((rec) => ({ gtin: p.gtin, rec })),
    )[0];
    expect(low, 'a demo product with a low-confidence field').toBeDefined();
    const before = await product(low!.gtin);
    await page.goto(`${worker.url}/dashboard/#/products?gtin=${low!.gtin}`);
    await page.getByRole('button', { name: startsWith(low!.rec.message) }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      `fields.${low!.rec.field}`,
    );
    await page
      .locator('.field', { has: page.locator(`[name="fields.${low!.rec.field}"]`) })
      .getByRole('checkbox', { name: /^Confirm this .* as correct$/ })
      .check();
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByText('Saved the product.').waitFor();
    const after = await product(low!.gtin);
    expect(after.fields[low!.rec.field]).toEqual({
      value: before.fields[low!.rec.field]!.value,
      source: 'brand',
      confidence: 1,
    });
    expect(after.completeness.recommendations.map((r) => r.message)).not.toContain(low!.rec.message);
    expect(await page.getByRole('button', { name: startsWith(low!.rec.message) }).count()).toBe(0);
  });

  it('finds products by name or GTIN', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Products', exact: true }).click();
    const table = page.getByRole('table', { name: 'Products' });
    await table.waitFor();
    const all = await worker.api<{ data: Product[] }>('/v1/products?limit=200');
    expect(await table.getByRole('row').count()).toBe(all.data.length + 1);
    const word = (target.name ?? '').split(' ')[0]!;
    const named = await worker.api<{ data: Product[] }>(`/v1/products?q=${encodeURIComponent(word)}`);
    await page.getByLabel('GTIN or name').fill(word);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(named.data.length + 1);
    expect(await table.textContent()).toContain(target.gtin);
    await page.getByLabel('GTIN or name').fill(target.gtin);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('link').first().click();
    await page.getByRole('heading', { level: 2, name: new RegExp(target.gtin) }).waitFor();
  });

  it('creates a product, its GTIN refused beside the field until it is valid', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: '← All products' }).click();
    await page.getByText('New product', { exact: true }).click();
    const form = page.getByRole('form', { name: 'New product' });
    await form.getByLabel('GTIN').fill('09506000999991');
    await form.getByLabel('Name').fill('Trial oat bar');
    await form.getByRole('button', { name: 'Create product' }).click();
    const error = form.locator('.field.invalid', { has: page.getByLabel('GTIN') }).locator('.field-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/check digit/i);
    const gtin = withCheckDigit('0950600099999');
    await form.getByLabel('GTIN').fill(gtin);
    await form.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { level: 2, name: `Trial oat bar ${gtin}` }).waitFor();
    expect((await product(gtin)).fields.name).toEqual({
      value: 'Trial oat bar',
      source: 'brand',
      confidence: 1,
    });
  });

  it('has no sideways scroll at phone width', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('button', { name: 'Save product' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('product-phone');
    await page.goto(`${worker.url}/dashboard/#/products`);
    await page.getByRole('table', { name: 'Products' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a read-only key the product, but no write controls', async () => {
    const { page } = browser;
    const { key } = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'Auditor', role: 'readonly' },
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(key);
    await page.goto(`${worker.url}/dashboard/#/products?gtin=${target.gtin}`);
    await page.getByRole('table', { name: 'Recalled lots' }).waitFor();
    await page.getByText('This key is read-only').waitFor();
    for (const name of [/^Save/, /^Record/, /^Delete/, /^Remove/, /^Create/])
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    expect(await page.getByLabel('Description').getAttribute('readonly')).toBe('');
    expect(await page.getByLabel('Status', { exact: true }).isDisabled()).toBe(true);
    await page.goto(`${worker.url}/dashboard/#/products`);
    await page.getByRole('table', { name: 'Products' }).waitFor();
    expect(await page.getByText('New product', { exact: true }).count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });
});
