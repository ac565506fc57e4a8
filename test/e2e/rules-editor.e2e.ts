// The rule editor end to end, as a brand manager uses it: create a rule in the form, watch "Where
// would this scan go?" answer a Canadian scan with it and a Japanese one without it (and say why),
// save, edit, see the API's validation error beside the field, delete; a read-only key sees the
// rules and the preview but no editor; phone width does not scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

// In the demo catalog, without GS1 links: its only rule is a campaign of March 2027.
const OLIVE_OIL = '09506000134383';

interface Rule {
  id: string;
  name: string;
  conditions: { countries?: string[] };
  destination: { type: string; url?: string };
}

let worker: DemoWorker;
let browser: Browser;

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

const rulesNamed = async (name: string) =>
  (await worker.api<{ data: Rule[] }>(`/v1/rules?gtin=${OLIVE_OIL}&limit=200`)).data.filter(
    (r) => r.name === name,
  );

const signIn = (key: string) => signInWithKey(browser, worker.url, key);

// The preview asks a moment after typing stops; a busy machine may take a few seconds to answer.
const SOON = { timeout: 10_000, interval: 100 };

const output = () => browser.page.locator('.scan-preview .preview-output');

describe('rule editor', () => {
  it('creates a rule in the form while the preview answers CA and JP scans with the draft', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('link', { name: 'New rule' }).first().click();
    const heading = page.getByRole('heading', { level: 2, name: 'New rule' });
    await heading.waitFor();
    await expect.poll(() => heading.evaluate((h) => h === document.activeElement), SOON).toBe(true);

    await page.getByLabel('Name', { exact: true }).fill('Canada launch');
    await page.getByLabel('Scope', { exact: true }).selectOption('PRODUCT');
    // Only the scope's target fields show.
    expect(await page.getByLabel('Lot', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('GTIN', { exact: true }).fill(OLIVE_OIL);
    await page.getByLabel('Countries', { exact: true }).fill('CA');
    await page.getByLabel('URL', { exact: true }).fill('https://brand.example/ca/{gtin}');
    expect(await page.getByText('{gtin} {lot} {serial}').count()).toBe(1);

    // The preview took the rule's own link and answers with the unsaved rule.
    await page.getByLabel('Scan country').fill('CA');
    await expect.poll(() => page.getByLabel('Scanned link').inputValue(), SOON).toBe(`/01/${OLIVE_OIL}`);
    await expect
      .poll(() => output().textContent(), SOON)
      .toContain(`307: redirected to https://brand.example/ca/${OLIVE_OIL}`);
    expect(await output().textContent()).toContain('Answered by rule “Canada launch” (this rule).');
    expect(await output().locator('.trace-step.draft').getAttribute('data-outcome')).toBe('matched');
    await browser.screenshot('rules-01-draft-preview-ca');

    await page.getByLabel('Scan country').fill('JP');
    await expect
      .poll(() => output().locator('.trace-step.draft').getAttribute('data-outcome'), SOON)
      .toBe('skipped');
    const jp = (await output().textContent()) ?? '';
    expect(jp).toContain('countries: CA, scan from JP');
    expect(jp).not.toContain('brand.example/ca');
    expect(await rulesNamed('Canada launch')).toEqual([]); // the preview stored nothing

    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Created “Canada launch”.' }).waitFor();
    const [saved] = await rulesNamed('Canada launch');
    expect(saved).toMatchObject({
      conditions: { countries: ['CA'] },
      destination: { type: 'url', url: 'https://brand.example/ca/{gtin}' },
    });
    const item = page.locator(`li.rule[data-rule-id="${saved!.id}"]`);
    expect(await item.locator('h3').textContent()).toBe('Canada launch');
    expect(await item.textContent()).toContain('countries CA');
    await browser.screenshot('rules-02-listed');
  });

  it('edits it: the API’s validation error shows beside the URL, then the change is saved', async () => {
    const { page } = browser;
    const [saved] = await rulesNamed('Canada launch');
    await page.getByRole('link', { name: 'Edit “Canada launch”' }).click();
    await page.getByRole('heading', { level: 2, name: 'Edit rule “Canada launch”' }).waitFor();
    expect(await page.getByLabel('Countries', { exact: true }).inputValue()).toBe('CA');
    expect(await page.getByText('URL health: not checked yet.').count()).toBe(1);

    await page.getByLabel('Countries', { exact: true }).fill('CA, US');
    await page.getByLabel('Scan country').fill('US');
    await expect
      .poll(() => output().locator(`.trace-step.draft`).getAttribute('data-outcome'), SOON)
      .toBe('matched');

    const url = page.getByLabel('URL', { exact: true });
    await url.fill('brand.example/north');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid'), SOON).toBe('true');
    const errorId = ((await url.getAttribute('aria-describedby')) ?? '').split(' ').pop()!;
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('must be an absolute http(s) URL');
    await expect.poll(() => url.evaluate((u) => u === document.activeElement), SOON).toBe(true);
    // The preview names the same problem instead of answering with the last valid draft.
    await expect
      .poll(() => output().textContent(), SOON)
      .toContain('destination.url: must be an absolute http(s) URL');
    await browser.screenshot('rules-03-url-error');

    await url.fill('https://brand.example/north/{gtin}');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Canada launch”.' }).waitFor();
    const [edited] = await rulesNamed('Canada launch');
    expect(edited).toMatchObject({
      id: saved!.id,
      conditions: { countries: ['CA', 'US'] },
      destination: { url: 'https://brand.example/north/{gtin}' },
    });
    expect(await page.locator(`li.rule[data-rule-id="${saved!.id}"]`).textContent()).toContain(
      'https://brand.example/north/{gtin}',
    );

    // The back button returns to the editor, and Cancel to the list.
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Edit rule “Canada launch”' }).waitFor();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Edit “Canada launch”' }).waitFor();
  });

  it('deletes it after asking', async () => {
    const { page } = browser;
    const [saved] = await rulesNamed('Canada launch');
    await page.getByRole('link', { name: 'Edit “Canada launch”' }).click();
    await page.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “Canada launch”.' }).waitFor();
    expect(await page.locator(`li.rule[data-rule-id="${saved!.id}"]`).count()).toBe(0);
    expect(await rulesNamed('Canada launch')).toEqual([]);
  });

  it('opens every demo rule (each kind of condition) and saving it unchanged changes nothing', async () => {
    const { page } = browser;
    const before = (await worker.api<{ data: Rule[] }>('/v1/rules?limit=200')).data;
    expect(before.length).toBeGreaterThanOrEqual(8);
    for (const rule of before) {
      await page.goto(`${worker.url}/dashboard/#/rules?edit=${rule.id}`);
      await page.getByRole('heading', { level: 2, name: /^Edit rule/ }).waitFor();
      await page.getByRole('button', { name: 'Save rule' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved “' }).waitFor();
      expect(await worker.api<Rule>(`/v1/rules/${rule.id}`), rule.name).toEqual(rule);
    }
  });

  it('fits a 390 px phone: the list, the editor and its preview', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${worker.url}/dashboard/#/rules`);
    await page.locator('li.rule').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: 'New rule' }).first().click();
    await page.getByLabel('GTIN', { exact: true }).fill(OLIVE_OIL);
    await page
      .getByLabel('URL', { exact: true })
      .fill('https://brand.example/a-rather-long-path/for/phones/{gtin}');
    await expect.poll(() => output().textContent(), SOON).toContain('307: redirected to');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('rules-04-editor-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a read-only key sees the rules and the preview, but no editor', async () => {
    const { page } = browser;
    const reader = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'e2e reader', role: 'readonly' },
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(reader.key);
    await page.goto(`${worker.url}/dashboard/#/rules`);
    await page.locator('li.rule').first().waitFor();
    expect(await page.getByText('This key is read-only').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'New rule' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Edit / }).count()).toBe(0);
    // The preview works for readers (it only reads).
    await page.getByLabel('Scanned link').fill(`/01/${OLIVE_OIL}`);
    await expect.poll(() => output().textContent(), SOON).toMatch(/307: redirected to/);
    // Even the editor's address shows the list, not a form.
    await page.goto(`${worker.url}/dashboard/#/rules?new`);
    await page.locator('li.rule').first().waitFor();
    expect(await page.getByRole('button', { name: 'Create rule' }).count()).toBe(0);
    expect(await page.getByRole('form').count()).toBe(0);
    await browser.screenshot('rules-05-readonly');
  });

  it('with no rules: "No rules yet" and a New rule button for an editor', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(worker.key);
    for (const rule of (await worker.api<{ data: Rule[] }>('/v1/rules?limit=200')).data)
      await worker.api(`/v1/rules/${rule.id}`, { method: 'DELETE' });
    await page.goto(`${worker.url}/dashboard/#/rules`);
    await page.getByText('No rules yet').waitFor();
    await page.locator('.empty-rules').getByRole('link', { name: 'New rule' }).click();
    await page.getByRole('heading', { level: 2, name: 'New rule' }).waitFor();
    expect(browser.problems).toEqual([]);
  });
});
