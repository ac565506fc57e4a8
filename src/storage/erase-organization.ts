// Account closure: everything an organisation has, everywhere, goes.
//   1. its ScanCounter objects (found from the roll-up rows' keys and shards before those rows go):
//      each forgets its state and alarm (ScanCounter.erase), then the counters' roll-up rows go;
//   2. every D1 row of the organisation, table by table (explicit deletes: nothing relies on
//      ON DELETE CASCADE, and the scan tables have no foreign key at all);
//   3. every R2 archive object under its prefix;
//   4. last its API keys and the organisations row, so a caller whose erasure needed more than one
//      call can still make the next one.
// Each call is bounded (ERASE_LIMITS: D1 statements, Durable Object calls and R2 operations, and
// rows per DELETE); a call that stops early answers `completed: false` and the next one goes on
// where it stopped (everything it deletes is simply not there any more). Erasing is idempotent.
import { counterName } from '../scans/scan-shards';
import { orgPrefix } from './archive-layout';
import { limitedDelete } from './limited-delete';
import { deletedRows } from './retention';

export interface EraseLimits {
  /**
   * D1 statements, Durable Object calls and R2 calls one call may make. Each call walks every table
   * again (one statement each when there is nothing left), so this must exceed the tables' number.
   */
  operations: number;
  /** ScanCounter objects erased per round (their roll-up rows are deleted in the same round). */
  countersPerRound: number;
  /** Rows one DELETE removes at most. */
  rowsPerStatement: number;
}

export const ERASE_LIMITS: EraseLimits = { operations: 250, countersPerRound: 50, rowsPerStatement: 5_000 };

export interface ErasureReport {
  organization: string;
  /** Rows deleted per table (tables with none left out). */
  d1: Record<string, number>;
  r2: { objects: number; bytes: number };
  durable_objects: { scan_counters: number; pending_events: number };
  completed: boolean;
}

/** Tables whose delete triggers change other rows (D1 counts those too): counted by RETURNING. */
const TRIGGERED = new Set(['products']);

const ROLLUP_TABLES = [
  'scan_rollup_hourly',
  'scan_rollup_dims',
  'scan_rollup_serials',
  'scan_rollup_scanners',
];

/**
 * The organisation's rows, in deletion order (children before parents), as conditions on `?` = the
 * organisation id. The scan roll-ups keyed by counter go in step 1; api_keys and organizations last.
 */
const ORG_TABLES: [table: string, condition: string][] = [
  ['scan_events', 'org_id = ?'],
  ['scan_events_legacy', 'org_id = ?'],
  ['scan_rollup_org_hourly', 'org_id = ?'],
  ['scan_rollup_daily', 'org_id = ?'],
  ['scan_rollup_dims_daily', 'org_id = ?'],
  ['scan_rollup_scanner_sketch', 'org_id = ?'],
  ['scan_rollup_scanner_exact', 'org_id = ?'],
  ['org_daily_metrics', 'org_id = ?'],
  ['search_clicks', 'org_id = ?'],
  ['search_impressions', 'org_id = ?'],
  ['dl_links', 'org_id = ?'],
  ['dl_entities', 'org_id = ?'],
  ['pos_item_mappings', 'location_id IN (SELECT id FROM locations WHERE org_id = ?)'],
  ['inventory', 'org_id = ?'],
  ['stale_location_reports', 'org_id = ?'],
  ['locations', 'org_id = ?'],
  [
    // Health marks of destination URLs only this organisation's rules use (a URL is one row for all).
    'url_health',
    `url IN (SELECT health_url FROM resolution_rules WHERE org_id = ?1)
     AND url NOT IN (SELECT health_url FROM resolution_rules WHERE org_id <> ?1 AND health_url IS NOT NULL)`,
  ],
  ['resolution_rules', 'org_id = ?'],
  ['products', 'org_id = ?'],
  ['brand_alert_settings', 'org_id = ?'],
  ['brands', 'org_id = ?'],
  ['webhook_deliveries', 'org_id = ?'],
  ['webhook_events', 'org_id = ?'],
  ['webhooks', 'org_id = ?'],
  ['alerts', 'org_id = ?'],
  ['alert_settings', 'org_id = ?'],
  ['issued_serials', 'org_id = ?'],
  ['blocked_codes', 'org_id = ?'],
  ['storage_settings', 'org_id = ?'],
  ['company_prefixes', 'org_id = ?'],
  ['audit_log', 'org_id = ?'],
];
/** Together in one batch, unlimited (an organisation has few keys and members): they work until the very end. */
const LAST_TABLES: [table: string, condition: string][] = [
  ['access_members', 'org_id = ?'],
  ['api_keys', 'org_id = ?'],
  ['organizations', 'id = ?'],
];

class OutOfBudget extends Error {}

class Eraser {
  readonly report: ErasureReport;
  private operations: number;

  constructor(
    private readonly env: Pick<Env, 'DB' | 'SCAN_ARCHIVE' | 'SCAN_COUNTER'>,
    private readonly orgId: string,
    private readonly limits: EraseLimits,
  ) {
    this.operations = limits.operations;
    this.report = {
      organization: orgId,
      d1: {},
      r2: { objects: 0, bytes: 0 },
      durable_objects: { scan_counters: 0, pending_events: 0 },
      completed: false,
    };
  }

  private spend(n: number): void {
    if (this.operations < n) throw new OutOfBudget();
    this.operations -= n;
  }

  private removed(table: string, rows: number): void {
    if (rows > 0) this.report.d1[table] = (this.report.d1[table] ?? 0) + rows;
  }

  /** Step 1, in rounds: up to countersPerRound counters, erased, then their roll-up rows deleted. */
  private async counters(): Promise<void> {
    const db = this.env.DB;
    const keysOf = (t: string) => `SELECT key_ai, key_value, shard FROM ${t} WHERE org_id = ?1`;
    for (;;) {
      this.spend(1);
      const { results } = await db
        .prepare(`${ROLLUP_TABLES.map(keysOf).join(' UNION ')} LIMIT ?2`)
        .bind(this.orgId, this.limits.countersPerRound)
        .all<{ key_ai: string; key_value: string; shard: number }>();
      if (results.length === 0) return;
      this.spend(results.length);
      const erased = await Promise.all(
        results.map((k) =>
          this.env.SCAN_COUNTER.getByName(counterName(k.key_ai, k.key_value, k.shard)).erase(this.orgId),
        ),
      );
      for (const e of erased) {
        if (e.erased) this.report.durable_objects.scan_counters++;
        this.report.durable_objects.pending_events += e.pendingEvents;
      }
      // Rows of counters that keep some (a DELETE at its limit) are found again next round; erasing
      // an erased object again changes nothing.
      const keys = JSON.stringify(results.map((k) => [k.key_ai, k.key_value, k.shard]));
      this.spend(ROLLUP_TABLES.length);
      const deleted = await db.batch(
        ROLLUP_TABLES.map((t) =>
          db
            .prepare(
              limitedDelete(
                t,
                `org_id = ?2 AND (key_ai, key_value, shard) IN
                 (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1))`,
                '?3',
              ),
            )
            .bind(keys, this.orgId, this.limits.rowsPerStatement),
        ),
      );
      ROLLUP_TABLES.forEach((t, i) => {
        this.removed(t, deletedRows(deleted[i], false));
      });
    }
  }

  /** Step 2: each table's rows, LIMIT-ed DELETEs until one removes fewer than the limit. */
  private async tables(tables: [string, string][]): Promise<void> {
    for (const [table, condition] of tables) {
      for (;;) {
        this.spend(1);
        const where = condition.replaceAll(/\?(?!\d)/g, '?1');
        // One row per URL of the organisation's rules: no LIMIT needed.
        const whole = table === 'url_health';
        const statement = whole
          ? this.env.DB.prepare(`DELETE FROM ${table} WHERE ${where}`).bind(this.orgId)
          : this.env.DB.prepare(limitedDelete(table, where, '?2', TRIGGERED.has(table))).bind(
              this.orgId,
              this.limits.rowsPerStatement,
            );
        const changes = deletedRows(await statement.all(), TRIGGERED.has(table));
        this.removed(table, changes);
        if (whole || changes < this.limits.rowsPerStatement) break;
      }
    }
  }

  /** Step 4: the keys and the organisation, in one batch. */
  private async last(): Promise<void> {
    this.spend(LAST_TABLES.length);
    const db = this.env.DB;
    const results = await db.batch(
      LAST_TABLES.map(([table, condition]) =>
        db.prepare(`DELETE FROM ${table} WHERE ${condition}`).bind(this.orgId),
      ),
    );
    LAST_TABLES.forEach(([table], i) => {
      this.removed(table, results[i]?.meta.changes ?? 0);
    });
  }

  /** Step 3: every object under the organisation's prefix, a list page (≤ 1,000 keys) per delete(). */
  private async archive(): Promise<void> {
    for (;;) {
      this.spend(1);
      const listed = await this.env.SCAN_ARCHIVE.list({ prefix: orgPrefix(this.orgId), limit: 1000 });
      if (listed.objects.length > 0) {
        this.spend(1);
        await this.env.SCAN_ARCHIVE.delete(listed.objects.map((o) => o.key));
        this.report.r2.objects += listed.objects.length;
        for (const o of listed.objects) this.report.r2.bytes += o.size;
      }
      if (!listed.truncated) return;
    }
  }

  async run(): Promise<ErasureReport> {
    try {
      await this.counters();
      await this.tables(ORG_TABLES);
      await this.archive();
      await this.last();
      this.report.completed = true;
    } catch (err) {
      if (!(err instanceof OutOfBudget)) throw err;
    }
    return this.report;
  }
}

/** One bounded pass of the organisation's erasure; call again while `completed` is false. */
export function eraseOrganization(
  env: Pick<Env, 'DB' | 'SCAN_ARCHIVE' | 'SCAN_COUNTER'>,
  orgId: string,
  limits: EraseLimits = ERASE_LIMITS,
): Promise<ErasureReport> {
  return new Eraser(env, orgId, limits).run();
}

/** Adds a later pass's counts to a report (the route runs a few passes in one request). */
export function mergeErasureReports(a: ErasureReport, b: ErasureReport): ErasureReport {
  const d1 = { ...a.d1 };
  for (const [table, rows] of Object.entries(b.d1)) d1[table] = (d1[table] ?? 0) + rows;
  return {
    organization: a.organization,
    d1,
    r2: { objects: a.r2.objects + b.r2.objects, bytes: a.r2.bytes + b.r2.bytes },
    durable_objects: {
      scan_counters: a.durable_objects.scan_counters + b.durable_objects.scan_counters,
      pending_events: a.durable_objects.pending_events + b.durable_objects.pending_events,
    },
    completed: b.completed,
  };
}
