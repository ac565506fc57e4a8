// The retention cron (src/index.ts, hourly): per organisation, and for the scans of keys nobody
// registered (org_id IS NULL, with the defaults), deletes what is past its storage settings:
//   - D1 scan_events older than raw_recent_days,
//   - roll-ups older than rollup_days (every tier by its time column; scanners by day), and
//     per-serial totals whose last scan is older than raw_recent_days,
//   - and moves quarter-hour roll-ups older than raw_recent_days to the daily tier
//     (src/storage/rollup-compaction.ts),
//   - R2 archive objects of dates older than raw_archive_days (when it is set).
// Cut-offs fall on UTC midnight, so a day goes as a whole. Every run is bounded (RETENTION_LIMITS:
// LIMIT-ed deletes, D1 statements and R2 list pages per run) to stay well inside one invocation's
// 1,000 subrequests and D1 queries, which the hourly branch shares with other work; what is left
// goes next hour.
import { orgPrefix, utcDate } from './archive-layout';
import { limitedDelete } from './limited-delete';
import { recentWindowStart } from './recent-window';
import {
  ALL_DIMENSIONS,
  COMPACTION_LIMITS,
  type CompactionLimits,
  compactOrganization,
  type OrgCompaction,
} from './rollup-compaction';
import { DEFAULT_STORAGE_SETTINGS, type StorageSettings } from './storage-settings-store';

const DAY_MS = 86_400_000;

/**
 * The roll-up tables' time column (epoch ms of the bucket's start) in scan_rollup_hourly,
 * scan_rollup_org_hourly and scan_rollup_dims: the one place to follow a rename.
 */
export const ROLLUP_TIME_COLUMN = 'bucket';

export interface RetentionLimits {
  /** Rows one DELETE removes at most. */
  rowsPerStatement: number;
  /** DELETE statements per table and organisation per run (each after one that hit the limit). */
  roundsPerTable: number;
  /** D1 statements per run, all organisations together. */
  statements: number;
  /** R2 list pages (≤ 1,000 keys each, one delete per page) per run, all organisations together. */
  r2Pages: number;
}

export const RETENTION_LIMITS: RetentionLimits = {
  rowsPerStatement: 5_000,
  roundsPerTable: 4,
  statements: 300,
  r2Pages: 25,
};

export const RETENTION_TABLES = [
  'scan_events',
  'scan_rollup_hourly',
  'scan_rollup_org_hourly',
  'scan_rollup_dims',
  'scan_rollup_serials',
  'scan_rollup_scanners',
  'scan_rollup_scanner_sketch',
  'scan_rollup_scanner_exact',
  'scan_rollup_daily',
  'scan_rollup_dims_daily',
] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

export interface OrgRetention {
  /** null: scans of keys nobody registered. */
  organization: string | null;
  d1: Record<RetentionTable, number>;
  r2: { objects: number; bytes: number };
  /** Quarter-hours past the recent window moved to the daily tier (src/storage/rollup-compaction.ts). */
  compacted: OrgCompaction | null;
  /** False when this run's bounds stopped before everything past the cut-offs was gone. */
  complete: boolean;
}

export interface RetentionRun {
  organizations: OrgRetention[];
  /** False when the run's budget ran out (some organisations left for the next run). */
  complete: boolean;
}

interface Cutoffs {
  /** scan_events.occurred_at below this goes. */
  raw: number;
  /** Roll-up times below this go. */
  rollup: number;
  /** Archive dates (YYYY-MM-DD) below this go; null keeps the archive. */
  archiveDate: string | null;
}

export function retentionCutoffs(settings: StorageSettings, now: number): Cutoffs {
  const today = now - (now % DAY_MS);
  return {
    raw: today - settings.rawRecentDays * DAY_MS,
    rollup: today - settings.rollupDays * DAY_MS,
    archiveDate: settings.rawArchiveDays === null ? null : utcDate(today - settings.rawArchiveDays * DAY_MS),
  };
}

/** The recent window's start for these settings: raw_recent_days, or later at high volume. */
export async function recentWindowFrom(
  db: D1Database,
  orgId: string,
  settings: StorageSettings,
  now: number,
): Promise<number> {
  const daysCutoff = retentionCutoffs(settings, now).raw;
  // The organisation's quarter-hours (a few hundred rows a day) summed per UTC day.
  const { results } = await db
    .prepare(
      `SELECT bucket - bucket % ${DAY_MS} AS day, sum(scans) AS scans FROM scan_rollup_org_hourly
       WHERE org_id = ? AND bucket >= ? GROUP BY day`,
    )
    .bind(orgId, daysCutoff)
    .all<{ day: number; scans: number }>();
  return recentWindowStart(daysCutoff, now, new Map(results.map((r) => [r.day, r.scans])));
}

/** Rows a DELETE removed: its RETURNING rows when it has them, else D1's count of changes. */
export function deletedRows(result: D1Result | undefined, returning: boolean): number {
  return (returning ? result?.results.length : result?.meta.changes) ?? 0;
}

const T = ROLLUP_TIME_COLUMN;
/** Each table's expired rows of one organisation (`org_id IS ?`: null names the unowned scans). */
const EXPIRED: Record<RetentionTable, { sql: string; cutoff: (c: Cutoffs) => number; returning?: true }> = {
  scan_events: { sql: limitedDelete('scan_events', 'org_id IS ? AND occurred_at < ?'), cutoff: (c) => c.raw },
  scan_rollup_hourly: {
    sql: limitedDelete('scan_rollup_hourly', `org_id IS ? AND ${T} < ?`),
    cutoff: (c) => c.rollup,
  },
  scan_rollup_org_hourly: {
    sql: limitedDelete('scan_rollup_org_hourly', `org_id IS ? AND ${T} < ?`),
    cutoff: (c) => c.rollup,
  },
  scan_rollup_dims: {
    sql: limitedDelete('scan_rollup_dims', `org_id IS ? AND ${ALL_DIMENSIONS} AND ${T} < ?`),
    cutoff: (c) => c.rollup,
  },
  // Per-serial totals serve the recent window (the detectors keep their own state in the
  // ScanCounter): a serial goes once its last scan is older than the raw events D1 keeps.
  scan_rollup_serials: {
    sql: limitedDelete('scan_rollup_serials', 'org_id IS ? AND last_at < ?'),
    cutoff: (c) => c.raw,
  },
  scan_rollup_scanners: {
    sql: limitedDelete('scan_rollup_scanners', 'org_id IS ? AND day < ?'),
    cutoff: (c) => Math.floor(c.rollup / DAY_MS),
  },
  scan_rollup_scanner_sketch: {
    sql: limitedDelete('scan_rollup_scanner_sketch', 'org_id IS ? AND day < ?'),
    cutoff: (c) => Math.floor(c.rollup / DAY_MS),
  },
  scan_rollup_scanner_exact: {
    sql: limitedDelete('scan_rollup_scanner_exact', 'org_id IS ? AND day < ?'),
    cutoff: (c) => Math.floor(c.rollup / DAY_MS),
  },
  scan_rollup_daily: {
    sql: limitedDelete('scan_rollup_daily', `org_id IS ? AND ${T} < ?`),
    cutoff: (c) => c.rollup,
  },
  scan_rollup_dims_daily: {
    sql: limitedDelete('scan_rollup_dims_daily', `org_id IS ? AND ${ALL_DIMENSIONS} AND ${T} < ?`),
    cutoff: (c) => c.rollup,
  },
};

interface Budget {
  statements: number;
  r2Pages: number;
}

async function expireD1(
  db: D1Database,
  orgId: string | null,
  cutoffs: Cutoffs,
  limits: RetentionLimits,
  budget: Budget,
  removed: Record<RetentionTable, number>,
): Promise<boolean> {
  // Round one sends every table in one batch; later rounds only the tables that hit the limit.
  let tables: RetentionTable[] = RETENTION_TABLES.filter(
    (t) => t === 'scan_events' || orgId !== null, // keys nobody registered have no roll-ups
  );
  for (let round = 0; round < limits.roundsPerTable && tables.length > 0; round++) {
    if (budget.statements < tables.length) return false;
    budget.statements -= tables.length;
    const results = await db.batch(
      tables.map((t) =>
        db.prepare(EXPIRED[t].sql).bind(orgId, EXPIRED[t].cutoff(cutoffs), limits.rowsPerStatement),
      ),
    );
    const full: RetentionTable[] = [];
    tables.forEach((t, i) => {
      const changes = deletedRows(results[i], EXPIRED[t].returning === true);
      removed[t] += changes;
      if (changes >= limits.rowsPerStatement) full.push(t);
    });
    tables = full;
  }
  return tables.length === 0;
}

/**
 * Deletes the archive objects of dates before the cut-off. Keys sort by date after the
 * organisation's prefix, so listing stops at the first date on or after it.
 */
async function expireArchive(
  bucket: R2Bucket,
  orgId: string | null,
  cutoffDate: string,
  budget: Budget,
  removed: { objects: number; bytes: number },
): Promise<boolean> {
  const prefix = orgPrefix(orgId);
  const cutoffSegment = `date=${cutoffDate}`;
  let startAfter: string | undefined;
  for (;;) {
    if (budget.r2Pages <= 0) return false;
    budget.r2Pages--;
    const listed = await bucket.list({ prefix, limit: 1000, ...(startAfter ? { startAfter } : {}) });
    const expired: string[] = [];
    let reachedCutoff = false;
    for (const object of listed.objects) {
      const segment = object.key.slice(prefix.length).split('/', 1)[0]!;
      if (segment >= cutoffSegment) {
        reachedCutoff = true;
        break;
      }
      if (!segment.startsWith('date=')) continue; // not the layout's: left alone
      expired.push(object.key);
      removed.bytes += object.size;
    }
    // One list page is at most 1,000 keys: one delete() call.
    if (expired.length > 0) await bucket.delete(expired);
    removed.objects += expired.length;
    if (reachedCutoff || !listed.truncated) return true;
    startAfter = listed.objects.at(-1)?.key;
  }
}

interface OrgSettingsRow {
  org_id: string;
  raw_recent_days: number | null;
  raw_archive_days: number | null;
  rollup_days: number | null;
}

async function organizationsWithSettings(db: D1Database): Promise<[string | null, StorageSettings][]> {
  const { results } = await db
    .prepare(
      `SELECT o.id AS org_id, s.raw_recent_days, s.raw_archive_days, s.rollup_days
       FROM organizations o LEFT JOIN storage_settings s ON s.org_id = o.id ORDER BY o.id`,
    )
    .all<OrgSettingsRow>();
  return [
    [null, DEFAULT_STORAGE_SETTINGS],
    ...results.map((r): [string, StorageSettings] => [
      r.org_id,
      r.rollup_days === null
        ? DEFAULT_STORAGE_SETTINGS
        : {
            rawRecentDays: r.raw_recent_days ?? DEFAULT_STORAGE_SETTINGS.rawRecentDays,
            rawArchiveDays: r.raw_archive_days,
            rollupDays: r.rollup_days,
          },
    ]),
  ];
}

/** Statements a run spends on an organisation with nothing to delete: its first batch. */
const STATEMENTS_PER_ORGANIZATION = RETENTION_TABLES.length + 1; // + its recent window

export async function enforceRetention(
  env: Pick<Env, 'DB' | 'SCAN_ARCHIVE'>,
  now: number,
  limits: RetentionLimits = RETENTION_LIMITS,
  compaction: CompactionLimits = COMPACTION_LIMITS,
): Promise<RetentionRun> {
  const budget: Budget = { statements: limits.statements - 1, r2Pages: limits.r2Pages };
  const compactionBudget = { batches: compaction.batches };
  const all = await organizationsWithSettings(env.DB);
  // More organisations than one run reaches: each hour starts where the previous one roughly ended.
  const perRun = Math.max(1, Math.floor(budget.statements / STATEMENTS_PER_ORGANIZATION));
  const start = all.length <= perRun ? 0 : (Math.floor(now / 3_600_000) * perRun) % all.length;
  const organizations: OrgRetention[] = [];
  let complete = true;
  for (let i = 0; i < all.length; i++) {
    const [orgId, settings] = all[(start + i) % all.length]!;
    if (budget.statements < STATEMENTS_PER_ORGANIZATION) {
      complete = false;
      break;
    }
    const cutoffs = retentionCutoffs(settings, now);
    // A busy organisation's recent window is shorter (src/storage/recent-window.ts).
    if (orgId !== null) {
      budget.statements--;
      cutoffs.raw = await recentWindowFrom(env.DB, orgId, settings, now);
    }
    const summary: OrgRetention = {
      organization: orgId,
      d1: Object.fromEntries(RETENTION_TABLES.map((t) => [t, 0])) as Record<RetentionTable, number>,
      r2: { objects: 0, bytes: 0 },
      compacted: null,
      complete: true,
    };
    summary.complete = await expireD1(env.DB, orgId, cutoffs, limits, budget, summary.d1);
    if (orgId !== null) {
      summary.compacted = await compactOrganization(env.DB, orgId, cutoffs.raw, compaction, compactionBudget);
      summary.complete &&= summary.compacted.complete;
    }
    if (cutoffs.archiveDate !== null) {
      const archived = await expireArchive(env.SCAN_ARCHIVE, orgId, cutoffs.archiveDate, budget, summary.r2);
      summary.complete &&= archived;
    }
    if (!summary.complete) complete = false;
    organizations.push(summary);
  }
  const removedAny = organizations.filter(
    (o) =>
      o.r2.objects > 0 ||
      Object.values(o.d1).some((n) => n > 0) ||
      (o.compacted?.hours ?? 0) > 0 ||
      !o.complete,
  );
  if (removedAny.length > 0)
    console.log('retention', JSON.stringify({ complete, organizations: removedAny }));
  return { organizations, complete };
}
