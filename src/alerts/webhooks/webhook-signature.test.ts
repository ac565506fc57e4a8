import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signatureHeader, signPayload, verifySignature } from './webhook-signature';

const SECRET = 'whsec_test_secret';
const BODY =
  '{"id":"evt_1","type":"alert.impossible_travel","created_at":"2026-06-01T12:00:00.000Z","data":{}}';

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 under the whole secret, as lowercase hex', async () => {
    // Computed independently: python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test_secret",
    // b"1780000000.{\"id\":\"evt_1\"}", hashlib.sha256).hexdigest())'
    expect(await signPayload(SECRET, 1_780_000_000, '{"id":"evt_1"}')).toBe(
      'a41c819342c4e1838339e12814a661f63c8efe893735feeac134d6d164daf72f',
    );
  });

  it('writes t and one v1 per secret, and a receiver verifies with either secret', async () => {
    const header = await signatureHeader(['whsec_new', 'whsec_old'], 1_780_000_000, BODY);
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(await verifySignature('whsec_new', header, BODY, 1_780_000_010)).toBe(true);
    expect(await verifySignature('whsec_old', header, BODY, 1_780_000_010)).toBe(true);
    expect(await verifySignature('whsec_other', header, BODY, 1_780_000_010)).toBe(false);
  });

  it('fails for a changed body, a stale timestamp, or a malformed header', async () => {
    const header = await signatureHeader([SECRET], 1_780_000_000, BODY);
    expect(await verifySignature(SECRET, header, `${BODY} `, 1_780_000_000)).toBe(false);
    expect(await verifySignature(SECRET, header, BODY, 1_780_000_000 + 301)).toBe(false);
    expect(await verifySignature(SECRET, 'v1=abc', BODY, 1_780_000_000)).toBe(false);
    expect(parseSignatureHeader('t=1,v1=zz')).toBeNull();
  });
});
