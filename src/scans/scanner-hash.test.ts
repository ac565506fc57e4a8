import { describe, expect, it } from 'vitest';
import { utcDay } from './scan-dimensions';
import { scannerHash } from './scanner-hash';

/** HMAC-SHA256 of `message` under `secret`, as hex: computed here independently of the module. */
async function referenceHmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('scannerHash', () => {
  const at = Date.parse('2026-11-27T10:00:00Z');

  it('is the first 128 bits of HMAC-SHA256 over day, address and User-Agent', async () => {
    const expected = await referenceHmac('s3cret', `${utcDay(at)}|203.0.113.7|Mozilla/5.0`);
    expect(await scannerHash('s3cret', at, '203.0.113.7', 'Mozilla/5.0')).toBe(expected.slice(0, 32));
  });

  it('changes with the day, the address, the agent and the secret', async () => {
    const base = await scannerHash('k', at, 'a', 'u');
    expect(await scannerHash('k', at + 86_400_000, 'a', 'u')).not.toBe(base);
    expect(await scannerHash('k', at, 'b', 'u')).not.toBe(base);
    expect(await scannerHash('k', at, 'a', 'v')).not.toBe(base);
    expect(await scannerHash('l', at, 'a', 'u')).not.toBe(base);
    expect(await scannerHash('k', at + 3_600_000, 'a', 'u')).toBe(base); // same UTC day
  });

  it('never contains the secret or the address', async () => {
    const hash = await scannerHash('super-secret-value', at, '198.51.100.1', 'UA');
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
  });
});
