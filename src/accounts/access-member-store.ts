// Cloudflare Access members in D1: who (an email or a group) gets which role in which organisation.
import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import { database } from '../db/client';
import { type AccessMember, accessMembers } from '../db/schema';

export { ACCESS_MEMBER_KINDS, type AccessMember, type AccessMemberKind } from '../db/schema';

/** Inserts the member; false when the organisation already has that email or group. */
export async function insertAccessMember(d1: D1Database, row: AccessMember): Promise<boolean> {
  const result = await database(d1).insert(accessMembers).values(row).onConflictDoNothing().run();
  return result.meta.changes !== 0;
}

/** Newest first. */
export async function listAccessMembers(d1: D1Database, orgId: string): Promise<AccessMember[]> {
  return database(d1)
    .select()
    .from(accessMembers)
    .where(eq(accessMembers.orgId, orgId))
    .orderBy(desc(accessMembers.createdAt), desc(accessMembers.id))
    .all();
}

export async function accessMemberById(
  d1: D1Database,
  orgId: string,
  id: string,
): Promise<AccessMember | undefined> {
  return database(d1).query.accessMembers.findFirst({
    where: and(eq(accessMembers.id, id), eq(accessMembers.orgId, orgId)),
  });
}

export async function deleteAccessMember(d1: D1Database, orgId: string, id: string): Promise<void> {
  await database(d1)
    .delete(accessMembers)
    .where(and(eq(accessMembers.id, id), eq(accessMembers.orgId, orgId)))
    .run();
}

/** Every row naming the person (their email, or one of their groups), in any organisation, oldest first. */
export async function membershipsOf(
  d1: D1Database,
  email: string,
  groups: readonly string[],
): Promise<AccessMember[]> {
  const byEmail = and(eq(accessMembers.kind, 'email'), eq(accessMembers.subject, email));
  return database(d1)
    .select()
    .from(accessMembers)
    .where(
      groups.length === 0
        ? byEmail
        : or(byEmail, and(eq(accessMembers.kind, 'group'), inArray(accessMembers.subject, [...groups]))),
    )
    .orderBy(asc(accessMembers.createdAt), asc(accessMembers.id))
    .all();
}
