import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectError } from '../support/http';
import { addProduct, orgWithBrand, testGtin } from '../support/rules';

// This file's GTINs: testGtin(30_000 + n).
const gtin = (n: number) => testGtin(30_000 + n);

let org: Awaited<ReturnType<typeof orgWithBrand>>;

beforeAll(async () => {
  org = await orgWithBrand('Hosted Page Foods');
});

async function page(path: string): Promise<{ res: Response; html: string }> {
  const res = await call('GET', path);
  return { res, html: await res.text() };
}

describe('hosted product page', () => {
  it("renders the catalog data and the product's GS1 links as HTML, locked down", async () => {
    const g = gtin(1);
    await addProduct(org.ownerKey, {
      gtin: g,
      brandId: org.brandId,
      name: 'Risotto Rice 411 g',
      description: 'Arborio rice with porcini.',
      image: 'https://images.example/risotto.jpg',
      defaultLink: 'https://brand.example/risotto',
    });
    const { res, html } = await page(`/p/01/${g}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<h1>Risotto Rice 411 g</h1>');
    expect(html).toContain('Arborio rice with porcini.');
    expect(html).toContain('<img src="https://images.example/risotto.jpg" alt="Risotto Rice 411 g"/>');
    expect(html).toContain('href="https://brand.example/risotto"');
    expect(html).toContain('Product Information Page'); // the GS1 link type's name
    expect(html).toContain('<p class="brand">Hosted Page Foods brand</p>'); // the brand_id's brand
    expect(html).not.toContain('Recall notice');
    expect((await call('HEAD', `/p/01/${g}`)).status).toBe(200);
    // A GTIN-13 is the same product.
    expect((await call('GET', `/p/01/${g.slice(1)}`)).status).toBe(200);
  });

  it('shows untrusted product data as text: a <script> in the name never runs', async () => {
    const g = gtin(2);
    const hostile = '<script>alert("name")</script>';
    await addProduct(org.ownerKey, { gtin: g, name: hostile, description: '"><img src=x onerror=alert(1)>' });
    const { html } = await page(`/p/01/${g}`);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows a clear recall notice for a recalled lot, and none for other lots', async () => {
    const g = gtin(3);
    await addProduct(org.ownerKey, {
      gtin: g,
      name: 'Capsules',
      recalledLots: [{ lot: 'ABC123', reason: 'Capsule <seal> defect', recalled_at: '2026-02-10T00:00:00Z' }],
    });
    const recalled = await page(`/p/01/${g}/10/ABC123`);
    expect(recalled.res.status).toBe(200);
    expect(recalled.html).toContain('role="alert"');
    expect(recalled.html).toContain('Recall notice: lot ABC123');
    expect(recalled.html).toContain('recalled on 2026-02-10');
    expect(recalled.html).toContain('Reason: Capsule &lt;seal&gt; defect');
    expect((await page(`/p/01/${g}/10/OTHER`)).html).not.toContain('Recall notice');
    expect((await page(`/p/01/${g}`)).html).not.toContain('Recall notice');
  });

  it('says so when the whole product is recalled or discontinued', async () => {
    await addProduct(org.ownerKey, { gtin: gtin(4), status: 'recalled' });
    expect((await page(`/p/01/${gtin(4)}`)).html).toContain('This product has been recalled');
    await addProduct(org.ownerKey, { gtin: gtin(5), status: 'discontinued' });
    expect((await page(`/p/01/${gtin(5)}`)).html).toContain('This product is discontinued');
  });

  it('404s a GTIN not in any catalog and 400s a bad GTIN or lot', async () => {
    await expectError(await call('GET', `/p/01/${gtin(6)}`), 404, 'not_found');
    const bad = await expectError(await call('GET', '/p/01/09506000134353'), 400, 'validation_failed');
    expect(JSON.stringify(bad.details)).toContain('check digit');
    await expectError(await call('GET', `/p/01/${gtin(1)}/10/${'L'.repeat(21)}`), 400, 'validation_failed');
  });
});
