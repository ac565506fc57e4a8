// Webhooks and their delivery attempts as the API shows them; a secret is never shown here
// (only once, in the responses of create and rotate).
import type { Webhook, WebhookDelivery } from '../../db/schema';
import { isoOrNull } from '../../time/iso-time';

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
