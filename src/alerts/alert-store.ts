// Reads and acknowledgements of alerts for the alerts API; every query is scoped to the caller's
// organisation (another organisation's alert is a 404, not a 403: its existence is not ours to tell).
import { and, count, desc, eq, inArray, lt, max, or, type SQL, sql, sum } from 'drizzle-orm';
import { database } from '../db/client';
import {
  type Alert,
  type AlertSeverity,
  type AlertStatus,
  type AlertType,
  alerts,
  products,
} from '../db/schema';
import { notFound } from '../http/api-error';

export { ALERT_SEVERITIES, ALERT_STATUSES, ALERT_TYPES } from '../db/schema';

export interface AlertFilters {
  status?: AlertStatus;
  type?: AlertType;
  severity?: AlertSeverity;
  gtin?: string;
  lot?: string;
  /** Alerts of the GTINs this brand's products carry. */
  brand?: string;
  /** Keyset: the (created_at, id) of the last row of the previous page. */
  after?: [number, string];
  limit: number;
}

/** Newest first; `limit + 1` rows so the caller can tell whether another page follows. */
export async function listAlerts(d1: D1Database, orgId: string, f: AlertFilters): Promise<Alert[]> {
  const where: (SQL | undefined)[] = [
    eq(alerts.orgId, orgId),
    f.status && eq(alerts.status, f.status),
    f.type && eq(alerts.type, f.type),
    f.severity && eq(alerts.severity, f.severity),
    f.gtin ? eq(alerts.gtin, f.gtin) : undefined,
    f.lot ? eq(alerts.lot, f.lot) : undefined,
    f.brand
      ? inArray(
          alerts.gtin,
          database(d1)
            .select({ gtin: products.gtin })
            .from(products)
            .where(and(eq(products.orgId, orgId), eq(products.brandId, f.brand))),
        )
      : undefined,
    f.after &&
      or(lt(alerts.createdAt, f.after[0]), and(eq(alerts.createdAt, f.after[0]), lt(alerts.id, f.after[1]))),
  ];
  return database(d1)
    .select()
    .from(alerts)
    .where(and(...where))
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(f.limit + 1)
    .all();
}

export interface AlertTypeSummary {
  type: AlertType;
  alerts: number;
  occurrences: number;
  high: number;
  medium: number;
  low: number;
  lastSeenAt: number;
}

/** Alerts per type (with a status, of that status only), busiest type first: the page's groups. */
export async function summarizeAlerts(
  d1: D1Database,
  orgId: string,
  status?: AlertStatus,
): Promise<AlertTypeSummary[]> {
  const bySeverity = (severity: AlertSeverity) =>
    sql<number>`sum(CASE WHEN ${alerts.severity} = ${severity} THEN 1 ELSE 0 END)`.mapWith(Number);
  const rows = await database(d1)
    .select({
      type: alerts.type,
      alerts: count(),
      occurrences: sum(alerts.occurrences).mapWith(Number),
      high: bySeverity('high'),
      medium: bySeverity('medium'),
      low: bySeverity('low'),
      lastSeenAt: max(alerts.lastSeenAt).mapWith(Number),
    })
    .from(alerts)
    .where(and(eq(alerts.orgId, orgId), status ? eq(alerts.status, status) : undefined))
    .groupBy(alerts.type)
    .all();
  return rows.sort((a, b) => b.alerts - a.alerts || b.lastSeenAt - a.lastSeenAt);
}

export async function findAlert(d1: D1Database, orgId: string, id: string): Promise<Alert> {
  const row = await database(d1).query.alerts.findFirst({
    where: and(eq(alerts.orgId, orgId), eq(alerts.id, id)),
  });
  if (!row) throw notFound('Alert');
  return row;
}

/**
 * Marks an open alert acknowledged (idempotent: an acknowledged alert stays as it was). From then
 * on the same pattern opens a new alert instead of counting into this one.
 */
export async function acknowledgeAlert(
  d1: D1Database,
  orgId: string,
  id: string,
  keyId: string,
  now: number,
): Promise<Alert> {
  const [row] = await database(d1)
    .update(alerts)
    .set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedByKeyId: keyId, updatedAt: now })
    .where(and(eq(alerts.orgId, orgId), eq(alerts.id, id), eq(alerts.status, 'open')))
    .returning();
  return row ?? findAlert(d1, orgId, id);
}
