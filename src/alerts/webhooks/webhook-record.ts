// Webhooks and their delivery attempts as the API shows them; a secret is never shown here
// (only once, in the responses of create and rotate).
import * as z from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, type Webhook, type WebhookDelivery } from '../../db/schema';
import { timestamp, timestampOrNull } from '../../http/response-schemas';
import { isoOrNull } from '../../time/iso-time';

export const webhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()),
    enabled: z.boolean(),
    previous_secret_expires_at: timestampOrNull.meta({
      description: 'While set, deliveries carry a second signature made with the previous secret',
    }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Webhook' });

export const deliveryView = z
  .object({
    id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    alert_id: z.string().nullable(),
    attempt: z.number().int(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    response_status: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    next_attempt_at: timestampOrNull,
    created_at: timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

export function presentWebhook(row: Webhook, now: number) {
  const previousValid = row.previousSecretSealed !== null && (row.previousSecretExpiresAt ?? 0) > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    enabled: row.enabled,
    // While set, deliveries carry a second v1 signature made with the previous secret.
    previous_secret_expires_at: previousValid ? isoOrNull(row.previousSecretExpiresAt) : null,
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}

export function presentDelivery(row: WebhookDelivery) {
  return {
    id: row.id,
    event_id: row.eventId,
    event_type: row.eventType,
    alert_id: row.alertId,
    attempt: row.attempt,
    status: row.status,
    response_status: row.responseStatus,
    error: row.error,
    duration_ms: row.durationMs,
    next_attempt_at: isoOrNull(row.nextAttemptAt),
    created_at: isoOrNull(row.createdAt),
  };
}
