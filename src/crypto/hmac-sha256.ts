// HMAC-SHA256 under a long-lived secret (SCANNER_HASH_SECRET), as hex: how scans and search
// name a client for a day without keeping who it is. The imported key is kept per secret, since
// importing it costs more than signing a short message.
const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** The first `bytes` bytes (at most 32) of HMAC-SHA256(secret, message), as lower-case hex. */
export async function hmacSha256Hex(secret: string, message: string, bytes = 32): Promise<string> {
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message)),
  );
  let hex = '';
  for (let i = 0; i < Math.min(bytes, mac.length); i++) hex += HEX[mac[i]!];
  return hex;
}
