// API keys, webhooks and alert settings in the dashboard, end to end: a key is created and shown
// once, answers the API, and stops working once revoked; a webhook endpoint that refuses
// connections logs failed deliveries, a dead-lettered one is replayed from the log, and a test
// event's outcome is shown; an alert threshold out of range is refused beside its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS } from '../../src/alerts/webhooks/delivery-backoff.ts';
import { DEMO_LINK_ENTITIES } from '../../src/demo/demo-links.ts';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

let worker: DemoWorker;
let browser: Browser;

// A public-looking name that does not resolve: every delivery to it fails to connect.
const REFUSING = 'https://refused.dle-e2e-receiver.net/hook';

interface Delivery {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: string;
}

beforeAll(async () => {
  worker = await startDemoWorker();
  browser = await openBrowser({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

const signIn = (key: string) => signInWithKey(browser, worker.url, key);

async function open(section: string): Promise<void> {
  const { page } = browser;
  await page.getByRole('navigation').getByRole('link', { name: section }).click();
  await page.getByRole('heading', { level: 1, name: section }).waitFor();
}

const asKey = (key: string, path: string) =>
  fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('API keys', () => {
  let created = '';

  it('offers only the roles the caller may grant, and refuses a past expiry beside its field', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await open('API keys');
    const form = page.getByRole('form', { name: 'Create a key' });
    const roles = await form
      .getByLabel('Role')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(roles.sort()).toEqual(['editor', 'manager', 'owner', 'readonly']);
    await page
      .getByRole('table', { name: 'Keys of this organisation' })
      .getByText('demo owner key')
      .waitFor();

    await form.getByLabel('Key name').fill('Warehouse sync');
    await form.getByLabel('Role').selectOption('readonly');
    await form.getByLabel('Expires').fill('2020-01-01T10:00');
    await form.getByRole('button', { name: 'Create key' }).click();
    await expect
      .poll(() => form.locator('.field.invalid').filter({ hasText: 'Expires' }).textContent())
      .toContain('expires_at must be in the future');
  });

  it('shows a new key once; the key answers the API until it is revoked', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'Create a key' });
    await form.getByLabel('Expires').fill('');
    await form.getByRole('button', { name: 'Create key' }).click();
    const once = page.getByRole('region', { name: 'New API key' });
    await once.waitFor();
    expect(await once.textContent()).toContain('is shown only now');
    created = await once.getByLabel('New API key').inputValue();
    expect(created).toMatch(/^dle_/);
    const row = page.getByRole('row').filter({ hasText: 'Warehouse sync' });
    await row.waitFor();
    expect(await row.textContent()).toContain('readonly');
    expect(await row.textContent()).not.toContain(created);

    expect((await asKey(created, '/v1/organization')).status).toBe(200);

    // Leaving the page and coming back: the key is not shown again.
    await open('Stores');
    await open('API keys');
    await page.getByRole('row').filter({ hasText: 'Warehouse sync' }).waitFor();
    expect(await page.getByRole('region', { name: 'New API key' }).count()).toBe(0);
    expect(await page.content()).not.toContain(created);

    await page.getByRole('button', { name: 'Revoke Warehouse sync' }).click();
    await page.getByRole('button', { name: 'Confirm revoke Warehouse sync' }).click();
    await page.getByText('Revoked Warehouse sync: it no longer works.').waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: 'Warehouse sync' })
      .getByText(/^Revoked /)
      .waitFor();
    expect((await asKey(created, '/v1/organization')).status).toBe(401);
  });

  it('keeps a manager from granting or revoking owner keys, and tells lesser keys what they may do', async () => {
    const { page } = browser;
    const manager = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'e2e manager', role: 'manager' },
    });
    const editor = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'e2e editor', role: 'editor' },
    });
    await signIn(manager.key);
    await open('API keys');
    const form = page.getByRole('form', { name: 'Create a key' });
    const roles = await form
      .getByLabel('Role')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(roles.sort()).toEqual(['editor', 'manager', 'readonly']);
    await page.getByRole('row').filter({ hasText: 'e2e editor' }).waitFor();
    expect(await page.getByRole('button', { name: 'Revoke demo owner key' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke e2e editor' }).count()).toBe(1);

    await signIn(editor.key);
    await open('API keys');
    await page.getByText('Only manager and owner keys can see and manage keys').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    await open('Webhooks');
    await page.getByText('Only manager and owner keys can see and manage webhooks').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  });
});

describe('webhooks', () => {
  let webhookId = '';

  it('starts empty and refuses a plain-http URL and no event type, beside each field', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await open('Webhooks');
    await page.getByText('No webhook endpoints yet').waitFor();
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('Endpoint URL').fill('http://receiver.example.org/hook');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect
      .poll(() => form.locator('.field.invalid').filter({ hasText: 'Endpoint URL' }).textContent())
      .toContain('must use https://');
    expect(
      await form.getByRole('group', { name: 'Event types' }).locator('.field-error').textContent(),
    ).toMatch(/\S/);
  });

  it('adds an endpoint with event types from the API, its signing secret shown once', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('Endpoint URL').fill(REFUSING);
    await form.getByLabel('Description').fill('Refuses every connection');
    const types = form.getByRole('group', { name: 'Event types' });
    expect(await types.getByRole('checkbox').count()).toBe(17);
    await types.getByLabel('Every link event (link.*)').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const once = page.getByRole('region', { name: `Signing secret of ${REFUSING}` });
    await once.waitFor();
    const secret = await once.getByRole('textbox').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByRole('region', { name: REFUSING, exact: true });
    await card.waitFor();
    expect(await card.textContent()).toContain('Receives: Every link event.');
    const { data } = await worker.api<{ data: { id: string; url: string; event_types: string[] }[] }>(
      '/v1/webhooks',
    );
    expect(data).toEqual([expect.objectContaining({ url: REFUSING, event_types: ['link.*'] })]);
    webhookId = data[0]!.id;
    await card.getByText('No deliveries yet').waitFor();
  });

  it('sends a test event and says it was not delivered, and why', async () => {
    const { page } = browser;
    const card = page.getByRole('region', { name: REFUSING, exact: true });
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect
      .poll(() => card.getByRole('alert').first().textContent())
      .toMatch(/^Test event Not delivered: \S/);
    const row = card.getByRole('row').filter({ hasText: 'webhook.test' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Failed');
  });

  it('replays a delivery that gave up, from the delivery log', async () => {
    const { page } = browser;
    // A real event: a link entity replaced through the API publishes link.changed to this endpoint.
    const entity = DEMO_LINK_ENTITIES[0]!;
    await worker.api('/v1/links', {
      method: 'PUT',
      body: { ...entity, item_description: `${entity.item_description} (changed)` },
    });
    const first = await until('the first failed delivery', async () => {
      const { data } = await worker.api<{ data: Delivery[] }>(`/v1/webhooks/${webhookId}/deliveries`);
      return data.find((d) => d.event_type === 'link.changed');
    });
    expect(first.status).toBe('failed');
    // The retry schedule spans three days: its last attempt is put on the Worker's own queue, the
    // message the retries would end with, and the Worker's consumer makes and logs that attempt.
    const d1 = await worker.served.mf.getD1Database('DB');
    const event = await d1
      .prepare('SELECT org_id, body FROM webhook_events WHERE id = ?')
      .bind(first.event_id)
      .first<{ org_id: string; body: string }>();
    const queue = await worker.served.mf.getQueueProducer('ALERT_EVENTS');
    await queue.send(
      {
        kind: 'delivery',
        orgId: event!.org_id,
        webhookId,
        eventId: first.event_id,
        eventType: 'link.changed',
        body: event!.body,
        attempt: WEBHOOK_MAX_ATTEMPTS,
      },
      { contentType: 'json' },
    );
    const dead = await until('the dead-lettered delivery', async () => {
      const { data } = await worker.api<{ data: Delivery[] }>(`/v1/webhooks/${webhookId}/deliveries`);
      return data.find((d) => d.status === 'dead_lettered');
    });
    expect(dead.attempt).toBe(WEBHOOK_MAX_ATTEMPTS);

    const card = page.getByRole('region', { name: REFUSING, exact: true });
    await card.getByRole('button', { name: 'Refresh deliveries' }).click();
    const replay = card.getByRole('button', { name: `Replay link.changed ${first.event_id}` });
    await replay.click();
    await card.getByText('Replay of link.changed queued').waitFor();
    const replayed = await until('the replayed attempt', async () => {
      const { data } = await worker.api<{ data: Delivery[] }>(`/v1/webhooks/${webhookId}/deliveries`);
      const attempts = data.filter((d) => d.event_id === first.event_id && d.attempt === 1);
      return attempts.length >= 2 ? attempts : undefined;
    });
    expect(replayed.length).toBeGreaterThanOrEqual(2);
    await card.getByRole('button', { name: 'Refresh deliveries' }).click();
    await expect
      .poll(() => card.getByRole('row').filter({ hasText: 'link.changed' }).count())
      .toBeGreaterThanOrEqual(3);
  });

  it('edits the endpoint, rotates its secret (shown once) and deletes it', async () => {
    const { page } = browser;
    const card = page.getByRole('region', { name: REFUSING, exact: true });
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = card.getByRole('form', { name: `Edit ${REFUSING}` });
    await edit.getByLabel('Enabled').uncheck();
    await edit.getByRole('button', { name: 'Save endpoint' }).click();
    await card.getByText('Disabled', { exact: true }).waitFor();
    expect((await worker.api<{ enabled: boolean }>(`/v1/webhooks/${webhookId}`)).enabled).toBe(false);

    await card.getByRole('button', { name: 'Rotate secret' }).click();
    await card.getByRole('button', { name: 'Confirm rotate secret' }).click();
    const once = card.getByRole('region', { name: `Signing secret of ${REFUSING}` });
    await once.waitFor();
    expect(await once.getByRole('textbox').inputValue()).toMatch(/^whsec_/);
    await card.getByText(/The previous secret also signs until/).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await card.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('webhooks-phone');
    await open('API keys');
    await page.getByRole('table', { name: 'Keys of this organisation' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('api-keys-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await open('Webhooks');
    await page
      .getByRole('region', { name: REFUSING, exact: true })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await page.getByRole('button', { name: 'Confirm delete endpoint' }).click();
    await page.getByText('No webhook endpoints yet').waitFor();
    expect((await worker.api<{ data: unknown[] }>('/v1/webhooks')).data).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});

describe('alert settings', () => {
  it('refuses a threshold out of range beside its field, then saves one in range', async () => {
    const { page } = browser;
    await open('Alert settings');
    const form = page.getByRole('form', { name: 'Organisation alert settings' });
    const travel = form.getByRole('group', { name: 'Impossible travel' });
    await travel.getByLabel('Fastest travel (km/h)').fill('10');
    await form.getByRole('button', { name: 'Save organisation settings' }).click();
    await expect
      .poll(() => travel.locator('.field.invalid').first().textContent())
      .toMatch(/Fastest travel \(km\/h\).*50/);
    expect(await travel.getByLabel('Fastest travel (km/h)').getAttribute('aria-invalid')).toBe('true');

    await travel.getByLabel('Fastest travel (km/h)').fill('900');
    await form.getByRole('button', { name: 'Save organisation settings' }).click();
    await form.getByText(/^Saved\. Detectors use the new settings/).waitFor();
    const saved = await worker.api<{ settings: { impossible_travel: { max_speed_kmh: number } } }>(
      '/v1/alerts/settings',
    );
    expect(saved.settings.impossible_travel.max_speed_kmh).toBe(900);

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('alert-settings-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("sets a brand's own threshold over the organisation's, and refuses a bad one beside its field", async () => {
    const { page } = browser;
    const { data: brands } = await worker.api<{ data: { id: string; name: string }[] }>('/v1/brands');
    const brand = brands[0]!;
    await page.getByLabel('Brand', { exact: true }).selectOption(brand.id);
    const form = page.getByRole('form', { name: `Alert settings of ${brand.name}` });
    const expired = form.getByRole('group', { name: 'Scan past its date' });
    await expired.getByLabel('Days of grace').fill('-3');
    await form.getByRole('button', { name: `Save ${brand.name} settings` }).click();
    await expect
      .poll(() => expired.locator('.field.invalid').first().textContent())
      .toMatch(/Days of grace.*0/);
    await expired.getByLabel('Days of grace').fill('7');
    await expired.getByLabel('Enabled').selectOption('false');
    // A recalled-lot scan is low severity unless the brand says otherwise.
    const recalled = form.getByRole('group', { name: 'Scan of a recalled lot' });
    expect(await recalled.getByLabel('Severity').inputValue()).toBe('');
    expect(await recalled.getByLabel('Severity').locator('option').first().textContent()).toBe(
      'As the organisation (low)',
    );
    await recalled.getByLabel('Severity').selectOption('high');
    await form.getByRole('button', { name: `Save ${brand.name} settings` }).click();
    await form.getByText(`Saved ${brand.name}'s settings.`).waitFor();
    const stored = await worker.api<{
      brand_settings: unknown;
      settings: { recalled_lot: { severity: string } };
    }>(`/v1/brands/${brand.id}/alert-settings`);
    expect(stored.brand_settings).toEqual({
      expired_product: { enabled: false, grace_days: 7 },
      recalled_lot: { severity: 'high' },
    });
    expect(stored.settings.recalled_lot.severity).toBe('high');
    expect(browser.problems).toEqual([]);
  });
});
