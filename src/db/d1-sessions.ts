// D1's Sessions API (read replication): a session's queries may be served by a nearby replica,
// and its bookmark names the newest write it has seen, so a later session that starts from that
// bookmark reads at least that write. Stores take a D1Database and use only prepare() and batch(),
// which a session has too.

/** Request and response header carrying a D1 bookmark: send back what the last answer gave. */
export const BOOKMARK_HEADER = 'x-d1-bookmark';

// A bookmark is D1's opaque token: hex groups joined by dashes (e.g. 0000002a-00000001-00005053-…).
const BOOKMARK_FORMAT = /^[0-9a-f]+(-[0-9a-f]+)*$/i;

export function isBookmark(value: string): boolean {
  return value.length <= 256 && BOOKMARK_FORMAT.test(value);
}

export type Session = D1DatabaseSession & D1Database;

/** A session as the D1Database the stores take (they call only what a session has). */
export function session(db: D1Database, start: D1SessionConstraint | D1SessionBookmark): Session {
  // Already a session (the scan preview runs the resolver's loads inside a /v1 request): it stays
  // the request's, which is at least as fresh as the resolver asks.
  if (typeof db.withSession !== 'function') return db as Session;
  return db.withSession(start) as Session;
}

// The bookmark of the newest write this isolate made through the API: its resolver misses start
// there, so a link or rule changed here is served here at once (the links API's promise).
let isolateWrite: D1SessionBookmark | null = null;

export function noteIsolateWrite(bookmark: D1SessionBookmark): void {
  isolateWrite = bookmark;
}

/**
 * Reads that may lag the primary by a replica's delay (resolver misses, which a cache TTL delays
 * anyway), yet never behind a write this isolate made.
 */
export function anyReplica(db: D1Database): D1Database {
  return session(db, isolateWrite ?? 'first-unconstrained');
}
