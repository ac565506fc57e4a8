// Messages on the alert-events queue (wrangler.toml [[queues]]). Two kinds, one queue:
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
  alertId: string;
  /** The JSON body `{id, type, created_at, data}` as sent and signed. */
  body: string;
}

export type AlertQueueMessage = AlertOpenedMessage | DeliveryMessage;
