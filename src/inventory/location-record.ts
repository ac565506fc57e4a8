// From validated input to the stored location row (sealing POS secrets), and from the row to the
// API's JSON, which says whether a secret is set but never shows it.
import * as z from 'zod';

import { sealSecret } from '../crypto/sealed-secret';
import type { Location } from '../db/schema';
import { timestamp, timestampOrNull } from '../http/response-schemas';
import { isoOrNull } from '../time/iso-time';
import { isActiveLocation } from './inventory-confidence';
import type { LocationInput, LocationPatch, PosInput } from './location-input';

/** Associated data of a sealed POS secret: it opens only for this location and purpose. */
export const secretContext = (
  locationId: string,
  column: 'shopify_webhook_secret' | 'square_signature_key',
) => `locations/${locationId}/${column}`;

type PosColumns = Pick<
  Location,
  | 'shopifyLocationId'
  | 'shopifyWebhookSecret'
  | 'shopifyWebhookSecretSetAt'
  | 'squareLocationId'
  | 'squareSignatureKey'
  | 'squareSignatureKeySetAt'
>;

/** undefined keeps the stored value, null clears it, a value replaces it. */
async function applyPos(
  id: string,
  base: PosColumns,
  pos: PosInput | undefined,
  now: number,
  secretsKey: string | undefined,
): Promise<PosColumns> {
  const out: PosColumns = {
    shopifyLocationId: base.shopifyLocationId,
    shopifyWebhookSecret: base.shopifyWebhookSecret,
    shopifyWebhookSecretSetAt: base.shopifyWebhookSecretSetAt,
    squareLocationId: base.squareLocationId,
    squareSignatureKey: base.squareSignatureKey,
    squareSignatureKeySetAt: base.squareSignatureKeySetAt,
  };
  /** undefined keeps the date, null clears it with the secret, a new secret is set now. */
  const setAt = (value: string | null | undefined, current: number | null) =>
    value === undefined ? current : value === null ? null : now;
  const seal = (
    value: string | null | undefined,
    current: string | null,
    column: Parameters<typeof secretContext>[1],
  ) =>
    value === undefined
      ? current
      : value === null
        ? null
        : sealSecret(secretsKey, value, secretContext(id, column));
  if (pos?.shopify === null)
    Object.assign(out, {
      shopifyLocationId: null,
      shopifyWebhookSecret: null,
      shopifyWebhookSecretSetAt: null,
    });
  else if (pos?.shopify) {
    if (pos.shopify.location_id !== undefined) out.shopifyLocationId = pos.shopify.location_id;
    out.shopifyWebhookSecret = await seal(
      pos.shopify.webhook_secret,
      base.shopifyWebhookSecret,
      'shopify_webhook_secret',
    );
    out.shopifyWebhookSecretSetAt = setAt(pos.shopify.webhook_secret, base.shopifyWebhookSecretSetAt);
  }
  if (pos?.square === null)
    Object.assign(out, { squareLocationId: null, squareSignatureKey: null, squareSignatureKeySetAt: null });
  else if (pos?.square) {
    if (pos.square.location_id !== undefined) out.squareLocationId = pos.square.location_id;
    out.squareSignatureKey = await seal(
      pos.square.signature_key,
      base.squareSignatureKey,
      'square_signature_key',
    );
    out.squareSignatureKeySetAt = setAt(pos.square.signature_key, base.squareSignatureKeySetAt);
  }
  return out;
}

const NO_POS: PosColumns = {
  shopifyLocationId: null,
  shopifyWebhookSecret: null,
  shopifyWebhookSecretSetAt: null,
  squareLocationId: null,
  squareSignatureKey: null,
  squareSignatureKeySetAt: null,
};

export async function locationFromInput(
  ids: { id: string; orgId: string },
  input: LocationInput,
  now: number,
  secretsKey: string | undefined,
): Promise<Location> {
  return patchLocation({ ...ids, ...NO_POS, createdAt: now } as Location, input, now, secretsKey);
}

export async function patchLocation(
  row: Location,
  patch: LocationPatch,
  now: number,
  secretsKey: string | undefined,
): Promise<Location> {
  const address = patch.address;
  return {
    ...row,
    ...(patch.name !== undefined && { name: patch.name }),
    ...(address && {
      addressLine1: address.line1,
      addressLine2: address.line2 ?? null,
      city: address.city,
      region: address.region ?? null,
      postalCode: address.postal_code ?? null,
      country: address.country,
    }),
    ...(patch.latitude !== undefined && { latitude: patch.latitude }),
    ...(patch.longitude !== undefined && { longitude: patch.longitude }),
    ...(patch.timezone !== undefined && { timezone: patch.timezone }),
    ...(await applyPos(row.id, row, patch.pos, now, secretsKey)),
    updatedAt: now,
  };
}

const posView = (secretField: 'webhook_secret' | 'signature_key') =>
  z.object({
    location_id: z.string().nullable(),
    [`${secretField}_set`]: z.boolean(),
    [`${secretField}_set_at`]: timestampOrNull.meta({
      description: 'When the secret was last set (null: not set, or set before this was recorded)',
    }),
    webhook_url: z.string().meta({ description: "Where the platform sends this store's inventory webhooks" }),
  });

/** A store as the API shows it (`present`): whether each POS secret is set, never the secret. */
export const locationView = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.object({
      line1: z.string(),
      line2: z.string().nullable(),
      city: z.string(),
      region: z.string().nullable(),
      postal_code: z.string().nullable(),
      country: z.string(),
    }),
    latitude: z.number(),
    longitude: z.number(),
    timezone: z.string(),
    pos: z.object({ shopify: posView('webhook_secret'), square: posView('signature_key') }),
    last_synced_at: timestampOrNull,
    active: z.boolean().meta({ description: 'Inventory synced within the last 7 days' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Location' });

/** `origin` is where POS platforms reach this Worker (PUBLIC_BASE_URL or the request's origin). */
export function present(row: Location & { lastSyncedAt: number | null }, origin: string, now: number) {
  const webhookUrl = (platform: string) => `${origin}/webhooks/pos/${platform}/${row.id}`;
  return {
    id: row.id,
    name: row.name,
    address: {
      line1: row.addressLine1,
      line2: row.addressLine2,
      city: row.city,
      region: row.region,
      postal_code: row.postalCode,
      country: row.country,
    },
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    pos: {
      shopify: {
        location_id: row.shopifyLocationId,
        webhook_secret_set: row.shopifyWebhookSecret !== null,
        webhook_secret_set_at:
          row.shopifyWebhookSecret === null ? null : isoOrNull(row.shopifyWebhookSecretSetAt),
        webhook_url: webhookUrl('shopify'),
      },
      square: {
        location_id: row.squareLocationId,
        signature_key_set: row.squareSignatureKey !== null,
        signature_key_set_at: row.squareSignatureKey === null ? null : isoOrNull(row.squareSignatureKeySetAt),
        webhook_url: webhookUrl('square'),
      },
    },
    last_synced_at: isoOrNull(row.lastSyncedAt),
    active: isActiveLocation(row.lastSyncedAt, now),
    created_at: isoOrNull(row.createdAt),
    updated_at: isoOrNull(row.updatedAt),
  };
}
