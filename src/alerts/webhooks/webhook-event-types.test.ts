import { describe, expect, it } from 'vitest';
import { SUBSCRIPTIONS, subscribes } from './webhook-event-types';

describe('webhook subscriptions', () => {
  it('match a type exactly, by family, or everything', () => {
    expect(subscribes(['product.recalled'], 'product.recalled')).toBe(true);
    expect(subscribes(['product.recalled'], 'link.changed')).toBe(false);
    expect(subscribes(['alert.*'], 'alert.impossible_travel')).toBe(true);
    expect(subscribes(['alert.*'], 'inventory.stale')).toBe(false);
    expect(subscribes(['link.*', 'inventory.*'], 'inventory.stale')).toBe(true);
    expect(subscribes(['*'], 'link.changed')).toBe(true);
    expect(subscribes([], 'link.changed')).toBe(false);
  });

  it('a family wildcard needs the full stop: `alert.*` is not `alerts.x`', () => {
    expect(subscribes(['alert.*'], 'alerts.x')).toBe(false);
  });

  it('offer every type, every family and `*`', () => {
    expect(SUBSCRIPTIONS).toEqual(
      expect.arrayContaining(['*', 'alert.*', 'product.*', 'inventory.*', 'link.*', 'link.changed']),
    );
    expect(new Set(SUBSCRIPTIONS).size).toBe(SUBSCRIPTIONS.length);
  });
});
