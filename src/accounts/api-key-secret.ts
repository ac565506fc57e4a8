// API key format and hashing. Deliberately import-free Web Crypto so the Node scripts that
// bootstrap organisations (scripts/) share it with the Worker.
//
// A key looks like `dle_k7Qx2m9A_<32 base62 chars>`: `dle_` marks it as ours (secret scanners can
// match it), the next 8 characters are the visible prefix shown in key lists, and the rest is
// ~190 bits of secret. Only the SHA-256 of the whole key is stored; a leaked database does not
// leak usable keys, and because the lookup is by hash there is no secret comparison to time.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PATTERN = /^dle_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, 12);
}

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export async function generateApiKey(): Promise<NewApiKey> {
  const key = `dle_${randomBase62(8)}_${randomBase62(32)}`;
  return { key, prefix: apiKeyPrefix(key), hash: await hashApiKey(key) };
}
