// GET /v1/organization/storage   how long the organisation's scan data is kept (any key)
// PUT /v1/organization/storage   replace it (owner; an omitted field takes its default)
// The cron applies a change within the hour (src/storage/retention.ts).
import { Hono } from 'hono';
import { requireRole } from '../accounts/authenticate';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { jsonBody } from '../http/validate';
import { presentStorageSettings, storageSettingsInputSchema, storageSettingsView } from './storage-settings';
import { readStorageSettings, writeStorageSettings } from './storage-settings-store';

export const storageSettingsRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({ summary: 'How long scan data is kept', responses: { 200: storageSettingsView } }),
    async (c) => {
      const { settings, updatedAt } = await readStorageSettings(c.env.DB, c.get('auth').orgId);
      return c.json(presentStorageSettings(settings, updatedAt));
    },
  )
  .put(
    '/',
    documented({
      summary: 'Replace the retention settings (an omitted field takes its default)',
      responses: { 200: storageSettingsView },
    }),
    requireRole('owner'),
    jsonBody(storageSettingsInputSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      const now = Date.now();
      const settings = c.req.valid('json');
      await writeStorageSettings(c.env.DB, orgId, settings, now);
      return c.json(presentStorageSettings(settings, now));
    },
  );
