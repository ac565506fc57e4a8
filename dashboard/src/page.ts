// What a page of the dashboard is: a title and a render function given the main landmark.
import type { Schema } from './api';

/** The signed-in organisation, with the key the tab uses. */
export type Organization = Schema<'Organization'>;

export interface PageContext {
  /** Aborted when the user leaves the page: pass it to every request the page makes. */
  signal: AbortSignal;
  org: Organization;
}

export interface Page {
  title: string;
  render(main: HTMLElement, context: PageContext): void;
}

/** Editors and above may change rules and acknowledge alerts (README: roles). */
export const canWrite = (org: Organization) => org.key.role !== 'readonly';

type Role = Organization['key']['role'];
const RANK: Record<Role, number> = { readonly: 0, editor: 1, manager: 2, owner: 3 };

/** Whether the signed-in key has `role` or above (src/accounts/roles.ts): stores, keys and webhooks need manager. */
export const hasRole = (org: Organization, role: Role) => RANK[org.key.role] >= RANK[role];

/** The roles a key may give a new key: its own and below (the API refuses more). */
export const grantableRoles = (org: Organization): Role[] =>
  (Object.keys(RANK) as Role[]).filter((r) => RANK[r] <= RANK[org.key.role]);

/**
 * "Why can't I change this?" in the words of how the person signed in: a key's role is the key's,
 * an Access member's is given by their organisation's admin.
 */
export function readOnlyReason(org: Organization, needed: Role, toDo: string): string {
  const article = needed === 'editor' ? 'an' : 'a';
  return org.principal.kind === 'access'
    ? `You have ${org.principal.role === 'readonly' ? 'read-only' : org.principal.role} access: ask your organisation's admin for ${needed} access to ${toDo}.`
    : `This key is ${org.key.role === 'readonly' ? 'read-only' : `an ${org.key.role} key`}: ask for ${article} ${needed} key to ${toDo}.`;
}
