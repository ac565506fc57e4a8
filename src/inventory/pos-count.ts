// What a POS webhook tells us, once read: a count of one POS item at one POS location.
import * as z from 'zod';
import { ApiError } from '../http/api-error';
import { zodDetails } from '../http/on-error';

/** The most stock one store reports of one item, as the inventory API takes it (a larger one is no count). */
export const MAX_STOCK_QUANTITY = 1_000_000_000;

export interface PosCount {
  posLocationId: string;
  posItemId: string;
  /** Whole units on hand, never negative (an oversold item is 0 in stock). */
  quantity: number;
  syncedAt: number;
}

export interface IgnoredPosItem {
  pos_item_id: string | null;
  reason: string;
}

/** The payload's shape, or a 400 naming what is wrong (the signature was fine, the content is not). */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError('validation_failed', 'The webhook payload is not valid', zodDetails(parsed.error));
  return parsed.data;
}

/**
 * JSON.parse that keeps the listed keys' numbers as their exact source text. POS ids are 64-bit
 * integers sent as JSON numbers, and past 2^53 a plain parse would round them to another id.
 * (JSON.parse source text access: V8 11.4+, so workerd.)
 */
export function parseJsonKeepingIds(text: string, idKeys: ReadonlySet<string>): unknown {
  const reviver = (key: string, value: unknown, context?: { source?: string }) =>
    idKeys.has(key) && typeof value === 'number' && context?.source ? context.source : value;
  try {
    return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
  } catch {
    throw new ApiError('invalid_json', 'The webhook body is not JSON');
  }
}

/** RFC 3339 time to epoch ms; sub-millisecond digits (Square sends nanoseconds) are dropped. */
export const rfc3339Ms = (time: string) => Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));

export const posIdSchema = z.union([
  z.string().trim().min(1).max(100),
  z.number().int().nonnegative().transform(String),
]);
