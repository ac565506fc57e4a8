// When a failed webhook delivery is tried again: 30 s, then four times longer each try (2 min,
// 8 min, 32 min, ~2 h, ~8.5 h), capped at 12 h (the longest delay a Queue message may take). With
// WEBHOOK_MAX_RETRIES = 7 that is 8 attempts over about 23 hours before the dead-letter queue:
// long enough to ride out an endpoint's bad day, and within the 24 h a rotated secret stays valid.
export const WEBHOOK_MAX_RETRIES = 7; // = max_retries of the consumer in wrangler.toml
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_MAX_RETRIES + 1;

const FIRST_DELAY_SECONDS = 30;
const FACTOR = 4;
const MAX_DELAY_SECONDS = 12 * 3600;

/** Seconds to wait after failed attempt number `attempt` (1 = the first try). */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * FACTOR ** Math.max(0, attempt - 1));
}
