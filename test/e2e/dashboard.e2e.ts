// The web dashboard end to end: Debian's headless Chromium against the Worker served locally
// (Miniflare) with the demo brand's data. Each step checks what a brand would see against the
// JSON API's own answer, and leaves a screenshot in test-output/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, SCREENSHOTS } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';
import { presetRange as presetRangeIn } from './support/preset-range.ts';

const TZ = 'Europe/Paris';
let worker: DemoWorker;
let browser: Browser;

const presetRange = (days: number) => presetRangeIn(days, TZ);

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: TZ, locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

describe('web dashboard', () => {
  it('is served under /dashboard/ with a strict CSP, beside the resolver and the API', async () => {
    const index = await fetch(`${worker.url}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const bare = await fetch(`${worker.url}/dashboard`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/dashboard/');
    // The root path is still the resolver's description, and Digital Links still resolve.
    expect(((await (await fetch(`${worker.url}/`)).json()) as { name: string }).name).toBe(
      'Digital Link Edge',
    );
    expect((await fetch(`${worker.url}/01/09506000134352`, { redirect: 'manual' })).status).toBe(307);
    expect((await fetch(`${worker.url}/_headers`)).status).toBe(400); // never served as a file
  });

  it('refuses a wrong key in words, then signs in with the demo key (kept in sessionStorage only)', async () => {
    const { page } = browser;
    await page.goto(`${worker.url}/dashboard/`);
    await page.getByLabel('API key').fill('dle_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unknown or revoked API key');
    await browser.screenshot('01-sign-in-error');

    await page.getByLabel('API key').fill(worker.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.org-name').textContent()).toBe('Demo Foods');
    expect(
      await page.evaluate(() => [
        sessionStorage.getItem('dle.dashboard.apiKey'),
        localStorage.length,
        document.cookie,
      ]),
    ).toEqual([worker.key, 0, '']);
  });

  it('shows the overview figures the API gives for the same range', async () => {
    const { page } = browser;
    await page.locator('.card[data-metric="total_scans"] .value[data-value]').waitFor();
    const api = await worker.api<Record<string, { value: number | null }>>(
      `/v1/analytics/overview?${query({ ...presetRange(30), tz: TZ, bots: 'exclude' })}`,
    );
    for (const metric of ['total_scans', 'search_impressions', 'average_completeness', 'active_locations']) {
      const shown = await page.locator(`.card[data-metric="${metric}"] .value`).getAttribute('data-value');
      expect(shown, metric).toBe(api[metric]!.value === null ? '' : String(api[metric]!.value));
    }
    expect(api.total_scans!.value).toBeGreaterThan(1000);
    expect(await page.locator('.card[data-metric="total_scans"] .value').textContent()).toBe(
      new Intl.NumberFormat('en-GB').format(api.total_scans!.value!),
    );
    await page.locator('.chart-host canvas').first().waitFor();
    await browser.screenshot('02-overview');
  });

  it('redraws the chart when the range and the interval change', async () => {
    const { page } = browser;
    const chart = page.locator('figure.chart');
    expect(await chart.getAttribute('data-points')).toBe('30');
    const before = Number(await chart.getAttribute('data-total'));

    await page.getByLabel('Time range').selectOption('7');
    await expect.poll(() => chart.getAttribute('data-points')).toBe('7');
    const week = await worker.api<{ total: number }>(
      `/v1/analytics/scans/timeseries?${query({ ...presetRange(7), tz: TZ, interval: 'day' })}`,
    );
    expect(Number(await chart.getAttribute('data-total'))).toBe(week.total);
    expect(week.total).toBeLessThan(before);

    await page.getByLabel('Interval').selectOption('hour');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')))
      .toBeGreaterThanOrEqual(7 * 24 - 1);
    expect(await chart.getAttribute('data-interval')).toBe('hour');
    await page.locator('.chart-host canvas').first().waitFor();
    await browser.screenshot('03-overview-7-days-hourly');

    // Hours are refused past 31 days: the option is disabled and the series goes back to days.
    await page.getByLabel('Time range').selectOption('90');
    await expect.poll(() => chart.getAttribute('data-interval')).toBe('day');
    expect(await page.locator('select[name="interval"] option[value="hour"]').isDisabled()).toBe(true);
    await page.getByLabel('Time range').selectOption('30');
    await expect.poll(() => chart.getAttribute('data-points')).toBe('30');
  });

  it('downloads the scans CSV under the server’s filename, one row per scan', async () => {
    const { page } = browser;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export scans (CSV)' }).click(),
    ]);
    const { from, to } = presetRange(30);
    expect(download.suggestedFilename()).toBe(`scans_${from}_to_${to}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]).toMatch(/^id,occurred_at,gtin,/);
    const total = Number(
      await page.locator('.card[data-metric="total_scans"] .value').getAttribute('data-value'),
    );
    expect(csv.length - 1).toBe(total);
    expect(await page.locator('.export-status').first().textContent()).toBe(
      `Saved scans_${from}_to_${to}.csv`,
    );
  });

  it('draws the world map with scan markers and asks for a finer grid when zoomed in', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Map' }).click();
    const map = page.locator('svg.world-map');
    await page.locator('circle.scan-point').first().waitFor();
    expect(await page.locator('path.country').count()).toBeGreaterThan(150);
    // The first figures zoom the map to the scans, then the fitted zoom's points load.
    await expect.poll(() => page.locator('.map-host').getAttribute('aria-busy')).toBeNull();
    expect(await page.getByRole('button', { name: 'Zoom to the scans' }).isEnabled()).toBe(true);
    const zoom = Number(await map.getAttribute('data-zoom'));
    const points = await worker.api<{
      located_scans: number;
      points: { scans: number; place: { name: string; country: string | null } }[];
    }>(`/v1/analytics/scans/map?${query({ ...presetRange(30), tz: TZ, zoom: String(zoom) })}`);
    await expect.poll(() => page.locator('circle.scan-point').count()).toBe(points.points.length);
    expect(points.points.reduce((n, p) => n + p.scans, 0)).toBe(points.located_scans);
    // The busiest places are named, not given as grid coordinates.
    const places = page.getByRole('region', { name: /busiest places/ });
    const busiestPlace = points.points[0]!.place;
    await expect
      .poll(() => places.getByRole('cell').first().textContent())
      .toBe(
        busiestPlace.country && busiestPlace.country !== busiestPlace.name
          ? `${busiestPlace.name}, ${busiestPlace.country}`
          : busiestPlace.name,
      );
    expect(await places.textContent()).not.toMatch(/° [NS]/);
    await browser.screenshot('04-map');

    // The wheel zooms in where the pointer is: over the busiest place, which stays under it.
    const busiest = (await page.locator('circle.scan-point').first().boundingBox())!;
    const finer = page.waitForRequest(
      (r) =>
        r.url().includes('/v1/analytics/scans/map') &&
        new URL(r.url()).searchParams.get('zoom') === String(zoom + 1),
    );
    await page.mouse.move(busiest.x + busiest.width / 2, busiest.y + busiest.height / 2);
    await page.mouse.wheel(0, -100);
    await finer;
    await expect.poll(() => map.getAttribute('data-zoom')).toBe(String(zoom + 1));
    await page.locator('circle.scan-point').first().waitFor();
    // The buttons and the keyboard zoom about the middle of the view: in, then out again.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => map.getAttribute('data-zoom')).toBe(String(zoom + 2));
    await page.locator('.map-frame').focus();
    await page.keyboard.press('-');
    await expect.poll(() => map.getAttribute('data-zoom')).toBe(String(zoom + 1));
    await expect
      .poll(() => page.locator('.map-status').textContent())
      .toMatch(new RegExp(`^Zoom level ${zoom + 1}: `));
    expect(await page.locator('circle.scan-point').count()).toBeGreaterThan(0);
    await browser.screenshot('05-map-zoomed');
  });

  it('shows the breakdown tables, and the API’s refusal in words when a filter does not apply', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Breakdowns' }).click();
    for (const by of ['product', 'lot', 'country', 'city', 'app', 'device'])
      await page.locator(`.breakdown[data-by="${by}"] table`).waitFor();
    const countries = await worker.api<{ rows: { value: string; scans: number }[] }>(
      `/v1/analytics/scans/breakdown?${query({ ...presetRange(30), tz: TZ, by: 'country', limit: '10' })}`,
    );
    const rows = page.locator('.breakdown[data-by="country"] tbody tr');
    expect(await rows.count()).toBe(countries.rows.length);
    expect(await rows.first().locator('td').first().textContent()).toBe(`France (FR)`);
    // Products carry their unique scanners and every row its change against the previous period.
    const productRows = await worker.api<{
      rows: { value: string; unique_scanners?: number; change?: number; change_percent?: number | null }[];
    }>(
      `/v1/analytics/scans/breakdown?${query({ ...presetRange(30), tz: TZ, by: 'product', limit: '10', compare: 'previous' })}`,
    );
    const productTable = page.locator('.breakdown[data-by="product"] table');
    expect(await productTable.locator('th').allTextContents()).toEqual([
      'Product',
      'Scans',
      'Unique scanners',
      'vs previous period',
      'Share',
    ]);
    const top = productRows.rows[0]!;
    const firstRow = productTable.locator('tbody tr').first().locator('td');
    expect(await firstRow.nth(2).textContent()).toBe(top.unique_scanners!.toLocaleString('en'));
    expect(await firstRow.nth(3).textContent()).toMatch(/^[+−-]?[\d,.]+%?$|^0/);
    // Outcomes and link types in words, rules by name (never by id).
    for (const by of ['outcome', 'link_type', 'referrer'])
      await page
        .locator(`.breakdown[data-by="${by}"] table, .breakdown[data-by="${by}"] .empty`)
        .first()
        .waitFor();
    const outcomes = await worker.api<{ rows: { value: string }[] }>(
      `/v1/analytics/scans/breakdown?${query({ ...presetRange(30), tz: TZ, by: 'outcome', limit: '10' })}`,
    );
    expect(outcomes.rows.map((r) => r.value)).toContain('redirect');
    expect(await page.locator('.breakdown[data-by="outcome"] tbody').textContent()).toContain('Redirected');
    const linkTypes = page.locator('.breakdown[data-by="link_type"] tbody td:first-child');
    if ((await linkTypes.count()) > 0) expect((await linkTypes.allTextContents()).join()).not.toMatch(/gs1:/);
    const ruleRows = await worker.api<{ rows: { value: string }[] }>(
      `/v1/analytics/scans/breakdown?${query({ ...presetRange(30), tz: TZ, by: 'rule', limit: '10' })}`,
    );
    const ruleCells = page.locator('.breakdown[data-by="rule"] tbody td:first-child');
    await page
      .locator('.breakdown[data-by="rule"] table, .breakdown[data-by="rule"] .empty')
      .first()
      .waitFor();
    expect(await ruleCells.count()).toBe(ruleRows.rows.length);
    for (const r of ruleRows.rows.filter((row) => row.value !== 'other'))
      expect((await ruleCells.allTextContents()).join()).not.toContain(r.value);
    await browser.screenshot('06-breakdowns');

    await page.getByRole('textbox', { name: 'Lot' }).fill('LOT27A');
    await page.getByRole('textbox', { name: 'Lot' }).press('Enter');
    await expect
      .poll(() => page.locator('.breakdown[data-by="city"] [role="alert"]').textContent())
      .toBe('A breakdown by city cannot be filtered by lot (lots are counted per 15 minutes × country only)');
    await page.locator('.breakdown[data-by="lot"] table').waitFor();
    expect(
      await page.locator('.breakdown[data-by="lot"] tbody tr').first().locator('td').first().textContent(),
    ).toBe('LOT27A');
    await page.getByRole('textbox', { name: 'Lot' }).fill('');
    await page.getByRole('textbox', { name: 'Lot' }).press('Enter');
    await page.locator('.breakdown[data-by="city"] table').waitFor();
  });

  it('shows search performance and completeness with recommendations', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Search' }).click();
    await page.locator('[data-by="product"] table, [data-by="product"] .empty').first().waitFor();
    await page.locator('[data-by="query"] table, [data-by="query"] .empty').first().waitFor();
    await browser.screenshot('07-search');

    await page.getByRole('link', { name: 'Completeness' }).click();
    const api = await worker.api<{ products: { gtin: string; score: number; recommendations: unknown[] }[] }>(
      '/v1/analytics/completeness?limit=100',
    );
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(api.products.length);
    expect(await rows.first().locator('.gtin').textContent()).toBe(api.products[0]!.gtin);
    expect(await page.locator('.recommendations li').count()).toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export completeness report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^completeness_report_\d{4}-\d{2}-\d{2}\.csv$/);
    await browser.screenshot('08-completeness');
  });

  it('acknowledges an alert', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Alerts' }).click();
    const card = page.locator('.alert-card[data-status="open"]').first();
    await card.waitFor();
    // Grouped by type, each group's count as the summary API gives it.
    const summary = await worker.api<{ types: { type: string; alerts: number }[] }>(
      '/v1/alerts/summary?status=open',
    );
    const groups = page.locator('section.alert-group');
    expect(await groups.count()).toBe(summary.types.length);
    for (const [i, t] of summary.types.entries()) {
      const heading = await groups.nth(i).getByRole('heading', { level: 2 }).textContent();
      expect(heading).toContain(`${t.alerts.toLocaleString('en')} ${t.alerts === 1 ? 'alert' : 'alerts'}`);
      expect(await groups.nth(i).getAttribute('data-type')).toBe(t.type);
    }
    // The places behind an alert are drawn on a small map once its scans are opened.
    const withPlaces = page.locator('.alert-card details:has(.evidence-map)').first();
    await withPlaces.locator('summary').click();
    await withPlaces.locator('.evidence-map svg circle.scan-point').first().waitFor();
    const id = (await card.getAttribute('data-alert-id'))!;
    await browser.screenshot('09-alerts');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.locator(`.alert-card[data-alert-id="${id}"]`).getAttribute('data-status'))
      .toBe('acknowledged');
    expect(await page.locator(`.alert-card[data-alert-id="${id}"] .alert-state`).textContent()).toMatch(
      /^Acknowledged /,
    );
    expect((await worker.api<{ status: string }>(`/v1/alerts/${id}`)).status).toBe('acknowledged');
    await page.getByLabel('Show').selectOption('acknowledged');
    await page.locator(`.alert-card[data-alert-id="${id}"]`).waitFor();
    await browser.screenshot('10-alerts-acknowledged');
  });

  it('lists the rules, switches one off and on, and reorders a scope', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Rules' }).click();
    const rules = (
      await worker.api<{
        data: { id: string; scope: string; gtin?: string; lot?: string; enabled: boolean }[];
      }>('/v1/rules?limit=200')
    ).data;
    await page.locator('li.rule').first().waitFor();
    expect(await page.locator('li.rule').count()).toBe(rules.length);
    // Each rule says how many scans it answered, as the breakdown by rule counts them.
    const byRule = await worker.api<{ rows: { value: string; scans: number }[] }>(
      `/v1/analytics/scans/breakdown?${query({ ...presetRange(30), tz: TZ, by: 'rule', limit: '100' })}`,
    );
    for (const r of rules) {
      const n = byRule.rows.find((row) => row.value === r.id)?.scans ?? 0;
      expect(await page.locator(`li.rule[data-rule-id="${r.id}"] .rule-scans`).textContent()).toBe(
        `${n.toLocaleString('en')} ${n === 1 ? 'scan' : 'scans'} answered in the last 30 days`,
      );
    }

    const first = rules[0]!;
    const box = page.locator(`li.rule[data-rule-id="${first.id}"] input[type="checkbox"]`);
    await box.uncheck();
    await expect
      .poll(async () => (await worker.api<{ enabled: boolean }>(`/v1/rules/${first.id}`)).enabled)
      .toBe(false);
    await box.check();
    await expect
      .poll(async () => (await worker.api<{ enabled: boolean }>(`/v1/rules/${first.id}`)).enabled)
      .toBe(true);

    // The first scope target with two rules or more: move its first rule down one place.
    const targets = new Map<string, typeof rules>();
    for (const r of rules)
      targets.set(`${r.scope}|${r.gtin ?? ''}|${r.lot ?? ''}`, [
        ...(targets.get(`${r.scope}|${r.gtin ?? ''}|${r.lot ?? ''}`) ?? []),
        r,
      ]);
    const group = [...targets.values()].find((g) => g.length >= 2)!;
    expect(group).toBeDefined();
    await page.locator(`li.rule[data-rule-id="${group[0]!.id}"] .move-down`).click();
    await expect
      .poll(async () => {
        const after = (await worker.api<{ data: { id: string }[] }>('/v1/rules?limit=200')).data.map(
          (r) => r.id,
        );
        return after.indexOf(group[0]!.id) - after.indexOf(group[1]!.id);
      })
      .toBe(1);
    await page.locator('.group-status', { hasText: 'Moved' }).waitFor();
    await browser.screenshot('11-rules');
  });

  it('works at phone width, with landmarks, labelled controls and a skip link', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('.chart-host canvas').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('12-overview-phone');
    await page.getByRole('link', { name: 'Map' }).click();
    await page.locator('circle.scan-point').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('13-map-phone');
    // Tables stack their rows as cards: every column of every row is on screen, named.
    for (const [link, what] of [
      ['Search', 'search'],
      ['Completeness', 'completeness'],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: link }).waitFor();
      await page.getByRole('cell').first().waitFor();
      await expect.poll(() => page.locator('main [aria-busy="true"]').count()).toBe(0);
      const cells = await page.evaluate(() =>
        [...document.querySelectorAll('main td')].map((td) => ({
          right: td.getBoundingClientRect().right,
          label: getComputedStyle(td, '::before').content,
        })),
      );
      expect(cells.length, what).toBeGreaterThan(0);
      for (const cell of cells) {
        expect(cell.right, what).toBeLessThanOrEqual(390);
        expect(cell.label, what).not.toBe('none');
      }
      for (const scroller of await page.locator('.table-scroll').all())
        expect(await scroller.evaluate((n) => n.scrollWidth <= n.clientWidth), what).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await browser.screenshot(`13-${what}-phone`);
    }
    await page.getByRole('link', { name: 'Map' }).click();
    await page.getByRole('heading', { level: 1, name: 'Map' }).waitFor();

    for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const)
      expect(await page.getByRole(role).count(), role).toBe(1);
    const unlabelled = await page.evaluate(
      () =>
        [...document.querySelectorAll('input, select, button')].filter((c) => {
          const labelled =
            (c as HTMLInputElement).labels?.length || c.getAttribute('aria-label') || c.textContent?.trim();
          return !labelled;
        }).length,
    );
    expect(unlabelled).toBe(0);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Map' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('renders the API reference from /v1/openapi.json, every operation, under the same CSP', async () => {
    const { page } = browser;
    const res = await fetch(`${worker.url}/dashboard/reference/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const doc = (await (await fetch(`${worker.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    await page.goto(`${worker.url}/dashboard/reference/`);
    await page.getByRole('heading', { level: 1, name: 'Digital Link Edge API reference' }).waitFor();
    expect(await page.locator('section.operation').count()).toBe(operations);
    expect(await page.locator('#post-v1-products pre code').first().textContent()).toContain('gtin: string;');
    // The top of the page only: the whole reference is a screenshot of megabytes.
    await page.screenshot({ path: join(SCREENSHOTS, '14-api-reference.png') });
    await page.goto(`${worker.url}/dashboard/`);
  });

  it('signs out, forgetting the key, and never logged a console error or CSP violation', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('dle.dashboard.apiKey'))).toBeNull();
    expect(browser.problems).toEqual([]);
  });
});
