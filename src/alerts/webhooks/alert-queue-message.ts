// Messages on the alert-events queue (wrangler.toml [[queues]]), which carries every webhook event
// (alerts and the others). Two kinds, one queue:
// - `alert_opened`: a ScanCounter opened an alert; the consumer fans it out to the organisation's
//   subscribed endpoints as one `delivery` message each, so every endpoint retries on its own.
// - `delivery`: one event to one endpoint, body fixed at fan-out (the same bytes on every try).
export interface AlertOpenedMessage {
  kind: 'alert_opened';
  orgId: string;
  alertId: string;
}

export interface DeliveryMessage {
  kind: 'delivery';
  orgId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /** The alert an `alert.*` event is about. */
  alertId?: string | null;
  /** The JSON body `{id, type, timestamp, data}` as sent and signed. */
  body: string;
  /**
   * Which attempt this message makes (1 = the first try). The consumer schedules retries itself
   * (the spec's schedule has waits longer than a Queue delay); messages enqueued before it did
   * carry none, and count with the queue's own attempts.
   */
  attempt?: number;
  /** Epoch ms before which the attempt must not be made: a longer wait travels in several hops. */
  dueAt?: number;
}

export type AlertQueueMessage = AlertOpenedMessage | DeliveryMessage;
