// HMAC-SHA256 webhook signatures as Shopify (X-Shopify-Hmac-Sha256: base64 HMAC of the raw body)
// and Square (x-square-hmacsha256-signature: base64 HMAC of notification URL + raw body) send them.

/**
 * True when `signatureBase64` is the HMAC-SHA256 of `data` under `secret`. crypto.subtle.verify
 * compares in constant time, so response timing reveals nothing about how close a forgery came.
 */
export async function verifyHmacSha256(
  secret: string,
  data: Uint8Array,
  signatureBase64: string | undefined,
): Promise<boolean> {
  if (!signatureBase64) return false;
  let signature: Uint8Array;
  try {
    signature = Uint8Array.from(atob(signatureBase64.trim()), (ch) => ch.charCodeAt(0));
  } catch {
    return false; // not base64
  }
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify('HMAC', key, signature, data);
}

/** The bytes Square signs: the notification URL exactly as registered, then the raw body. */
export function squareSignedBytes(notificationUrl: string, body: Uint8Array): Uint8Array {
  const url = new TextEncoder().encode(notificationUrl);
  const bytes = new Uint8Array(url.length + body.length);
  bytes.set(url);
  bytes.set(body, url.length);
  return bytes;
}

/** Base64 HMAC-SHA256, as the platforms compute it (tests and local tools sign with it). */
export async function signHmacSha256(secret: string, data: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign('HMAC', key, data))));
}
