// The events an endpoint can subscribe to. Types are hierarchical and full-stop delimited
// (Standard Webhooks, "Event types"); a subscription names a type, a family (`alert.*`), or `*`.
import { ALERT_TYPES } from '../../db/schema';

export const EVENT_TYPES = [
  ...ALERT_TYPES.map((t) => `alert.${t}` as const),
  /** A product's status became `recalled`, or lots were added to its recalled lots. */
  'product.recalled',
  /** A store whose stock used to sync has sent nothing for a day. */
  'inventory.stale',
  /** Entities and links the resolver answers with were created, replaced or deleted. */
  'link.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent only by `POST /v1/webhooks/:id/test`, to that endpoint, whatever it subscribes to. */
export const TEST_EVENT_TYPE = 'webhook.test';

const FAMILIES = [...new Set(EVENT_TYPES.map((t) => t.split('.')[0]!))];

/** Every subscription the API accepts: each type, each family's wildcard, and `*`. */
export const SUBSCRIPTIONS = ['*', ...FAMILIES.map((f) => `${f}.*`), ...EVENT_TYPES] as const;

export const eventTypeOfAlert = (alertType: string) => `alert.${alertType}`;

/** Whether an endpoint with these subscriptions receives `eventType`. */
export function subscribes(subscriptions: readonly string[], eventType: string): boolean {
  return subscriptions.some(
    (s) => s === '*' || s === eventType || (s.endsWith('.*') && eventType.startsWith(s.slice(0, -1))),
  );
}
