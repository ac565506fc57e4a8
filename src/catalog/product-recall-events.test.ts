import { describe, expect, it } from 'vitest';
import { productRecalledEvents, recallOf } from './product-recall-events';
import type { ProductRecord } from './product-record';

const lot = (name: string) => ({ lot: name, recalledAt: null, reason: null });
const product = (status: ProductRecord['status'], lots: string[]) =>
  ({
    id: 'prd_1',
    gtin: '09506000134352',
    status,
    recalledLots: lots.map(lot),
    fields: {},
  }) as unknown as ProductRecord;

describe('product recalls', () => {
  it('is a recall when the status becomes recalled, or lots are added', () => {
    expect(recallOf(undefined, product('recalled', []))).toMatchObject({
      statusRecalled: true,
      lotsAdded: [],
    });
    expect(recallOf(product('active', ['A']), product('active', ['A', 'B']))).toMatchObject({
      statusRecalled: false,
      lotsAdded: [lot('B')],
    });
    expect(recallOf(undefined, product('active', ['A']))).toMatchObject({ lotsAdded: [lot('A')] });
  });

  it('is no recall when nothing new is recalled', () => {
    expect(recallOf(undefined, product('active', []))).toBeNull();
    expect(recallOf(product('recalled', ['A']), product('recalled', ['A']))).toBeNull();
    expect(recallOf(product('active', ['A', 'B']), product('active', ['B']))).toBeNull();
    expect(recallOf(product('recalled', []), product('discontinued', []))).toBeNull();
  });

  it('sends one event per 50 products', () => {
    const recalls = Array.from({ length: 120 }, () => recallOf(undefined, product('recalled', []))!);
    const events = productRecalledEvents(recalls, 0);
    expect(events.map((e) => (e.data as { recalls: unknown[] }).recalls.length)).toEqual([50, 50, 20]);
    expect(events.every((e) => e.type === 'product.recalled' && e.id.startsWith('evt_'))).toBe(true);
  });
});
