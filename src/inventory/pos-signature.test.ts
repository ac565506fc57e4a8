import { describe, expect, it } from 'vitest';
import { signHmacSha256, squareSignedBytes, verifyHmacSha256 } from './pos-signature';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('verifyHmacSha256', () => {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  const RFC4231_BASE64 = btoa(
    String.fromCharCode(
      ...'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
        .match(/../g)!
        .map((h) => parseInt(h, 16)),
    ),
  );

  it('accepts the RFC 4231 signature and what signHmacSha256 makes', async () => {
    expect(await signHmacSha256('Jefe', bytes('what do ya want for nothing?'))).toBe(RFC4231_BASE64);
    expect(await verifyHmacSha256('Jefe', bytes('what do ya want for nothing?'), RFC4231_BASE64)).toBe(true);
  });

  it('refuses another body, another key, a truncated, missing or non-base64 signature', async () => {
    const data = bytes('what do ya want for nothing?');
    expect(await verifyHmacSha256('Jefe', bytes('what do ya want for nothing!'), RFC4231_BASE64)).toBe(false);
    expect(await verifyHmacSha256('jefe', data, RFC4231_BASE64)).toBe(false);
    expect(await verifyHmacSha256('Jefe', data, RFC4231_BASE64.slice(0, 20))).toBe(false);
    expect(await verifyHmacSha256('Jefe', data, undefined)).toBe(false);
    expect(await verifyHmacSha256('Jefe', data, '%%%')).toBe(false);
  });
});

describe('squareSignedBytes', () => {
  it('is the notification URL followed by the raw body, nothing between', () => {
    expect(new TextDecoder().decode(squareSignedBytes('https://x.test/hook', bytes('{"a":1}')))).toBe(
      'https://x.test/hook{"a":1}',
    );
  });
});
