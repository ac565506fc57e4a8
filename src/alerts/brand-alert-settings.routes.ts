// A brand's own detector thresholds (PRODUCT.md C9), mounted under /v1/brands: read by any key of
// the organisation, replaced by managers, as the organisation's are. A PUT replaces what the brand
// set: `{}` makes it follow the organisation in everything.
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { findBrand } from '../accounts/brand-store';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { jsonBody, pathParams } from '../http/validate';
import { alertSettingsInputSchema } from './alert-settings';
import { writeBrandAlertSettings } from './alert-settings-store';
import { brandAlertSettingsSchema, brandAlertSettingsView } from './alert-settings-view';

const idParam = z.object({ id: z.string().min(1).max(64) });

export const brandAlertSettingsRoutes = new Hono<AppEnv>()
  .get(
    '/:id/alert-settings',
    documented({
      summary: "A brand's detector thresholds: in force, its own, the organisation's",
      responses: { 200: brandAlertSettingsSchema },
    }),
    pathParams(idParam),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const brandId = (await findBrand(c.env.DB, orgId, c.req.valid('param').id)).id;
      return c.json(await brandAlertSettingsView(c.env.DB, orgId, brandId));
    },
  )
  .put(
    '/:id/alert-settings',
    documented({
      summary: "Replace a brand's own thresholds ({} follows the organisation)",
      responses: { 200: brandAlertSettingsSchema },
    }),
    requireRole('manager'),
    pathParams(idParam),
    jsonBody(alertSettingsInputSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const brandId = (await findBrand(c.env.DB, orgId, c.req.valid('param').id)).id;
      await writeBrandAlertSettings(c.env.DB, orgId, brandId, c.req.valid('json'), Date.now());
      return c.json(await brandAlertSettingsView(c.env.DB, orgId, brandId));
    },
  );
