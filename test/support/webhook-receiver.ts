// A brand's webhook endpoint as the tests see it: the Worker's outbound fetch is mocked (the Worker
// shares this isolate's globals), every request it sends is kept, and each is verified the way a
// receiver would verify it, with the Standard Webhooks library (`standardwebhooks`).
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';

export interface Received {
  url: string;
  headers: Headers;
  body: string;
}

/** A delivered event; its `data` is checked field by field in each test. */
export interface DeliveredEvent {
  id: string;
  type: string;
  timestamp: string;
  // biome-ignore lint/suspicious/noExplicitAny: each test asserts the fields of its own event type
  data: any;
}

export type Answer = number | 'network-error' | { status: number; headers: Record<string, string> };

/** Every request the Worker sent out; `answers` decides the endpoint's answer per host (200 otherwise). */
export const received: Received[] = [];
export const answers = new Map<string, Answer>();

export function mockEndpoints(): void {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push({ url: request.url, headers: request.headers, body: await request.text() });
    const answer = answers.get(new URL(request.url).host) ?? 200;
    if (answer === 'network-error') throw new TypeError('Network connection lost.');
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    return new Response(status === 200 ? 'ok' : 'endpoint is down', { status, headers });
  });
}

export function resetEndpoints(): void {
  vi.restoreAllMocks();
  received.length = 0;
  answers.clear();
}

/** The requests sent to one host. */
export const receivedBy = (host: string) => received.filter((r) => new URL(r.url).host === host);

/**
 * The event, if `secret` verifies the request as the standardwebhooks library does (signature over
 * id, timestamp and body; timestamp within 5 minutes); throws otherwise.
 */
export function verified(secret: string, r: Received): DeliveredEvent {
  return new Webhook(secret).verify(r.body, Object.fromEntries(r.headers)) as DeliveredEvent;
}

export function verifies(secret: string, r: Received): boolean {
  try {
    verified(secret, r);
    return true;
  } catch {
    return false;
  }
}
