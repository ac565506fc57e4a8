// Issued-serial registrations in D1 (see src/db/schema/alerts.ts). Immutable: created or deleted.
import { and, desc, eq, getTableColumns, lt, or, type SQL, sql } from 'drizzle-orm';
import { database } from '../db/client';
import { newId } from '../db/ids';
import { type IssuedSerialRegistration, issuedSerials } from '../db/schema';
import { ApiError, notFound } from '../http/api-error';
import { isoOrNull } from '../time/iso-time';
import type { IssuedSerialInput } from './issued-serial-input';

/** Explicit serials per GTIN: the ScanCounter holds them in memory (ranges cost nothing). */
export const MAX_LISTED_SERIALS_PER_GTIN = 100_000;
export const MAX_REGISTRATIONS_PER_GTIN = 1_000;

export async function createRegistration(
  d1: D1Database,
  orgId: string,
  input: IssuedSerialInput,
  now: number,
): Promise<IssuedSerialRegistration> {
  const db = database(d1);
  const [usage] = await db
    .select({
      registrations: sql<number>`count(*)`,
      listed: sql<number>`coalesce(sum(CASE WHEN kind = 'list' THEN serial_count END), 0)`,
    })
    .from(issuedSerials)
    .where(and(eq(issuedSerials.orgId, orgId), eq(issuedSerials.gtin, input.gtin)))
    .all();
  if ((usage?.registrations ?? 0) >= MAX_REGISTRATIONS_PER_GTIN) {
    throw new ApiError(
      'conflict',
      `GTIN ${input.gtin} already has ${MAX_REGISTRATIONS_PER_GTIN} registrations; delete some or use wider ranges`,
    );
  }
  if (input.kind === 'list' && (usage?.listed ?? 0) + input.serials.length > MAX_LISTED_SERIALS_PER_GTIN) {
    throw new ApiError(
      'conflict',
      `GTIN ${input.gtin} may have at most ${MAX_LISTED_SERIALS_PER_GTIN} listed serials; register numeric serials as ranges`,
      {
        listed: usage?.listed ?? 0,
        adding: input.serials.length,
      },
    );
  }
  const row: IssuedSerialRegistration = {
    id: newId('isr'),
    orgId,
    gtin: input.gtin,
    kind: input.kind,
    rangeFirst: input.kind === 'range' ? input.first.toString() : null,
    rangeLast: input.kind === 'range' ? input.last.toString() : null,
    serials: input.kind === 'list' ? input.serials : null,
    serialCount:
      input.kind === 'list'
        ? input.serials.length
        : Number(min(input.last - input.first + 1n, BigInt(Number.MAX_SAFE_INTEGER))),
    note: input.note ?? null,
    createdAt: now,
  };
  await db.insert(issuedSerials).values(row).run();
  return row;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

export interface RegistrationFilters {
  gtin?: string;
  after?: [number, string];
  limit: number;
}

/** Newest first, without the lists' serials. */
export async function listRegistrations(
  d1: D1Database,
  orgId: string,
  f: RegistrationFilters,
): Promise<Omit<IssuedSerialRegistration, 'serials'>[]> {
  const { serials: _serials, ...columns } = getTableColumns(issuedSerials);
  const where: (SQL | undefined)[] = [
    eq(issuedSerials.orgId, orgId),
    f.gtin ? eq(issuedSerials.gtin, f.gtin) : undefined,
    f.after &&
      or(
        lt(issuedSerials.createdAt, f.after[0]),
        and(eq(issuedSerials.createdAt, f.after[0]), lt(issuedSerials.id, f.after[1])),
      ),
  ];
  return database(d1)
    .select(columns)
    .from(issuedSerials)
    .where(and(...where))
    .orderBy(desc(issuedSerials.createdAt), desc(issuedSerials.id))
    .limit(f.limit + 1)
    .all();
}

export async function findRegistration(
  d1: D1Database,
  orgId: string,
  id: string,
): Promise<IssuedSerialRegistration> {
  const row = await database(d1).query.issuedSerials.findFirst({
    where: and(eq(issuedSerials.orgId, orgId), eq(issuedSerials.id, id)),
  });
  if (!row) throw notFound('Issued-serial registration');
  return row;
}

export async function deleteRegistration(d1: D1Database, orgId: string, id: string): Promise<void> {
  const deleted = await database(d1)
    .delete(issuedSerials)
    .where(and(eq(issuedSerials.orgId, orgId), eq(issuedSerials.id, id)))
    .returning({ id: issuedSerials.id });
  if (deleted.length === 0) throw notFound('Issued-serial registration');
}

export function presentRegistration(
  row: Omit<IssuedSerialRegistration, 'serials'> & { serials?: string[] | null },
) {
  return {
    id: row.id,
    gtin: row.gtin,
    kind: row.kind,
    ...(row.kind === 'range' ? { first: row.rangeFirst, last: row.rangeLast } : {}),
    ...(row.serials ? { serials: row.serials } : {}),
    serial_count: row.serialCount,
    note: row.note,
    created_at: isoOrNull(row.createdAt),
  };
}
