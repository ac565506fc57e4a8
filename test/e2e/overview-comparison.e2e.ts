// The overview's comparison end to end: Chromium against the demo Worker (120 days of scans, so
// the previous period has scans too). The chart draws the previous period as a second line and
// marks today's unfinished day; the figures are checked against the JSON API's own answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';
import { presetRange as presetRangeIn } from './support/preset-range.ts';

const TZ = 'Europe/Paris';
let worker: DemoWorker;
let browser: Browser;

const presetRange = (days: number) => presetRangeIn(days, TZ);

interface Series {
  total: number;
  points: { bucket: string; scans: number; partial?: true }[];
  previous: { total: number; points: { scans: number | null }[] };
}

const en = new Intl.NumberFormat('en-GB');

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: TZ, locale: 'en-GB' });
  await signInWithKey(browser, worker.url, worker.key);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

describe('overview comparison', () => {
  const query = () => new URLSearchParams({ ...presetRange(30), tz: TZ, bots: 'exclude' }).toString();

  it('shows unique scanners with the previous period, as the API counts them', async () => {
    const { page } = browser;
    const card = page.locator('.card[data-metric="unique_scanners"]');
    await card.locator('.value[data-value]').waitFor();
    const api = await worker.api<{ unique_scanners: { value: number; previous: number } }>(
      `/v1/analytics/overview?${query()}`,
    );
    expect(api.unique_scanners.value).toBeGreaterThan(0);
    expect(api.unique_scanners.previous).toBeGreaterThan(0);
    expect(await card.locator('.value').getAttribute('data-value')).toBe(String(api.unique_scanners.value));
    expect(await card.locator('.change').textContent()).toContain(
      `(${en.format(api.unique_scanners.previous)})`,
    );
    // With four months of demo scans and searches, their figures have a previous period.
    for (const metric of ['total_scans', 'search_impressions']) {
      const change = await page.locator(`.card[data-metric="${metric}"] .change`).textContent();
      expect(change, metric).toMatch(/vs previous period \([\d,]+\)/);
      expect(change, metric).not.toContain('(0)');
    }
  });

  it('draws the previous period as a second line and marks the day not over yet', async () => {
    const { page } = browser;
    const chart = page.locator('figure.chart');
    await chart.locator('.chart-host canvas').waitFor();
    const api = await worker.api<Series>(
      `/v1/analytics/scans/timeseries?${query()}&interval=day&compare=previous`,
    );
    expect(api.previous.total).toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-previous-total'))).toBe(api.previous.total);
    const partial = api.points.filter((p) => p.partial).length;
    expect(partial).toBe(1); // today, in Paris
    expect(Number(await chart.getAttribute('data-partial'))).toBe(partial);
    // uPlot's legend names the lines.
    const legend = await chart.locator('.u-legend').textContent();
    expect(legend).toContain('Scans per day');
    expect(legend).toContain('Previous period');
    expect(legend).toContain('Not over yet');
    expect(await chart.locator('figcaption').textContent()).toContain(`the previous period (`);
    expect(await chart.locator('figcaption').textContent()).toContain(
      `${en.format(api.previous.total)} scans.`,
    );
    await browser.screenshot('overview-comparison-01');
  });

  it('lists each bucket beside the previous period’s, today marked as so far', async () => {
    const { page } = browser;
    await page.getByText('Show the figures as a table').click();
    const api = await worker.api<Series>(
      `/v1/analytics/scans/timeseries?${query()}&interval=day&compare=previous`,
    );
    const rows = page.getByRole('table', { name: 'Scans per bucket' }).locator('tbody tr');
    expect(await rows.count()).toBe(api.points.length);
    const cells = async (i: number) => rows.nth(i).locator('td').allTextContents();
    const first = await cells(0);
    expect(first.slice(1)).toEqual([
      en.format(api.points[0]!.scans),
      en.format(api.previous.points[0]!.scans!),
    ]);
    const last = await cells(api.points.length - 1);
    expect(last[0]).toMatch(/\(so far\)$/);
    expect((await cells(0))[0]).not.toMatch(/so far/);
  });

  it('fits a phone screen', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('figure.chart .chart-host canvas').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('overview-comparison-02-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
