import { beforeEach, describe, expect, it } from 'vitest';
import { resetScanThrottle, throttleScan } from './scan-throttle';

const limits = { perClient: 5, perBot: 2 };
const T0 = 1_800_000_000_000;

describe('throttleScan', () => {
  beforeEach(() => resetScanThrottle());

  it('lets a person make the client limit per minute, then says how long to wait', () => {
    const person = () => false;
    for (let i = 0; i < 5; i++) expect(throttleScan('a', person, limits, T0 + i)).toBeNull();
    expect(throttleScan('a', person, limits, T0 + 15_000)).toBe(45);
    expect(throttleScan('a', person, limits, T0 + 59_999)).toBe(1);
    expect(throttleScan('a', person, limits, T0 + 60_000)).toBeNull(); // a new window
  });

  it('holds bots to the bot allowance, asking about the User-Agent only past it', () => {
    let asked = 0;
    const bot = () => {
      asked++;
      return true;
    };
    expect(throttleScan('b', bot, limits, T0)).toBeNull();
    expect(throttleScan('b', bot, limits, T0)).toBeNull();
    expect(asked).toBe(0);
    expect(throttleScan('b', bot, limits, T0)).toBe(60);
    expect(asked).toBe(1);
  });

  it('counts each client apart', () => {
    for (let i = 0; i < 5; i++) throttleScan('c', () => false, limits, T0);
    expect(throttleScan('c', () => false, limits, T0)).not.toBeNull();
    expect(throttleScan('d', () => false, limits, T0)).toBeNull();
  });
});
