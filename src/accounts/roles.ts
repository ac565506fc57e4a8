import type { ApiKeyRole } from '../db/schema';

// Higher rank = more power. owner: everything; manager: everything but owner keys;
// editor: writes brand data (links, rules, products); readonly: reads only.
const RANK: Record<ApiKeyRole, number> = { readonly: 0, editor: 1, manager: 2, owner: 3 };

export function hasRole(actual: ApiKeyRole, needed: ApiKeyRole): boolean {
  return RANK[actual] >= RANK[needed];
}

/** "an owner", "a manager": error messages read as sentences. */
export function article(role: ApiKeyRole): string {
  return role === 'owner' ? 'an' : 'a';
}
