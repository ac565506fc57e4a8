// Secrets we must read back — POS webhook HMAC keys are shared secrets: we verify with the key the
// platform signs with, so a hash will not do — are sealed with AES-256-GCM under the SECRETS_KEY
// Worker secret before they reach D1; a copy of the database alone yields no usable key. The
// associated data names the row and purpose, so a sealed value copied to another row will not open.
import { ApiError } from '../http/api-error';

const FORMAT = 'v1';
const IV_BYTES = 12; // the GCM nonce length NIST SP 800-38D recommends

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function importKey(secretsKey: string | undefined): Promise<CryptoKey> {
  let raw: Uint8Array | undefined;
  try {
    raw = secretsKey ? fromBase64(secretsKey.trim()) : undefined;
  } catch {
    raw = undefined;
  }
  if (raw?.length !== 32) {
    throw new ApiError(
      'unavailable',
      'This Worker cannot store or use webhook secrets: set SECRETS_KEY to 32 random bytes, base64-encoded (`openssl rand -base64 32 | wrangler secret put SECRETS_KEY`)',
    );
  }
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealSecret(
  secretsKey: string | undefined,
  plaintext: string,
  context: string,
): Promise<string> {
  const key = await importKey(secretsKey);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const additionalData = new TextEncoder().encode(context);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${FORMAT}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The plaintext, or undefined when the value was sealed under another key or for another context. */
export async function openSecret(
  secretsKey: string | undefined,
  sealed: string,
  context: string,
): Promise<string | undefined> {
  const key = await importKey(secretsKey);
  const [format, iv, data] = sealed.split('.');
  if (format !== FORMAT || !iv || !data) return undefined;
  try {
    const additionalData = new TextEncoder().encode(context);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv), additionalData },
      key,
      fromBase64(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
