// One scan, as the resolver saw it. Built in two steps, both after the response has gone out
// (src/scans/scan-recorder.ts): `captureScan` copies what it needs from the request and the
// outcome in the request's own context, `finishScanEvent` does the rest (User-Agent facts, the
// scanner hash) when the batch it joined is sent, possibly under another request's waitUntil.
import { v7 as uuidv7 } from 'uuid';
import type { DigitalLink } from '../digital-link';
import type { ResolveOutcome } from '../resolver/resolve';
import type { ScanEvent } from './scan-event-shape';
import { scannerHash } from './scanner-hash';
import { userAgentFacts } from './user-agent-facts';

export type { ScanEvent } from './scan-event-shape';

/** What the request contributes, copied out before the response goes. */
export interface ScanCapture {
  event: Omit<ScanEvent, 'app' | 'deviceClass' | 'isBot' | 'scannerHash'>;
  userAgent: string;
  clientAddress: string;
}

const qualifier = (link: DigitalLink, ai: string) => link.qualifiers.find((q) => q.ai === ai)?.value ?? null;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** Only the origin of a referrer: its path and query may identify a person. */
function referrerOrigin(header: string | null): string | null {
  if (!header) return null;
  try {
    return new URL(header).origin;
  } catch {
    return null;
  }
}

function servedBy(
  outcome: ResolveOutcome,
): Pick<ScanEvent, 'orgId' | 'linkType' | 'destination' | 'language' | 'ruleId'> {
  switch (outcome.kind) {
    case 'redirect':
      return {
        orgId: outcome.orgId,
        ruleId: outcome.ruleId,
        linkType: outcome.linkType,
        destination: outcome.location,
        language: outcome.link?.hreflang[0] ?? null,
      };
    case 'blocked':
      // The warning page is the destination; detection reads the block's id from it.
      return {
        orgId: outcome.orgId,
        ruleId: null,
        linkType: null,
        destination: outcome.location,
        language: null,
      };
    case 'multiple':
      return {
        orgId: outcome.level.entity.orgId,
        ruleId: null,
        linkType: outcome.linkType,
        destination: null,
        language: null,
      };
    case 'linkset':
      return {
        orgId: outcome.levels[0]?.entity.orgId ?? null,
        ruleId: null,
        linkType: 'linkset',
        destination: null,
        language: null,
      };
    case 'not_found':
      return {
        orgId: outcome.levels[0]?.entity.orgId ?? null,
        ruleId: null,
        linkType: null,
        destination: null,
        language: null,
      };
  }
}

export function captureScan(
  request: Request,
  link: DigitalLink,
  outcome: ResolveOutcome,
  now: number,
): ScanCapture {
  const cf = (request.cf ?? {}) as Record<string, unknown>;
  return {
    event: {
      id: uuidv7({ msecs: now }),
      occurredAt: now,
      keyAi: link.primaryKey.ai,
      keyValue: link.primaryKey.value,
      cpv: qualifier(link, '22'),
      lot: qualifier(link, '10'),
      serial: qualifier(link, '21'),
      attributes: Object.fromEntries(link.attributes.map((a) => [a.ai, a.value])),
      country: str(cf.country),
      region: str(cf.region),
      city: str(cf.city),
      latitude: num(cf.latitude),
      longitude: num(cf.longitude),
      timezone: str(cf.timezone),
      colo: str(cf.colo),
      referrer: referrerOrigin(request.headers.get('referer')),
      outcome: outcome.kind,
      ...servedBy(outcome),
    },
    userAgent: request.headers.get('user-agent') ?? '',
    clientAddress: request.headers.get('cf-connecting-ip') ?? '',
  };
}

export async function finishScanEvent(capture: ScanCapture, secret: string): Promise<ScanEvent> {
  const { deviceClass, app } = userAgentFacts(capture.userAgent);
  return {
    ...capture.event,
    app,
    deviceClass,
    isBot: deviceClass === 'bot',
    scannerHash: await scannerHash(
      secret,
      capture.event.occurredAt,
      capture.clientAddress,
      capture.userAgent,
    ),
  };
}
