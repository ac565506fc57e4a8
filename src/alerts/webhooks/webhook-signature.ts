// Webhook signatures, as Stripe signs its events: header
//   Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">[,v1=<…>]
// keyed with the endpoint's secret (the whole `whsec_…` string, UTF-8). The timestamp is inside
// the signed bytes, so a receiver that rejects old timestamps also rejects replays. During a
// rotation each request carries one v1 per valid secret; a receiver accepts any that matches.
export const SIGNATURE_HEADER = 'Webhook-Signature';

const encoder = new TextEncoder();

const hmacKey = (secret: string, usage: 'sign' | 'verify') =>
  crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);

const toHex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function signPayload(secret: string, timestamp: number, body: string): Promise<string> {
  return toHex(
    await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), encoder.encode(`${timestamp}.${body}`)),
  );
}

/** The header value for `body` sent at `timestamp` (unix seconds), signed with every secret given. */
export async function signatureHeader(
  secrets: readonly string[],
  timestamp: number,
  body: string,
): Promise<string> {
  const signatures = await Promise.all(secrets.map((s) => signPayload(s, timestamp, body)));
  return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * What a receiver does (README "Alerts and webhooks"): true when one v1 signature matches `body`
 * under `secret` and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export async function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const key = await hmacKey(secret, 'verify');
  const signed = encoder.encode(`${parsed.timestamp}.${body}`);
  for (const hex of parsed.signatures) {
    const mac = Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return true;
  }
  return false;
}
