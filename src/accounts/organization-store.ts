// The caller's organisation row in D1, for the organization routes.
import { eq } from 'drizzle-orm';
import { database } from '../db/client';
import { type Organization, organizations } from '../db/schema';

export type { Organization } from '../db/schema';

export async function organizationById(d1: D1Database, id: string): Promise<Organization | undefined> {
  return database(d1).query.organizations.findFirst({ where: eq(organizations.id, id) });
}

/** The renamed row, or undefined when there is no such organisation. */
export async function renameOrganization(
  d1: D1Database,
  id: string,
  name: string,
): Promise<Organization | undefined> {
  const rows = await database(d1)
    .update(organizations)
    .set({ name })
    .where(eq(organizations.id, id))
    .returning()
    .all();
  return rows[0];
}
