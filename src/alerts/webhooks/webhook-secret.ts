// Webhook signing secrets: `whsec_` + 32 random bytes in standard base64, the serialisation
// Standard Webhooks prescribes (at least 24 bytes) and its libraries decode. Shown once, at
// creation or rotation; stored sealed (AES-GCM under SECRETS_KEY, src/crypto/sealed-secret.ts)
// because the Worker must read it back to sign, which a hash would not allow.
import { openSecret, sealSecret } from '../../crypto/sealed-secret';

const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** One context for the current and the previous secret: a rotation moves the sealed value as is. */
const context = (webhookId: string) => `webhooks/${webhookId}/signing-secret`;

export const sealWebhookSecret = (secretsKey: string | undefined, webhookId: string, secret: string) =>
  sealSecret(secretsKey, secret, context(webhookId));

export const openWebhookSecret = (secretsKey: string | undefined, webhookId: string, sealed: string) =>
  openSecret(secretsKey, sealed, context(webhookId));
