// Raw events of one organisation read back from the R2 archive, hour by hour in (occurred_at, id)
// order. Listing goes by the partitions that exist (dates, then hours, with R2's delimiter), so
// empty days cost one list call for the whole range, not one per hour. An hour's objects (one per
// ScanCounter that saw scans in it) are read and merged together: memory follows the busiest hour
// of the organisation's matching scans, never the range.
import { datePrefix, keySegment, LEGACY_SEGMENT, orgPrefix } from './archive-layout';
import { type ArchivedEvent, byTimeThenId, decodeArchive } from './archive-object';

const HOUR_MS = 3_600_000;
/** R2 reads in flight at once: a Worker keeps at most six connections open. */
const PARALLEL_READS = 6;

export interface ArchiveQuery {
  orgId: string;
  fromMs: number;
  toMs: number;
  /** Only this key's objects (their names start with it). */
  key?: { ai: string; value: string };
  /** Further filter on each event. */
  keep?: (event: ArchivedEvent) => boolean;
}

async function listAll(bucket: R2Bucket, options: R2ListOptions): Promise<R2Objects[]> {
  const pages: R2Objects[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ ...options, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return pages;
}

/** The partition prefixes (`…/date=D/`, `…/hour=HH/`) right under `prefix`, sorted. */
async function partitions(bucket: R2Bucket, prefix: string): Promise<string[]> {
  const pages = await listAll(bucket, { prefix, delimiter: '/' });
  return pages.flatMap((p) => p.delimitedPrefixes).sort();
}

const partitionStart = (prefix: string): number => {
  const date = /date=(\d{4}-\d{2}-\d{2})\//.exec(prefix)![1]!;
  const hour = /hour=(\d{2})\//.exec(prefix)?.[1] ?? '00';
  return Date.parse(`${date}T${hour}:00:00Z`);
};

/** Every matching event in [fromMs, toMs), one array per UTC hour, in order. */
export async function* archivedHours(bucket: R2Bucket, q: ArchiveQuery): AsyncGenerator<ArchivedEvent[]> {
  if (q.fromMs >= q.toMs) return;
  const firstDate = datePrefix(q.orgId, q.fromMs);
  const lastDate = datePrefix(q.orgId, q.toMs - 1);
  const dates = (await partitions(bucket, orgPrefix(q.orgId))).filter((d) => d >= firstDate && d <= lastDate);
  for (const date of dates) {
    for (const hour of await partitions(bucket, date)) {
      const start = partitionStart(hour);
      if (start + HOUR_MS <= q.fromMs || start >= q.toMs) continue;
      // One key's objects start with it; backfilled legacy objects hold any keys (filtered below).
      const prefixes = q.key
        ? [`${hour}${keySegment(q.key.ai, q.key.value)}-s`, `${hour}${LEGACY_SEGMENT}`]
        : [hour];
      const keys: string[] = [];
      for (const prefix of prefixes)
        for (const page of await listAll(bucket, { prefix })) keys.push(...page.objects.map((o) => o.key));
      const ofKey = (e: ArchivedEvent) => !q.key || (e.keyAi === q.key.ai && e.keyValue === q.key.value);
      const events: ArchivedEvent[] = [];
      for (let i = 0; i < keys.length; i += PARALLEL_READS) {
        const bodies = await Promise.all(
          keys.slice(i, i + PARALLEL_READS).map(async (key) => {
            const object = await bucket.get(key);
            return object ? decodeArchive(object.body) : [];
          }),
        );
        for (const body of bodies)
          for (const e of body)
            if (e.occurredAt >= q.fromMs && e.occurredAt < q.toMs && ofKey(e) && (!q.keep || q.keep(e)))
              events.push(e);
      }
      if (events.length > 0) yield events.sort(byTimeThenId);
    }
  }
}
