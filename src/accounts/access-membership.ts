// Which organisation and role a person signed in through Cloudflare Access gets, when several
// access_members rows name them. Import-free apart from .ts-suffixed modules, so the operator's
// script (npm run org:access -- --who) answers exactly as the Worker does.
import type { AccessMember, ApiKeyRole } from '../db/schema';
import { hasRole } from './roles.ts';

/**
 * One organisation per person, chosen the same way every time: memberships by email come before
 * memberships by group, then the oldest first; within that organisation the person has the highest
 * role any of their rows there gives. The answer is the row that gives it.
 */
export function chooseMembership(rows: readonly AccessMember[]): AccessMember | undefined {
  const ordered = [...rows].sort(
    (a, b) =>
      Number(a.kind === 'group') - Number(b.kind === 'group') ||
      a.createdAt - b.createdAt ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const first = ordered[0];
  if (!first) return undefined;
  let best = first;
  for (const row of ordered) if (row.orgId === first.orgId && outranks(row.role, best.role)) best = row;
  return best;
}

const outranks = (a: ApiKeyRole, b: ApiKeyRole) => a !== b && hasRole(a, b);
