import { describe, expect, it } from 'vitest';
import { clientKey, clientNetwork } from './client-key';

describe('clientNetwork', () => {
  it('keeps IPv4 addresses and reduces IPv6 to its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3:8d3::/64');
    expect(clientNetwork('2001:DB8:0:0::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('clientKey', () => {
  it('is a keyed hash that changes with the day and never contains the address', async () => {
    const day = Date.UTC(2026, 10, 1, 12);
    const a = await clientKey('secret', day, '203.0.113.7');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await clientKey('secret', day + 3_600_000, '203.0.113.7')).toBe(a);
    expect(await clientKey('secret', day + 86_400_000, '203.0.113.7')).not.toBe(a);
    expect(await clientKey('other', day, '203.0.113.7')).not.toBe(a);
    expect(await clientKey('secret', day, '2001:db8::1')).toBe(await clientKey('secret', day, '2001:db8::2'));
  });

  it('still works without a secret (a deployment that forgot SCANNER_HASH_SECRET)', async () => {
    expect(await clientKey('', Date.now(), '203.0.113.7')).toMatch(/^[0-9a-f]{32}$/);
  });
});
