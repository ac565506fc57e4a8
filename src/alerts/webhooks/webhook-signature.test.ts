import { describe, expect, it } from 'vitest';
import { generateWebhookSecret } from './webhook-secret';
import { secretKeyBytes, signatureHeaders, signPayload } from './webhook-signature';

// The Standard Webhooks libraries' own test vector (secret, id, timestamp, payload → signature),
// checked independently: python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
// base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.
// {\"test\": 2432232314}", hashlib.sha256).digest()))'
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1_614_265_330;
const BODY = '{"test": 2432232314}';

describe('Standard Webhooks signatures', () => {
  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 under the decoded secret, in base64', async () => {
    expect(await signPayload(SECRET, ID, TIMESTAMP, BODY)).toBe(
      'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('sends the id, the timestamp and one space-separated v1 signature per secret', async () => {
    const other = generateWebhookSecret();
    const headers = await signatureHeaders([SECRET, other], ID, TIMESTAMP, BODY);
    expect(headers['webhook-id']).toBe(ID);
    expect(headers['webhook-timestamp']).toBe('1614265330');
    const [first, second] = headers['webhook-signature']!.split(' ');
    expect(first).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(second).toBe(`v1,${await signPayload(other, ID, TIMESTAMP, BODY)}`);
  });

  it('makes secrets of 32 random bytes in standard base64, and reads base64url ones of old', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(secretKeyBytes('whsec_-_8')).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(secretKeyBytes('whsec_+/8=')).toEqual(Uint8Array.from([0xfb, 0xff]));
  });
});
