// Moves the raw events D1 held before migration 0018 (scan_events_legacy) into the R2 archive,
// and the recent ones into scan_events, in bounded chunks per cron run, so an existing deployment
// reaches the new layout without downtime: exports read the legacy table beside the others until
// it is empty (src/analytics/scan-export.ts).
//
// A chunk is the legacy table's first rows by rowid. Its archive objects are named by the chunk's
// first rowid (legacyArchiveKey), and the chunk leaves D1 (copied where recent, then deleted) in
// one D1 batch only after they are written: a run that fails anywhere repeats the same chunk and
// rewrites the same objects. Events a ScanCounter flushed again after the migration (it had not
// seen D1's answer) are already in scan_events and its own archive: they are skipped.

import { hourOf } from '../scans/scan-dimensions';
import { SCAN_EVENT_COLUMNS } from '../scans/scan-event-columns';
import { legacyArchiveKey } from './archive-layout';
import { type ArchivedEvent, putArchiveObject } from './archive-object';
import { retentionCutoffs } from './retention';
import { DEFAULT_STORAGE_SETTINGS } from './storage-settings-store';

export const BACKFILL_LIMITS = {
  /** Rows per chunk. */
  chunkRows: 2_000,
  /** Chunks per run (each: two D1 reads, a few R2 writes, one D1 batch). */
  chunks: 5,
};

export interface BackfillResult {
  moved: number;
  archived: number;
  objects: number;
  /** Whether legacy rows are left for the next run. */
  remaining: boolean;
}

const COLUMNS = SCAN_EVENT_COLUMNS.map((c) => c.name).join(', ');

type LegacyRow = Record<string, unknown> & {
  rid: number;
  org_id: string | null;
  occurred_at: number;
  id: string;
};

function archivedEvent(row: LegacyRow): ArchivedEvent {
  const event: Record<string, unknown> = {};
  for (const c of SCAN_EVENT_COLUMNS) {
    const value = row[c.name];
    event[c.key] = c.boolean
      ? value === 1
      : c.key === 'attributes'
        ? JSON.parse(String(value ?? '{}'))
        : value;
  }
  return event as unknown as ArchivedEvent;
}

export async function backfillLegacyEvents(
  env: { DB: D1Database; SCAN_ARCHIVE: R2Bucket },
  now: number,
  limits = BACKFILL_LIMITS,
): Promise<BackfillResult> {
  const result: BackfillResult = { moved: 0, archived: 0, objects: 0, remaining: false };
  // Recent rows go back into D1 for the longest window any organisation keeps; retention trims.
  const recentFrom = retentionCutoffs(DEFAULT_STORAGE_SETTINGS, now).raw;
  for (let chunk = 0; chunk < limits.chunks; chunk++) {
    const { results: rows } = await env.DB.prepare(
      `SELECT rowid AS rid, ${COLUMNS} FROM scan_events_legacy ORDER BY rowid LIMIT ?`,
    )
      .bind(limits.chunkRows)
      .all<LegacyRow>();
    if (rows.length === 0) return result;
    const first = rows[0]!.rid;
    const last = rows[rows.length - 1]!.rid;
    const { results: again } = await env.DB.prepare(
      `SELECT e.id FROM json_each(?) j JOIN scan_events e ON e.org_id IS json_extract(j.value, '$[0]')
         AND e.occurred_at = json_extract(j.value, '$[1]') AND e.id = json_extract(j.value, '$[2]')`,
    )
      .bind(JSON.stringify(rows.map((r) => [r.org_id, r.occurred_at, r.id])))
      .all<{ id: string }>();
    const skip = new Set(again.map((r) => r.id));
    const groups = new Map<string, { orgId: string | null; hourMs: number; events: ArchivedEvent[] }>();
    for (const row of rows) {
      if (skip.has(row.id)) continue;
      const hourMs = hourOf(row.occurred_at);
      const key = legacyArchiveKey(row.org_id, hourMs, first);
      const group = groups.get(key) ?? groups.set(key, { orgId: row.org_id, hourMs, events: [] }).get(key)!;
      group.events.push(archivedEvent(row));
    }
    await Promise.all([...groups].map(([key, g]) => putArchiveObject(env.SCAN_ARCHIVE, key, g.events)));
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO scan_events (${COLUMNS}) SELECT ${COLUMNS} FROM scan_events_legacy l
         WHERE l.rowid BETWEEN ?1 AND ?2 AND l.occurred_at >= ?3 AND NOT EXISTS (SELECT 1 FROM scan_events e
           WHERE e.org_id IS l.org_id AND e.occurred_at = l.occurred_at AND e.id = l.id)`,
      ).bind(first, last, recentFrom),
      env.DB.prepare('DELETE FROM scan_events_legacy WHERE rowid BETWEEN ? AND ?').bind(first, last),
    ]);
    result.moved += rows.length;
    result.archived += rows.length - skip.size;
    result.objects += groups.size;
    if (rows.length < limits.chunkRows) return result;
  }
  result.remaining = true;
  return result;
}
