// Public receivers for POS inventory webhooks, one URL per location and platform:
//   POST /webhooks/pos/shopify/:locationId   (topic inventory_levels/update)
//   POST /webhooks/pos/square/:locationId    (event inventory.count.updated)
// No API key: the platform's HMAC signature, checked against the location's secret, is the
// authentication. A bad or missing signature is a 401 and changes nothing. Replays are harmless:
// a count only replaces a strictly newer one (inventory-store.ts). A verified event we cannot use
// (other topic, unmapped item, another POS location) still gets a 200, so the platform does not
// retry it forever, and the body says what was ignored and why.

import { Hono } from 'hono';
import * as z from 'zod';
import { openSecret } from '../crypto/sealed-secret';
import { ApiError, notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { limitBody } from '../http/body-limit';
import { documented } from '../http/openapi/route-doc';
import { enforce, limitFrom, takeAll } from '../http/rate-limit';
import { publicOrigin } from '../http/request-url';
import { pathParams } from '../http/validate';
import { statusForQuantity, upsertInventory } from './inventory-store';
import { secretContext } from './location-record';
import { type Location, locationById } from './location-store';
import { type IgnoredPosItem, type PosCount, parseJsonKeepingIds } from './pos-count';
import { mappedGtins, type PosPlatform } from './pos-item-store';
import { squareSignedBytes, verifyHmacSha256 } from './pos-signature';
import { readShopifyInventoryLevel, SHOPIFY_TOPIC } from './shopify-inventory-level';
import { readSquareInventoryCounts, SQUARE_EVENT_TYPE } from './square-inventory-count';

/** Inventory events are a few KB; nothing legitimate comes near this. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

const locationParam = z.object({ locationId: z.string().min(1).max(64) });

const PLATFORM = {
  shopify: { label: 'Shopify', column: 'shopify_webhook_secret', setting: 'pos.shopify.webhook_secret' },
  square: { label: 'Square', column: 'square_signature_key', setting: 'pos.square.signature_key' },
} as const;

async function findWebhookLocation(d1: D1Database, id: string): Promise<Location> {
  const row = await locationById(d1, id);
  if (!row) throw notFound('Location');
  return row;
}

/** Throws 401 unless `signature` is the platform's HMAC of `signed` under the location's secret. */
async function verifySignature(
  env: Env,
  location: Location,
  platform: PosPlatform,
  signed: Uint8Array,
  signature: string | undefined,
) {
  const { label, column, setting } = PLATFORM[platform];
  const sealed = platform === 'shopify' ? location.shopifyWebhookSecret : location.squareSignatureKey;
  if (!sealed)
    throw new ApiError(
      'unauthorized',
      `No ${label} webhook secret is configured for this location (set ${setting})`,
    );
  const secret = await openSecret(env.SECRETS_KEY, sealed, secretContext(location.id, column));
  if (secret === undefined) {
    console.error('stored POS secret does not open with SECRETS_KEY', location.id, platform);
    throw new ApiError(
      'unavailable',
      `The ${label} webhook secret of this location cannot be read; set ${setting} again`,
    );
  }
  if (!(await verifyHmacSha256(secret, signed, signature))) {
    throw new ApiError(
      'unauthorized',
      `The ${label} signature is missing or does not match this location's secret`,
    );
  }
}

/** Maps POS items to GTINs through the location's mappings and writes the counts. */
async function applyCounts(
  d1: D1Database,
  location: Location,
  platform: PosPlatform,
  read: { counts: PosCount[]; ignored: IgnoredPosItem[] },
) {
  const ignored = [...read.ignored];
  const expectedPosLocation = platform === 'shopify' ? location.shopifyLocationId : location.squareLocationId;
  const counts = read.counts.filter((count) => {
    // One shop's webhook reports every one of its locations; this URL is for one of them.
    if (expectedPosLocation === null || count.posLocationId === expectedPosLocation) return true;
    ignored.push({
      pos_item_id: count.posItemId,
      reason: `${PLATFORM[platform].label} location ${count.posLocationId} is not this location's`,
    });
    return false;
  });
  const gtinOf = await mappedGtins(
    d1,
    location.id,
    platform,
    counts.map((c) => c.posItemId),
  );
  const now = Date.now();
  const updates = counts.flatMap((count) => {
    const gtin = gtinOf.get(count.posItemId);
    if (!gtin) {
      ignored.push({
        pos_item_id: count.posItemId,
        reason: 'no GTIN is mapped to this item (PUT /v1/locations/:id/pos-items)',
      });
      return [];
    }
    return [
      {
        locationId: location.id,
        orgId: location.orgId,
        gtin,
        quantity: count.quantity,
        price: null, // neither platform sends prices with counts: keep the stored one
        currency: null,
        status: statusForQuantity(count.quantity),
        syncedAt: Math.min(count.syncedAt, now), // a fast POS clock must not block later counts
        source: platform,
      },
    ];
  });
  const { applied } = await upsertInventory(d1, updates, now);
  return {
    received: read.counts.length + read.ignored.length,
    applied,
    stale: updates.length - applied,
    ignored,
  };
}

const POS_WEBHOOK_DEFAULT_LIMIT = 120;

const countsApplied = z.object({
  received: z.number().int(),
  applied: z.number().int(),
  stale: z.number().int(),
  ignored: z.array(z.object({ pos_item_id: z.string().nullable(), reason: z.string() })),
});

/** Signed by the platform with the location's secret, not an API key. */
const webhookDoc = (platform: string, signatureHeader: string) =>
  documented({
    summary: `${platform} inventory webhook for one location (signed: ${signatureHeader})`,
    responses: { 200: countsApplied },
    errors: ['unauthorized', 'rate_limited', 'unavailable'],
  });

export const posWebhookRoutes = new Hono<AppEnv>()
  .use(limitBody(WEBHOOK_BODY_LIMIT_BYTES))
  // Per location, before the signature is checked: a flood of forged deliveries costs one RPC each.
  .use('/:platform/:locationId', async (c, next) => {
    const policy = {
      name: 'location',
      limit: limitFrom(c.env.POS_WEBHOOK_RATE_LIMIT, POS_WEBHOOK_DEFAULT_LIMIT),
      windowSeconds: 60,
    };
    const bucket = c.req.param('locationId').slice(0, 64);
    enforce(c, [policy], await takeAll(c.env, [{ policy, bucket }]));
    await next();
  })
  .post(
    '/shopify/:locationId',
    webhookDoc('Shopify', 'X-Shopify-Hmac-Sha256'),
    pathParams(locationParam),
    async (c) => {
      const location = await findWebhookLocation(c.env.DB, c.req.valid('param').locationId);
      const body = new Uint8Array(await c.req.arrayBuffer());
      await verifySignature(c.env, location, 'shopify', body, c.req.header('x-shopify-hmac-sha256'));
      const topic = c.req.header('x-shopify-topic');
      if (topic !== SHOPIFY_TOPIC) {
        return c.json({
          received: 0,
          applied: 0,
          stale: 0,
          ignored: [{ pos_item_id: null, reason: `topic ${topic ?? '(none)'} is not handled` }],
        });
      }
      const read = readShopifyInventoryLevel(new TextDecoder().decode(body));
      return c.json(await applyCounts(c.env.DB, location, 'shopify', read));
    },
  )
  .post(
    '/square/:locationId',
    webhookDoc('Square', 'X-Square-HmacSha256-Signature'),
    pathParams(locationParam),
    async (c) => {
      const location = await findWebhookLocation(c.env.DB, c.req.valid('param').locationId);
      const body = new Uint8Array(await c.req.arrayBuffer());
      // Square signs the notification URL as registered; behind a proxy set PUBLIC_BASE_URL to match it.
      const url = new URL(c.req.url);
      const notificationUrl = `${publicOrigin(c.env.PUBLIC_BASE_URL, c.req.url)}${url.pathname}${url.search}`;
      await verifySignature(
        c.env,
        location,
        'square',
        squareSignedBytes(notificationUrl, body),
        c.req.header('x-square-hmacsha256-signature'),
      );
      const event = parseJsonKeepingIds(new TextDecoder().decode(body), new Set()) as { type?: unknown };
      if (event?.type !== SQUARE_EVENT_TYPE) {
        return c.json({
          received: 0,
          applied: 0,
          stale: 0,
          ignored: [{ pos_item_id: null, reason: `event type ${String(event?.type)} is not handled` }],
        });
      }
      return c.json(await applyCounts(c.env.DB, location, 'square', readSquareInventoryCounts(event)));
    },
  );
