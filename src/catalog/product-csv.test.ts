import { describe, expect, it } from 'vitest';
import { PRODUCT_CSV_COLUMNS, productColumnOf, productItemOfRow } from './product-csv';
import { productInputSchema } from './product-input';

describe('a product CSV row as the JSON item', () => {
  it('keeps scalars, leaves absent cells out', () => {
    expect(productItemOfRow({ gtin: '09506000134352' })).toEqual({
      item: { gtin: '09506000134352' },
      problems: [],
    });
    expect(
      productItemOfRow({ gtin: '1', brand_id: 'brd_1', status: 'draft', default_source: 'import' }).item,
    ).toEqual({ gtin: '1', brand_id: 'brd_1', status: 'draft', default_source: 'import' });
  });

  it('puts a field with its source and confidence together', () => {
    expect(
      productItemOfRow({ gtin: '1', name: 'Risotto', 'name.source': 'retailer', 'name.confidence': '0.7' })
        .item,
    ).toEqual({
      gtin: '1',
      fields: { name: { value: 'Risotto', source: 'retailer', confidence: 0.7 } },
    });
  });

  it('keeps a source without a value, for the schema to refuse', () => {
    const { item } = productItemOfRow({ gtin: '09506000134352', 'brand.source': 'brand' });
    expect(item).toEqual({ gtin: '09506000134352', fields: { brand: { source: 'brand' } } });
    const parsed = productInputSchema.safeParse(item);
    expect(parsed.success).toBe(false);
    expect(productColumnOf(parsed.error!.issues[0]!.path)).toBe('brand');
  });

  it.each([
    [
      'images',
      'https://a.example/1.png; https://a.example/2.png',
      ['https://a.example/1.png', 'https://a.example/2.png'],
    ],
    ['allergens', '[]', []],
    ['certifications', 'EU organic;Fairtrade', ['EU organic', 'Fairtrade']],
    ['net_content', '500 g', { value: 500, unit: 'g' }],
    ['net_content', '1.5l', { value: 1.5, unit: 'l' }],
    ['net_content', '12 fl_oz', { value: 12, unit: 'fl_oz' }],
    ['nutrition', 'basis=100g; energy_kcal=354', { basis: '100g', energy_kcal: 354 }],
    ['country_of_origin', 'IT', 'IT'],
    ['description', 'two\nlines', 'two\nlines'],
  ])('reads %s from %j', (column, cell, value) => {
    expect(productItemOfRow({ gtin: '1', [column]: cell })).toEqual({
      item: { gtin: '1', fields: { [column]: { value } } },
      problems: [],
    });
  });

  it.each([
    ['net_content', 'a lot', 'Must be an amount and a unit, e.g. "500 g"'],
    ['net_content', 'g 500', 'Must be an amount and a unit, e.g. "500 g"'],
    ['name.confidence', 'high', 'Not a number'],
    ['nutrition', 'energy', '"energy" is not key=value'],
    ['allergens', '[milk]', 'A cell starting with "[" must be a JSON array'],
    ['authorised_markets', '[FR', 'A cell starting with "[" must be a JSON array'],
  ])('cannot read %s from %j', (column, cell, message) => {
    expect(productItemOfRow({ gtin: '1', [column]: cell }).problems).toEqual([{ column, message }]);
  });

  it('reads markets and recalled lots as lists, plain lot codes as {lot}', () => {
    expect(
      productItemOfRow({ gtin: '1', authorised_markets: 'FR; DE', recalled_lots: 'L1;L2' }).item,
    ).toEqual({
      gtin: '1',
      authorised_markets: ['FR', 'DE'],
      recalled_lots: [{ lot: 'L1' }, { lot: 'L2' }],
    });
    const full = '[{"lot":"L1","recalled_at":"2026-01-02T00:00:00Z","reason":"glass"}]';
    expect(productItemOfRow({ gtin: '1', recalled_lots: full }).item.recalled_lots).toEqual([
      { lot: 'L1', recalled_at: '2026-01-02T00:00:00Z', reason: 'glass' },
    ]);
  });

  it('passes a full row through the JSON schema', () => {
    const { item } = productItemOfRow({
      gtin: '9506000134352',
      name: 'Risotto',
      'name.confidence': '1',
      net_content: '500 g',
      allergens: 'milk',
      authorised_markets: 'FR;DE;FR',
    });
    expect(productInputSchema.parse(item)).toMatchObject({
      gtin: '09506000134352',
      authorised_markets: ['DE', 'FR'],
      fields: { net_content: { value: { value: 500, unit: 'g' } } },
    });
  });

  it.each([
    [['gtin'], 'gtin'],
    [['status'], 'status'],
    [['fields', 'name', 'value'], 'name'],
    [['fields', 'name'], 'name'],
    [['fields', 'net_content', 'value', 'unit'], 'net_content'],
    [['fields', 'name', 'source'], 'name.source'],
    [['fields', 'images', 'confidence'], 'images.confidence'],
    [['authorised_markets', 2], 'authorised_markets'],
    [['recalled_lots', 0, 'lot'], 'recalled_lots'],
    [[], 'gtin'],
    [['colour'], 'gtin'],
  ])('names the column of path %j', (path, column) => expect(productColumnOf(path)).toBe(column));

  it('has a value, source and confidence column per content field', () => {
    expect(PRODUCT_CSV_COLUMNS).toContain('ingredients.source');
    expect(PRODUCT_CSV_COLUMNS).toHaveLength(4 + 11 * 3 + 2);
  });
});
