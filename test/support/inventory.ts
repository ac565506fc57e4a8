// Locations and signed POS webhook calls for the inventory tests, all through the Worker.
import { signHmacSha256, squareSignedBytes } from '../../src/inventory/pos-signature';
import { call, ORIGIN } from './http';

export interface LocationBody {
  id: string;
  name: string;
  timezone: string;
  active: boolean;
  last_synced_at: string | null;
  pos: {
    shopify: {
      location_id: string | null;
      webhook_secret_set: boolean;
      webhook_secret_set_at: string | null;
      webhook_url: string;
    };
    square: {
      location_id: string | null;
      signature_key_set: boolean;
      signature_key_set_at: string | null;
      webhook_url: string;
    };
  };
}

export const STORE = {
  name: 'Lyon Part-Dieu',
  address: { line1: '17 Rue du Docteur Bouchut', city: 'Lyon', postal_code: '69003', country: 'FR' },
  latitude: 45.7605,
  longitude: 4.8597,
  timezone: 'Europe/Paris',
};

export async function createLocation(
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<LocationBody> {
  const res = await call('POST', '/v1/locations', { key, body: { ...STORE, ...overrides } });
  if (res.status !== 201) throw new Error(`location not created: ${res.status} ${await res.text()}`);
  return res.json<LocationBody>();
}

export async function shopifyWebhook(
  locationId: string,
  payload: unknown,
  secret: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify(payload);
  const signature = await signHmacSha256(secret, new TextEncoder().encode(body));
  return call('POST', `/webhooks/pos/shopify/${locationId}`, {
    body,
    headers: { 'x-shopify-topic': 'inventory_levels/update', 'x-shopify-hmac-sha256': signature, ...headers },
  });
}

export async function squareWebhook(
  locationId: string,
  payload: unknown,
  secret: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify(payload);
  const url = `${ORIGIN}/webhooks/pos/square/${locationId}`;
  const signature = await signHmacSha256(secret, squareSignedBytes(url, new TextEncoder().encode(body)));
  return call('POST', `/webhooks/pos/square/${locationId}`, {
    body,
    headers: { 'x-square-hmacsha256-signature': signature, ...headers },
  });
}
