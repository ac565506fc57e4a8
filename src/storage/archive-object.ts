// One archive object's bytes: the events of one organisation and UTC hour from one ScanCounter,
// as gzipped NDJSON (one scan_events-shaped JSON object per line) in (occurred_at, id) order.
// The same bytes for the same events, so rewriting an object after a retry changes nothing.
import type { ScanEvent } from '../scans/scan-event-shape';

export type ArchivedEvent = ScanEvent & { shard: number };

export const ARCHIVE_CONTENT_TYPE = 'application/x-ndjson';
export const ARCHIVE_CONTENT_ENCODING = 'gzip';

export const byTimeThenId = (a: ArchivedEvent, b: ArchivedEvent) =>
  a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Sorted events as gzipped NDJSON. */
export async function encodeArchive(events: readonly ArchivedEvent[]): Promise<Uint8Array> {
  const text = [...events]
    .sort(byTimeThenId)
    .map((e) => `${JSON.stringify(e)}\n`)
    .join('');
  const source = new Blob([text]).stream();
  return collect(source.pipeThrough(new CompressionStream('gzip')));
}

/** The events of an archive object's body (gzipped NDJSON), in stored order. */
export async function decodeArchive(body: ReadableStream<Uint8Array>): Promise<ArchivedEvent[]> {
  const text = new TextDecoder().decode(await collect(body.pipeThrough(new DecompressionStream('gzip'))));
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ArchivedEvent);
}

/**
 * Writes one archive object: the events' bytes (encodeArchive), their count and first and last
 * instants as metadata (what the archive listing shows without reading the object).
 */
export async function putArchiveObject(bucket: R2Bucket, key: string, events: readonly ArchivedEvent[]) {
  const body = await encodeArchive(events);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    first = Math.min(first, e.occurredAt);
    last = Math.max(last, e.occurredAt);
  }
  return bucket.put(key, body, {
    httpMetadata: { contentType: ARCHIVE_CONTENT_TYPE, contentEncoding: ARCHIVE_CONTENT_ENCODING },
    customMetadata: { events: String(events.length), first_at: String(first), last_at: String(last) },
  });
}
