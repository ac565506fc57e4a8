// When a failed webhook delivery is tried again: Standard Webhooks' example schedule (spec 1.0.0,
// "Deliverability and reliability"): immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
// 20 h and 24 h after each failure — ten attempts over about three days, long enough to ride out
// an endpoint's long weekend. Each wait gets up to a tenth more at random (the spec's jitter), so
// endpoints that failed together are not retried in lockstep.
const RETRY_DELAYS_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400] as const;

export const WEBHOOK_MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** A Queue message may be delayed at most 12 h: longer waits take several hops (alert-queue.ts). */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

/** Seconds to wait after failed attempt number `attempt` (1 = the first try), before jitter. */
export function retryDelaySeconds(attempt: number): number {
  return RETRY_DELAYS_SECONDS[Math.min(Math.max(attempt, 1), RETRY_DELAYS_SECONDS.length) - 1]!;
}

/** The wait with its jitter: `random` in [0, 1) adds up to a tenth. */
export const withJitter = (seconds: number, random: number) => Math.round(seconds * (1 + random / 10));

/**
 * The wait after a failed attempt: the schedule's, or longer when the endpoint asked for more with
 * `Retry-After` (seconds or an HTTP date; the spec asks senders to honour it), at most a day.
 */
export function nextDelaySeconds(
  attempt: number,
  retryAfter: string | null,
  now: number,
  random: number,
): number {
  const scheduled = withJitter(retryDelaySeconds(attempt), random);
  if (!retryAfter) return scheduled;
  const asked = /^\d+$/.test(retryAfter.trim())
    ? Number(retryAfter.trim())
    : Math.ceil((Date.parse(retryAfter) - now) / 1000);
  return Number.isFinite(asked) ? Math.min(86_400, Math.max(scheduled, asked)) : scheduled;
}
