import { describe, expect, it } from 'vitest';
import { nextDelaySeconds, retryDelaySeconds, WEBHOOK_MAX_ATTEMPTS, withJitter } from './delivery-backoff';

describe('webhook retry schedule (Standard Webhooks)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failure', () => {
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(10);
    expect(Array.from({ length: 9 }, (_, i) => retryDelaySeconds(i + 1))).toEqual([
      5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400,
    ]);
  });

  it('spends about three days on all attempts before dead-lettering', () => {
    let total = 0;
    for (let attempt = 1; attempt < WEBHOOK_MAX_ATTEMPTS; attempt++) total += retryDelaySeconds(attempt);
    // The spec's table ends at 75:35:05.
    expect(total).toBe(75 * 3600 + 35 * 60 + 5);
  });

  it('adds up to a tenth of jitter', () => {
    expect(withJitter(300, 0)).toBe(300);
    expect(withJitter(300, 0.999)).toBe(330);
  });

  it('honours Retry-After (seconds or a date) when it asks for longer, up to a day', () => {
    const now = Date.parse('2026-06-01T10:00:00Z');
    expect(nextDelaySeconds(1, null, now, 0)).toBe(5);
    expect(nextDelaySeconds(1, '120', now, 0)).toBe(120);
    expect(nextDelaySeconds(2, '120', now, 0)).toBe(300);
    expect(nextDelaySeconds(1, 'Mon, 01 Jun 2026 11:00:00 GMT', now, 0)).toBe(3600);
    expect(nextDelaySeconds(1, '999999', now, 0)).toBe(86_400);
    expect(nextDelaySeconds(1, 'soon', now, 0)).toBe(5);
  });
});
