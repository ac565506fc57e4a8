import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, WEBHOOK_MAX_ATTEMPTS } from './delivery-backoff';

describe('webhook retry backoff', () => {
  it('waits 30 s, then four times longer each try, capped at 12 h', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelaySeconds)).toEqual([
      30, 120, 480, 1_920, 7_680, 30_720, 43_200, 43_200,
    ]);
  });

  it('spends about a day on all attempts before dead-lettering', () => {
    let total = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) total += retryDelaySeconds(attempt);
    expect(total / 3600).toBeGreaterThan(20);
    expect(total / 3600).toBeLessThan(24);
  });
});
