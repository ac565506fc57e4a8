// A first filter against scan floods, per isolate and per client address: fixed one-minute
// windows in memory, no I/O, so a warm scan stays synchronous. Generous for people (a carrier's
// NAT puts many phones behind one address), strict for bots: every client may make the bot
// allowance without its User-Agent being read; past it, bots wait and people go on to the
// client limit. Not exact across isolates by design: a flood spread over colos meets
// Cloudflare's own DDoS protection first.

const WINDOW_MS = 60_000;
// Clients remembered per isolate; the oldest window is dropped first.
const MAX_CLIENTS = 10_000;

export interface ScanLimits {
  /** Scans per client address and minute, in one isolate. */
  perClient: number;
  /** The same for clients whose User-Agent is a bot's. */
  perBot: number;
}

interface Window {
  start: number;
  count: number;
}

const windows = new Map<string, Window>();

/**
 * Counts a scan of `client`; null when it may pass, else the seconds until its window ends.
 * `isBot` is asked only for a client past the bot allowance.
 */
export function throttleScan(
  client: string,
  isBot: () => boolean,
  limits: ScanLimits,
  now: number,
): number | null {
  let window = windows.get(client);
  if (!window || now - window.start >= WINDOW_MS) {
    if (window) windows.delete(client);
    else if (windows.size >= MAX_CLIENTS) windows.delete(windows.keys().next().value!);
    window = { start: now, count: 0 };
    windows.set(client, window);
  }
  window.count++;
  if (window.count <= limits.perBot) return null;
  if (window.count <= limits.perClient && !isBot()) return null;
  return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
}

/** For tests: forget every window. */
export function resetScanThrottle(): void {
  windows.clear();
}
