import { describe, expect, it } from 'vitest';
import { inventoryConfidence, isActiveLocation, syncedAtRange } from './inventory-confidence';

const NOW = Date.UTC(2026, 5, 1, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('inventoryConfidence', () => {
  it.each([
    [0, 'confirmed'],
    [59 * MIN, 'confirmed'],
    [HOUR, 'confirmed'],
    [HOUR + 1, 'likely'],
    [24 * HOUR, 'likely'],
    [24 * HOUR + 1, 'uncertain'],
    [30 * 24 * HOUR, 'uncertain'],
  ] as const)('synced %i ms ago is %s', (age, expected) => {
    expect(inventoryConfidence(NOW - age, NOW)).toBe(expected);
  });

  it('treats a count from the near future (clock skew) as confirmed', () => {
    expect(inventoryConfidence(NOW + MIN, NOW)).toBe('confirmed');
  });

  it('has synced_at ranges that agree with the classification at their edges', () => {
    for (const confidence of ['confirmed', 'likely', 'uncertain'] as const) {
      const { min, max } = syncedAtRange(confidence, NOW);
      if (min !== undefined) expect(inventoryConfidence(min, NOW)).toBe(confidence);
      if (max !== undefined) expect(inventoryConfidence(max, NOW)).toBe(confidence);
    }
  });
});

describe('isActiveLocation', () => {
  it('is active with inventory synced within 7 days, not before, not never', () => {
    expect(isActiveLocation(NOW - 7 * 24 * HOUR, NOW)).toBe(true);
    expect(isActiveLocation(NOW - 7 * 24 * HOUR - 1, NOW)).toBe(false);
    expect(isActiveLocation(null, NOW)).toBe(false);
  });
});
