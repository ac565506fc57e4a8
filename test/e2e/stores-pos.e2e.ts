// Stores and POS in the dashboard, end to end: a brand adds a store, connects Square with its
// signature key (entered once, never shown again), maps a Square item to a GTIN, and a correctly
// signed Square webhook sent to the Worker shows up as that store's inventory.

import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, openBrowser, signInWithKey } from './support/browser.ts';
import { type DemoWorker, startDemoWorker } from './support/demo-worker.ts';

let worker: DemoWorker;
let browser: Browser;

const SQUARE_KEY = 'sq-e2e-signature-key-0123456789';
const SQUARE_ITEM = 'FGQ5JJWT2PYTHF35CKZ2DSKP';
const GTIN = '09506000134352';

interface Location {
  id: string;
  name: string;
  pos: { square: { location_id: string | null; signature_key_set: boolean } };
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

const store = () => browser.page.getByRole('region', { name: 'Lyon Part-Dieu', exact: true });

/** The store this file adds, as the API has it (the demo brand has stores of its own). */
async function ours(): Promise<Location | undefined> {
  const { data } = await worker.api<{ data: Location[] }>('/v1/locations?limit=200');
  return data.find((l) => l.name === 'Lyon Part-Dieu');
}

describe('stores and POS', () => {
  it('lists the demo stores, and refuses a bad new store with each message beside its field', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await page.getByRole('navigation').getByRole('link', { name: 'Stores' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stores' }).waitFor();
    const demo = (await worker.api<{ data: Location[] }>('/v1/locations?limit=200')).data;
    expect(demo.length).toBeGreaterThan(0);
    await page.getByRole('region', { name: demo[0]!.name, exact: true }).waitFor();

    const form = page.getByRole('form', { name: 'Add a store' });
    await form.getByLabel('Store name').fill('Lyon Part-Dieu');
    await form.getByLabel('Address', { exact: true }).fill('17 Rue du Docteur Bouchut');
    await form.getByLabel('City').fill('Lyon');
    await form.getByLabel('Country').fill('FR');
    await form.getByLabel('Latitude').fill('145');
    await form.getByLabel('Longitude').fill('4.8597');
    await form.getByLabel('Time zone').fill('Europe/Lyon');
    await form.getByRole('button', { name: 'Add store' }).click();
    const latitude = form.getByRole('group').filter({ hasText: 'Position' });
    await expect
      .poll(() => latitude.locator('.field.invalid .field-error').first().textContent())
      .toMatch(/90/);
    await expect
      .poll(() => form.locator('.field.invalid').filter({ hasText: 'Time zone' }).textContent())
      .toContain('is not an IANA time zone name');
    expect(await form.getByLabel('Latitude').getAttribute('aria-invalid')).toBe('true');
    expect(await ours()).toBeUndefined();
  });

  it('adds the store once the fields are right', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'Add a store' });
    await form.getByLabel('Latitude').fill('45.7605');
    await form.getByLabel('Time zone').fill('Europe/Paris');
    await form.getByRole('button', { name: 'Add store' }).click();
    await store().waitFor();
    expect(await form.getByRole('status').textContent()).toContain('Added Lyon Part-Dieu');
    expect(await store().getByText('No inventory synced yet.').count()).toBe(1);
    expect(await ours()).toMatchObject({ pos: { square: { signature_key_set: false } } });
    await store().getByText('No items mapped yet').waitFor();
    await store().getByText('No stock figures yet').waitFor();
  });

  it('connects Square: the key goes in once and the page only says when it was set', async () => {
    const { page } = browser;
    const square = store().getByRole('group', { name: 'Square' });
    await square.getByLabel('Square location id').fill('LQ8NX8H3WC9G1');
    const secret = square.getByLabel('Square signature key');
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill(SQUARE_KEY);
    await square.getByRole('button', { name: 'Connect Square' }).click();
    await expect.poll(() => store().getByRole('status').first().textContent()).toContain('Square saved.');
    const again = store().getByRole('group', { name: 'Square' });
    await again.getByText(/Secret set on \d/).waitFor();
    expect(await again.getByLabel('Square signature key').inputValue()).toBe('');
    expect(await page.content()).not.toContain(SQUARE_KEY);
    expect((await ours())!.pos.square).toMatchObject({
      location_id: 'LQ8NX8H3WC9G1',
      signature_key_set: true,
    });
  });

  it('maps a Square item to a GTIN, refusing a bad GTIN beside its field', async () => {
    const mapping = store().getByRole('form', { name: 'Map an item of Lyon Part-Dieu' });
    await mapping.getByLabel('Platform').selectOption('square');
    await mapping.getByLabel('POS item id').fill(SQUARE_ITEM);
    await mapping.getByLabel('GTIN').fill('09506000134353');
    await mapping.getByRole('button', { name: 'Add mapping' }).click();
    await expect
      .poll(() => mapping.locator('.field.invalid').filter({ hasText: 'GTIN' }).textContent())
      .toMatch(/check digit/i);
    await mapping.getByLabel('GTIN').fill(GTIN);
    await mapping.getByRole('button', { name: 'Add mapping' }).click();
    const items = store().getByRole('table', { name: 'POS items of Lyon Part-Dieu' });
    await items.getByRole('cell', { name: SQUARE_ITEM, exact: true }).waitFor();
    expect(await items.getByRole('cell', { name: GTIN }).count()).toBe(1);
  });

  it('shows the inventory a signed Square webhook delivers, with its confidence and last sync', async () => {
    const { page } = browser;
    const url = await store().getByLabel('Square webhook URL').inputValue();
    expect(url).toMatch(new RegExp(`/webhooks/pos/square/${(await ours())!.id}$`));
    const body = JSON.stringify({
      merchant_id: 'MLXBM2X0E6RCX',
      type: 'inventory.count.updated',
      event_id: '0d8d7fa1-7d9d-4f9b-8a55-6d35b1f4d7b1',
      created_at: new Date().toISOString(),
      data: {
        type: 'inventory_counts',
        id: 'a1b2',
        object: {
          inventory_counts: [
            {
              calculated_at: new Date().toISOString(),
              catalog_object_id: SQUARE_ITEM,
              catalog_object_type: 'ITEM_VARIATION',
              location_id: 'LQ8NX8H3WC9G1',
              quantity: '12',
              state: 'IN_STOCK',
            },
          ],
        },
      },
    });
    // Square signs the notification URL as registered (the one the page shows) followed by the body:
    // base64 HMAC-SHA256 (Square's "Validate webhook notifications"), computed here independently.
    const sign = (key: string) =>
      createHmac('sha256', key)
        .update(url + body)
        .digest('base64');
    const send = async (key: string) =>
      fetch(`${worker.url}${new URL(url).pathname}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-square-hmacsha256-signature': sign(key),
        },
        body,
      });
    expect((await send('not-the-key-we-set-0000')).status).toBe(401);
    const res = await send(SQUARE_KEY);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: 1, applied: 1 });

    await store().getByRole('button', { name: 'Refresh' }).click();
    const inventory = store().getByRole('table', { name: 'Inventory of Lyon Part-Dieu' });
    const row = inventory.getByRole('row').filter({ hasText: GTIN });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      GTIN,
      '12',
      'In stock',
      expect.stringMatching(/\d/),
      'Confirmed',
      'square',
    ]);
    expect(await store().locator('.last-sync').textContent()).toMatch(/^Last sync \d/);
    await browser.screenshot('stores-inventory');

    await page.setViewportSize({ width: 390, height: 844 });
    await store().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await browser.screenshot('stores-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('edits the store, removes a mapping and disconnects Square', async () => {
    await store().getByRole('button', { name: 'Edit' }).click();
    const edit = store().getByRole('form', { name: 'Edit Lyon Part-Dieu' });
    await edit.getByLabel('Postal code').fill('69003');
    await edit.getByRole('button', { name: 'Save store' }).click();
    await store()
      .getByText(/69003 Lyon/)
      .waitFor();

    await store()
      .getByRole('button', { name: `Remove ${SQUARE_ITEM}` })
      .click();
    await store()
      .getByRole('button', { name: `Confirm remove ${SQUARE_ITEM}` })
      .click();
    await store().getByText('No items mapped yet').waitFor();

    await store().getByRole('button', { name: 'Disconnect Square' }).click();
    await store().getByRole('button', { name: 'Confirm disconnect Square' }).click();
    await store().getByRole('group', { name: 'Square' }).getByText('Not connected').waitFor();
    expect((await ours())!.pos.square).toMatchObject({ location_id: null, signature_key_set: false });
  });

  it('shows a read-only key the stores without any control that writes', async () => {
    const { page } = browser;
    const { key } = await worker.api<{ key: string }>('/v1/api-keys', {
      method: 'POST',
      body: { name: 'read only', role: 'readonly' },
    });
    await signIn(key);
    await page.getByRole('navigation').getByRole('link', { name: 'Stores' }).click();
    await store().waitFor();
    await store().getByRole('table', { name: 'Inventory of Lyon Part-Dieu' }).waitFor();
    expect(await page.getByText('This key is read-only').count()).toBe(1);
    expect(await page.getByRole('form').count()).toBe(0);
    for (const name of ['Edit', 'Delete store', 'Add store', 'Connect Square'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await store().getByLabel('Square webhook URL').count()).toBe(1);
  });

  it('deletes the store (as the owner again); with no stores left the page says so', async () => {
    const { page } = browser;
    await signIn(worker.key);
    await page.getByRole('navigation').getByRole('link', { name: 'Stores' }).click();
    await store().getByRole('button', { name: 'Delete store' }).click();
    await store().getByRole('button', { name: 'Confirm delete Lyon Part-Dieu' }).click();
    await expect.poll(() => store().count()).toBe(0);
    expect(await ours()).toBeUndefined();
    // The demo's own stores go too (through the API), for the empty state.
    for (const l of (await worker.api<{ data: Location[] }>('/v1/locations?limit=200')).data)
      await worker.api(`/v1/locations/${l.id}`, { method: 'DELETE' });
    await page.reload();
    await page.getByText('No stores yet. Add one above').waitFor();
    expect(browser.problems).toEqual([]);
  });
});
