// What a scan's User-Agent says (device class, scanner app), remembered per isolate. Parsing a
// User-Agent (isbot's pattern list, then bowser) is the costliest step of finishing a scan event,
// and real traffic repeats a small set of strings (a phone model's browser and in-app browsers
// share one UA across millions of users), so the answers are kept in a small LRU.
import { classifyDevice, type DeviceClass } from './device-class';
import { scannerApp } from './scanner-app';

export interface UserAgentFacts {
  deviceClass: DeviceClass;
  app: string | null;
}

const MAX_ENTRIES = 2_000;
// Strings longer than this are not kept: a bound on memory, and no real UA is that long.
const MAX_CACHED_LENGTH = 512;
const cache = new Map<string, UserAgentFacts>();

export function userAgentFacts(userAgent: string | null | undefined): UserAgentFacts {
  const ua = userAgent ?? '';
  const known = cache.get(ua);
  if (known) {
    // Map keeps insertion order: moving the entry to the end makes the first one the least recently used.
    cache.delete(ua);
    cache.set(ua, known);
    return known;
  }
  const facts: UserAgentFacts = { deviceClass: classifyDevice(ua), app: scannerApp(ua) };
  if (ua.length <= MAX_CACHED_LENGTH) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(ua, facts);
  }
  return facts;
}

/** For tests: how many User-Agents are remembered. */
export function userAgentCacheSize(): number {
  return cache.size;
}
