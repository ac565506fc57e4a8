// Blocked codes in D1 (src/db/schema/blocking.ts). Immutable: created or deleted. Writers drop the
// GTIN from this isolate's resolver cache; other isolates see the change within its TTL.
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../db/ids';
import { type BlockedCode, blockedCodes } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import { invalidateResolverKey } from '../resolver/entity-store';
import type { BlockedCodeTarget } from './blocked-code-input';

import { MAX_BLOCKS_PER_GTIN } from './code-blocks';

export async function createBlockedCode(
  d1: D1Database,
  orgId: string,
  input: { target: BlockedCodeTarget; reason: string },
  now: number,
): Promise<BlockedCode> {
  const db = database(d1);
  const { gtin, lot, serial } = input.target;
  const [usage] = await db
    .select({ n: sql<number>`count(*)` })
    .from(blockedCodes)
    .where(and(eq(blockedCodes.orgId, orgId), eq(blockedCodes.gtin, gtin)))
    .all();
  if ((usage?.n ?? 0) >= MAX_BLOCKS_PER_GTIN) {
    throw new ApiError(
      'conflict',
      `GTIN ${gtin} already has ${MAX_BLOCKS_PER_GTIN} blocked codes; block a lot or the whole GTIN instead`,
      { limit: MAX_BLOCKS_PER_GTIN },
    );
  }
  const row: BlockedCode = {
    id: newId('blk'),
    orgId,
    gtin,
    lot,
    serial,
    reason: input.reason,
    source: 'api',
    alertId: null,
    createdAt: now,
  };
  try {
    await db.insert(blockedCodes).values(row).run();
  } catch (err) {
    if (isUniqueViolation(err)) {
      const existing = await db.query.blockedCodes.findFirst({
        where: and(
          eq(blockedCodes.orgId, orgId),
          eq(blockedCodes.gtin, gtin),
          eq(blockedCodes.lot, lot),
          eq(blockedCodes.serial, serial),
        ),
      });
      throw new ApiError('conflict', 'This code is already blocked', { id: existing?.id ?? null });
    }
    throw err;
  }
  invalidateResolverKey('01', gtin);
  return row;
}

export interface BlockedCodeFilters {
  gtin?: string;
  after?: [number, string];
  limit: number;
}

/** Newest first. */
export async function listBlockedCodes(
  d1: D1Database,
  orgId: string,
  f: BlockedCodeFilters,
): Promise<BlockedCode[]> {
  const where: (SQL | undefined)[] = [
    eq(blockedCodes.orgId, orgId),
    f.gtin ? eq(blockedCodes.gtin, f.gtin) : undefined,
    f.after &&
      or(
        lt(blockedCodes.createdAt, f.after[0]),
        and(eq(blockedCodes.createdAt, f.after[0]), lt(blockedCodes.id, f.after[1])),
      ),
  ];
  return database(d1)
    .select()
    .from(blockedCodes)
    .where(and(...where))
    .orderBy(desc(blockedCodes.createdAt), desc(blockedCodes.id))
    .limit(f.limit + 1)
    .all();
}

export async function findBlockedCode(d1: D1Database, orgId: string, id: string): Promise<BlockedCode> {
  const row = await database(d1).query.blockedCodes.findFirst({
    where: and(eq(blockedCodes.orgId, orgId), eq(blockedCodes.id, id)),
  });
  if (!row) throw notFound('Blocked code');
  return row;
}

export async function deleteBlockedCode(d1: D1Database, orgId: string, id: string): Promise<void> {
  const deleted = await database(d1)
    .delete(blockedCodes)
    .where(and(eq(blockedCodes.orgId, orgId), eq(blockedCodes.id, id)))
    .returning({ gtin: blockedCodes.gtin });
  if (deleted.length === 0) throw notFound('Blocked code');
  invalidateResolverKey('01', deleted[0]!.gtin);
}
