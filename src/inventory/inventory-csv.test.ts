import { describe, expect, it } from 'vitest';
import { inventoryColumnOf, inventoryItemOfRow } from './inventory-csv';

describe('an inventory CSV row as the JSON item', () => {
  it('reads numbers and keeps text', () => {
    expect(
      inventoryItemOfRow({
        location_id: 'loc_1',
        gtin: '09506000134352',
        quantity: '12',
        price: '3.49',
        currency: 'eur',
        status: 'in_stock',
        synced_at: '2026-12-01T10:00:00Z',
      }),
    ).toEqual({
      item: {
        location_id: 'loc_1',
        gtin: '09506000134352',
        quantity: 12,
        price: 3.49,
        currency: 'eur',
        status: 'in_stock',
        synced_at: '2026-12-01T10:00:00Z',
      },
      problems: [],
    });
  });

  it('leaves absent cells out, and names unreadable numbers', () => {
    expect(inventoryItemOfRow({ gtin: '1', quantity: 'ten', price: '€3' })).toEqual({
      item: { gtin: '1' },
      problems: [
        { column: 'quantity', message: 'Not a number' },
        { column: 'price', message: 'Not a number' },
      ],
    });
    // 1.5 is a number; the schema, not the cell, says a quantity is whole.
    expect(inventoryItemOfRow({ quantity: '1.5' }).item).toEqual({ quantity: 1.5 });
  });

  it.each([
    [['quantity'], 'quantity'],
    [['synced_at'], 'synced_at'],
    [[], 'gtin'],
    [['currency'], 'currency'],
  ])('names the column of path %j', (path, column) => expect(inventoryColumnOf(path)).toBe(column));
});
