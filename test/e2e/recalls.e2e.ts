// The recall page end to end: Chromium against the Worker served locally with the demo brand,
// whose lot ABC123 of the coffee capsules is recalled and still scanned. What the page says is
// checked against the JSON API's own answer; screenshots go to test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

const CAPSULES = '09506000134376';
let worker: DemoWorker;
let browser: Browser;

interface Recalls {
  rows: {
    gtin: string;
    lot: string;
    recalled_at: string | null;
    scans_since_recall: number;
    unique_scanners_since_recall: number;
    countries: { country: string; scans: number }[];
    series: { day: string; scans: number }[];
    alert: { status: string } | null;
  }[];
}

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
  await signInWithKey(browser, worker.url, worker.key);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

describe('recall page', () => {
  it("shows the demo's recalled lot with its human scans and unique scanners since the recall", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Recalls' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recalls' }).waitFor();
    const api = await worker.api<Recalls>('/v1/analytics/scans/recalls');
    const recall = api.rows.find((r) => r.gtin === CAPSULES && r.lot === 'ABC123')!;
    expect(recall.scans_since_recall).toBeGreaterThan(100);
    const lot = page.getByRole('region', { name: /^Lot ABC123 of / });
    await lot.waitFor();
    const figure = (metric: string) => lot.locator(`.card[data-metric="${metric}"] .value`).textContent();
    const en = new Intl.NumberFormat('en-GB');
    expect(await figure('scans_since_recall')).toBe(en.format(recall.scans_since_recall));
    expect(await figure('unique_scanners_since_recall')).toBe(en.format(recall.unique_scanners_since_recall));
    expect(await lot.getByText('Capsule seal defect').count()).toBe(1);
    // The real scan of the lot the demo worker sent opened an alert.
    expect(recall.alert?.status).toBe('open');
    expect(await lot.locator('.alert-state').textContent()).toMatch(/^Open \(low severity, [\d,]+ scans/);
  });

  it('draws the daily series and lists the countries, as the API counts them', async () => {
    const { page } = browser;
    const api = await worker.api<Recalls>('/v1/analytics/scans/recalls');
    const recall = api.rows.find((r) => r.lot === 'ABC123')!;
    const lot = page.getByRole('region', { name: /^Lot ABC123 of / });
    await lot.locator('.chart-host canvas').waitFor();
    expect(Number(await lot.locator('figure.chart').getAttribute('data-points'))).toBe(recall.series.length);
    expect(await lot.locator('figcaption').textContent()).toContain(
      `${recall.scans_since_recall.toLocaleString()} in all`,
    );
    const countries = lot.getByRole('table', { name: /^Countries scanning lot ABC123/ });
    const rows = countries.locator('tbody tr');
    expect(await rows.count()).toBe(recall.countries.length);
    const first = recall.countries[0]!;
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      new Intl.DisplayNames(['en-GB'], { type: 'region' }).of(first.country),
      new Intl.NumberFormat('en-GB').format(first.scans),
    ]);
    await browser.screenshot('recalls-01-lot');
  });

  it('fits a phone screen', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page
      .getByRole('region', { name: /^Lot ABC123 of / })
      .locator('.chart-host canvas')
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('recalls-02-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('says so when nothing is recalled', async () => {
    const { page } = browser;
    await worker.api(`/v1/products/${CAPSULES}`, { method: 'PATCH', body: { recalled_lots: [] } });
    try {
      await page.reload();
      await page.getByText('No lot is recalled.').waitFor();
      expect(await page.getByRole('region', { name: /^Lot / }).count()).toBe(0);
      await browser.screenshot('recalls-03-empty');
    } finally {
      await worker.api(`/v1/products/${CAPSULES}`, {
        method: 'PATCH',
        body: {
          recalled_lots: [
            { lot: 'ABC123', recalled_at: '2026-02-10T00:00:00Z', reason: 'Capsule seal defect' },
          ],
        },
      });
    }
  });
});
