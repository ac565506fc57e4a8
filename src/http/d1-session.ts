// Every /v1 request runs in one D1 session. Reads start at any replica unless the client sends
// the bookmark of its last answer (then a replica at least that fresh: it reads its own writes);
// writes start at the primary. The answer carries the session's bookmark for the next request.
// Authentication ran before this, on the primary: a revoked key stops at once everywhere.
import type { MiddlewareHandler } from 'hono';
import { BOOKMARK_HEADER, isBookmark, noteIsolateWrite, session } from '../db/d1-sessions';
import { ApiError } from './api-error';
import type { AppEnv } from './app-env';

const READS = new Set(['GET', 'HEAD']);

export const d1Session: MiddlewareHandler<AppEnv> = async (c, next) => {
  const bookmark = c.req.header(BOOKMARK_HEADER);
  if (bookmark !== undefined && !isBookmark(bookmark)) {
    throw new ApiError(
      'bad_request',
      `${BOOKMARK_HEADER} must be a bookmark from an earlier answer's ${BOOKMARK_HEADER}`,
    );
  }
  const read = READS.has(c.req.method);
  const db = session(c.env.DB, bookmark ?? (read ? 'first-unconstrained' : 'first-primary'));
  // A copy for this request only: the env object is shared by every request of the isolate.
  c.env = { ...c.env, DB: db };
  await next();
  const latest = db.getBookmark();
  if (!latest) return;
  c.res.headers.set(BOOKMARK_HEADER, latest);
  if (!read) noteIsolateWrite(latest);
};
