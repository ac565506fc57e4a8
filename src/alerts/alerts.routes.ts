// The alerts API (PRODUCT.md C9):
//   GET  /v1/alerts                    newest first; filters status, type, severity, gtin; cursor
//   GET  /v1/alerts/summary            alerts per type (status filter): the dashboard's groups
//   GET  /v1/alerts/settings           the effective detector thresholds, and the defaults
//   PUT  /v1/alerts/settings           replace the organisation's thresholds (omitted = default)
//   GET  /v1/alerts/:id
//   POST /v1/alerts/:id/acknowledge    (editor and above)
// Reads: any key. Settings: owner or manager. Another organisation's alert is a 404.
import { Hono } from 'hono';
import * as z from 'zod';
import { requireRole } from '../accounts/authenticate';
import { gtinSchema } from '../catalog/gtin';
import type { AppEnv } from '../http/app-env';
import { documented } from '../http/openapi/route-doc';
import { cursorParam, decodeCursor, page } from '../http/page-cursor';
import { pageOf } from '../http/response-schemas';
import { jsonBody, pathParams, queryParams } from '../http/validate';
import { alertView, presentAlert } from './alert-record';
import { alertSettingsInputSchema } from './alert-settings';
import { writeAlertSettings } from './alert-settings-store';
import { organizationAlertSettingsSchema, organizationAlertSettingsView } from './alert-settings-view';
import {
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  ALERT_TYPES,
  acknowledgeAlert,
  findAlert,
  listAlerts,
  summarizeAlerts,
} from './alert-store';

const idParam = z.object({ id: z.string().min(1).max(64) });

const summaryView = z
  .object({
    types: z.array(
      z.object({
        type: z.enum(ALERT_TYPES),
        alerts: z.number().int(),
        occurrences: z.number().int().meta({ description: 'Detections counted into these alerts' }),
        high: z.number().int().meta({ description: 'Alerts of high severity' }),
        medium: z.number().int(),
        low: z.number().int(),
        last_seen_at: z.string().meta({ description: 'The latest detection of the type' }),
      }),
    ),
  })
  .meta({ id: 'AlertSummary' });

const listQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  type: z.enum(ALERT_TYPES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  gtin: gtinSchema.optional(),
  lot: z.string().min(1).max(20).optional(),
  brand: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam,
});

export const alertRoutes = new Hono<AppEnv>()
  .get(
    '/',
    documented({ summary: 'Alerts, newest first (filters, cursor)', responses: { 200: pageOf(alertView) } }),
    queryParams(listQuery),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor ? decodeCursor(q.cursor, z.tuple([z.number().int(), z.string()])) : undefined;
      const rows = await listAlerts(c.env.DB, c.get('auth').orgId, { ...q, after });
      const { data, next_cursor } = page(rows, q.limit, (row) => [row.createdAt, row.id]);
      return c.json({ data: data.map(presentAlert), next_cursor });
    },
  )
  .get(
    '/summary',
    documented({ summary: 'Alerts per type, busiest first', responses: { 200: summaryView } }),
    queryParams(z.strictObject({ status: z.enum(ALERT_STATUSES).optional() })),
    async (c) => {
      const rows = await summarizeAlerts(c.env.DB, c.get('auth').orgId, c.req.valid('query').status);
      return c.json({
        types: rows.map(({ lastSeenAt, ...row }) => ({
          ...row,
          last_seen_at: new Date(lastSeenAt).toISOString(),
        })),
      });
    },
  )
  .get(
    '/settings',
    documented({
      summary: "The organisation's detector thresholds in force, and the defaults",
      responses: { 200: organizationAlertSettingsSchema },
    }),
    async (c) => c.json(await organizationAlertSettingsView(c.env.DB, c.get('auth').orgId)),
  )
  .put(
    '/settings',
    documented({
      summary: "Replace the organisation's thresholds (an omitted value is the default)",
      responses: { 200: organizationAlertSettingsSchema },
    }),
    requireRole('manager'),
    jsonBody(alertSettingsInputSchema),
    async (c) => {
      const orgId = c.get('auth').orgId;
      await writeAlertSettings(c.env.DB, orgId, c.req.valid('json'), Date.now());
      return c.json(await organizationAlertSettingsView(c.env.DB, orgId));
    },
  )
  .get(
    '/:id',
    documented({ summary: 'One alert', responses: { 200: alertView } }),
    pathParams(idParam),
    async (c) =>
      c.json(presentAlert(await findAlert(c.env.DB, c.get('auth').orgId, c.req.valid('param').id))),
  )
  .post(
    '/:id/acknowledge',
    documented({ summary: 'Acknowledge an alert', responses: { 200: alertView } }),
    requireRole('editor'),
    pathParams(idParam),
    async (c) => {
      const { orgId, keyId } = c.get('auth');
      return c.json(
        presentAlert(await acknowledgeAlert(c.env.DB, orgId, c.req.valid('param').id, keyId, Date.now())),
      );
    },
  );
