// The URL-health check behind the dead-URL policies: on a cron trigger, request the custom
// destination URLs of enabled rules (HEAD, then GET if HEAD fails), count consecutive failures,
// mark a URL dead after URL_DEAD_AFTER_FAILURES of them and alive again after one success.
import { invalidateScanRules } from './scan-rules';

/** Three failures in a row, checked every 15 minutes: a page down for about half an hour. */
export const URL_DEAD_AFTER_FAILURES = 3;
export const URL_CHECK_TIMEOUT_MS = 5_000;
/**
 * URLs per run, least recently checked first. Each costs one or two subrequests, and a Worker on
 * the free plan may make 50 per invocation; the rest wait for the next run.
 */
export const URLS_PER_RUN = 20;
// Workers allow six connections open at once per invocation.
const CONCURRENCY = 6;
const USER_AGENT = 'DigitalLinkEdge-URLHealth/1.0 (+destination check for GS1 Digital Link rules)';

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

export interface CheckResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * Only answers that say the page is gone count as failures: 404, 410, 5xx, no answer, a timeout.
 * Other 4xx (401, 403, 405, 429 …) mean a server is there but refuses a checker, which is no
 * reason to send consumers elsewhere.
 */
function isFailure(status: number): boolean {
  return status === 404 || status === 410 || status >= 500;
}

async function attempt(
  url: string,
  method: 'HEAD' | 'GET',
  fetcher: Fetcher,
  timeoutMs: number,
): Promise<CheckResult> {
  try {
    const res = await fetcher(url, {
      method,
      redirect: 'manual',
      headers: { 'user-agent': USER_AGENT },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel(); // the status is all we need
    return { ok: !isFailure(res.status), status: res.status, error: null };
  } catch (err) {
    const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `no answer within ${timeoutMs} ms`
        : String((err as Error)?.message ?? err).slice(0, 200),
    };
  }
}

/** HEAD first (cheap); many servers mishandle HEAD, so a failed HEAD is retried as GET. */
export async function checkUrl(
  url: string,
  fetcher: Fetcher = fetch,
  timeoutMs = URL_CHECK_TIMEOUT_MS,
): Promise<CheckResult> {
  const head = await attempt(url, 'HEAD', fetcher, timeoutMs);
  return head.ok ? head : attempt(url, 'GET', fetcher, timeoutMs);
}

interface Due {
  url: string;
  consecutive_failures: number | null;
  dead: number | null;
  dead_since: number | null;
}

const DUE = `SELECT DISTINCT r.health_url AS url, h.consecutive_failures, h.dead, h.dead_since, coalesce(h.last_checked_at, 0) AS last_checked_at
  FROM resolution_rules r LEFT JOIN url_health h ON h.url = r.health_url
  WHERE r.health_url IS NOT NULL AND r.enabled = 1 AND r.destination_type = 'url'
  ORDER BY last_checked_at, url LIMIT ?1`;

const SAVE = `INSERT INTO url_health (url, consecutive_failures, dead, last_status, last_error, last_checked_at, dead_since)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
  ON CONFLICT (url) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, dead = excluded.dead,
    last_status = excluded.last_status, last_error = excluded.last_error, last_checked_at = excluded.last_checked_at,
    dead_since = excluded.dead_since`;

// Marks of URLs no enabled rule uses any more are dropped, so a URL used again starts afresh.
const FORGET_UNUSED = `DELETE FROM url_health WHERE url NOT IN
  (SELECT health_url FROM resolution_rules WHERE health_url IS NOT NULL AND enabled = 1)`;

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface HealthRun {
  checked: number;
  markedDead: string[];
  revived: string[];
}

export interface HealthRunOptions {
  fetcher?: Fetcher;
  now?: () => number;
  limit?: number;
  timeoutMs?: number;
}

/** One round of checks: the least recently checked destination URLs, results in one D1 batch. */
export async function checkDestinationUrls(
  db: D1Database,
  options: HealthRunOptions = {},
): Promise<HealthRun> {
  const { fetcher = fetch, now = Date.now, limit = URLS_PER_RUN, timeoutMs = URL_CHECK_TIMEOUT_MS } = options;
  const { results: due } = await db.prepare(DUE).bind(limit).all<Due>();
  const checks = await mapLimited(due, CONCURRENCY, (d) => checkUrl(d.url, fetcher, timeoutMs));
  const at = now();
  const run: HealthRun = { checked: due.length, markedDead: [], revived: [] };
  const statements = due.map((d, i) => {
    const check = checks[i]!;
    const wasDead = d.dead === 1;
    const failures = check.ok ? 0 : (d.consecutive_failures ?? 0) + 1;
    const dead = failures >= URL_DEAD_AFTER_FAILURES;
    if (dead && !wasDead) run.markedDead.push(d.url);
    if (!dead && wasDead) run.revived.push(d.url);
    const deadSince = dead ? (d.dead_since ?? at) : null;
    return db.prepare(SAVE).bind(d.url, failures, dead ? 1 : 0, check.status, check.error, at, deadSince);
  });
  await db.batch([...statements, db.prepare(FORGET_UNUSED)]);
  // The resolver reads dead marks with the rules: this isolate sees the change at once, others within the
  // TTL.
  if (run.markedDead.length > 0 || run.revived.length > 0) invalidateScanRules();
  return run;
}
