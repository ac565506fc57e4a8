// The hosted product page: GET /p/01/<gtin>[/10/<lot>], public, HTML. The resolver redirects
// here (307) for rules whose destination is the hosted page and for catalog products without any
// GS1 link (the global fallback), so every valid scan of a known product reaches a page. Also the
// warning page of blocked codes, GET /p/blocked/<id> (src/blocking/).
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as z from 'zod';
import { WarningPage } from '../blocking/warning-page';
import { loadWarningPage } from '../blocking/warning-page-facts';
import { gtinSchema } from '../catalog/gtin';
import { CSET82 } from '../digital-link/character-sets';
import { notFound } from '../http/api-error';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { pathParams } from '../http/validate';
import { loadHostedProduct } from './hosted-product';
import { ProductPage } from './product-page';

const lotParam = z
  .string()
  .min(1)
  .max(20)
  .refine(
    (lot) => [...lot].every((ch) => CSET82.includes(ch)),
    'must be 1–20 characters of GS1 character set 82, as in AI (10)',
  );

// No script at all; images from any https origin (brands host their own); inline style only.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function render(c: Context<AppEnv>, gtin: string, lot: string | undefined): Promise<Response> {
  const product = await loadHostedProduct(c.env.DB, gtin, lot ?? null);
  if (!product) throw notFound('Product');
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  // Within the resolver's own staleness bound: a new recall shows within a minute.
  c.header('Cache-Control', 'public, max-age=60');
  return c.html(<ProductPage product={product} />);
}

const page = { description: 'The product page', mediaType: 'text/html' };

async function renderWarning(c: Context<AppEnv>, blockId: string): Promise<Response> {
  const facts = await loadWarningPage(c.env.DB, blockId);
  if (!facts) throw notFound('Blocked code');
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  // An unblocked code's page must not linger in a cache.
  c.header('Cache-Control', 'no-store');
  return c.html(<WarningPage facts={facts} />);
}

export const hostedPageRoutes = new Hono<AppEnv>()
  .get(
    '/01/:gtin',
    documented({ summary: 'The hosted product page', responses: { 200: page } }),
    pathParams(z.object({ gtin: gtinSchema })),
    (c) => render(c, c.req.valid('param').gtin, undefined),
  )
  .get(
    '/01/:gtin/10/:lot',
    documented({
      summary: 'The hosted product page for one lot (with its recall notice)',
      responses: { 200: page },
    }),
    pathParams(z.object({ gtin: gtinSchema, lot: lotParam })),
    (c) => {
      const { gtin, lot } = c.req.valid('param');
      return render(c, gtin, lot);
    },
  )
  .get(
    '/blocked/:id',
    documented({
      summary: "A blocked code's warning page (where the resolver sends its scans)",
      responses: { 200: { description: 'The warning page', mediaType: 'text/html' } },
    }),
    pathParams(z.object({ id: z.string().min(1).max(64) })),
    (c) => renderWarning(c, c.req.valid('param').id),
  );
