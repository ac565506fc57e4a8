// The archive as stored, for warehouse loads: a page of an organisation's objects over a range of
// UTC dates (R2 lists keys in order, so a page starts after the last key of the one before).
import { orgPrefix } from './archive-layout';

export interface ArchiveObjectInfo {
  key: string;
  date: string;
  hour: string;
  bytes: number;
  events: number | null;
  firstAt: number | null;
  lastAt: number | null;
}

const number = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));

export async function archiveManifestPage(
  bucket: R2Bucket,
  orgId: string,
  fromDate: string,
  toDate: string,
  after: string | undefined,
  limit: number,
): Promise<{ objects: ArchiveObjectInfo[]; next: string | null }> {
  const prefix = orgPrefix(orgId);
  // `date=<fromDate>` sorts just after every key of earlier dates; `date=<toDate>/~` after every key of toDate.
  const start = `${prefix}date=${fromDate}`;
  const end = `${prefix}date=${toDate}/~`;
  const startAfter = after && after > start ? after : start;
  const page = await bucket.list({ prefix, startAfter, limit, include: ['customMetadata'] });
  const inRange = page.objects.filter((o) => o.key < end);
  const objects = inRange.map((o) => {
    const [, date, hour] = /date=([^/]+)\/hour=([^/]+)\//.exec(o.key) ?? [];
    return {
      key: o.key,
      date: date ?? '',
      hour: hour ?? '',
      bytes: o.size,
      events: number(o.customMetadata?.events),
      firstAt: number(o.customMetadata?.first_at),
      lastAt: number(o.customMetadata?.last_at),
    };
  });
  const more = page.truncated && inRange.length === page.objects.length;
  return { objects, next: more ? (objects.at(-1)?.key ?? null) : null };
}

/** Whether `key` names an object of this organisation's archive (and nothing else). */
export const isOwnArchiveKey = (orgId: string, key: string) =>
  key.startsWith(orgPrefix(orgId)) &&
  !key.includes('..') &&
  /\/date=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/[^/]+\.ndjson\.gz$/.test(key);
