import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error';
import { openSecret, sealSecret } from './sealed-secret';

const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const OTHER_KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

describe('sealed secrets', () => {
  it('opens what it sealed, and never shows the plaintext', async () => {
    const sealed = await sealSecret(KEY, 'shpss_secret', 'locations/loc_1/shopify_webhook_secret');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('shpss');
    expect(await openSecret(KEY, sealed, 'locations/loc_1/shopify_webhook_secret')).toBe('shpss_secret');
  });

  it('seals the same secret differently every time (random nonce)', async () => {
    expect(await sealSecret(KEY, 's', 'c')).not.toBe(await sealSecret(KEY, 's', 'c'));
  });

  it('will not open under another key, for another row, or when tampered with', async () => {
    const sealed = await sealSecret(KEY, 'shpss_secret', 'locations/loc_1/shopify_webhook_secret');
    expect(await openSecret(OTHER_KEY, sealed, 'locations/loc_1/shopify_webhook_secret')).toBeUndefined();
    expect(await openSecret(KEY, sealed, 'locations/loc_2/shopify_webhook_secret')).toBeUndefined();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A=') ? 'B=' : 'A=');
    expect(await openSecret(KEY, tampered, 'locations/loc_1/shopify_webhook_secret')).toBeUndefined();
  });

  it('needs SECRETS_KEY to be 32 bytes of base64', async () => {
    for (const key of [undefined, '', 'c2hvcnQ=', 'not base64 at all!']) {
      await expect(sealSecret(key, 's', 'c')).rejects.toThrow(ApiError);
    }
  });
});
