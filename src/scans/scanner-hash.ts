// Unique scanners without storing who they are: HMAC-SHA256 over (UTC day, client address,
// User-Agent) under a secret. The day is part of the message, so the same phone hashes
// differently tomorrow: counts are per day and nothing links a person across days.
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

export const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export async function scannerHash(secret: string, at: number, clientAddress: string, userAgent: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${utcDay(at)}|${clientAddress}|${userAgent}`)));
  // The first 128 bits, as hex: plenty to tell a day's scanners apart.
  let hex = '';
  for (let i = 0; i < 16; i++) hex += HEX[mac[i]!];
  return hex;
}
