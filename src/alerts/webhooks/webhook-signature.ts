// Webhook signatures as Standard Webhooks defines them (standardwebhooks.com, spec 1.0.0, "Signature
// scheme" and "Webhook headers"), so receivers verify with that project's libraries:
//   webhook-id: evt_…                 the event's id, the same on every attempt (receivers dedupe by it)
//   webhook-timestamp: 1780000000     this attempt's unix seconds
//   webhook-signature: v1,<base64>    HMAC-SHA256 of "<id>.<timestamp>.<body>", one per valid secret,
//                                     space-separated (zero-downtime rotation)
// The HMAC key is the secret's bytes: the base64 after `whsec_`, decoded.
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/**
 * The key bytes of a `whsec_` secret. Standard base64; secrets made before the switch to Standard
 * Webhooks are base64url, which decodes to the same kind of key (docs/alerts.md says how to use one).
 */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const binary = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

const toBase64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under `secret`. */
export async function signPayload(
  secret: string,
  eventId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretKeyBytes(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return toBase64(await crypto.subtle.sign('HMAC', key, encoder.encode(`${eventId}.${timestamp}.${body}`)));
}

/** The three Standard Webhooks headers for `body` sent at `timestamp` (unix seconds), one signature per secret. */
export async function signatureHeaders(
  secrets: readonly string[],
  eventId: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => signPayload(s, eventId, timestamp, body)));
  return {
    [WEBHOOK_ID_HEADER]: eventId,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signatures.map((s) => `v1,${s}`).join(' '),
  };
}
