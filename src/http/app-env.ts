import type { ApiKeyRole } from '../db/schema';
import type { ErrorRelocator } from './csv-import';

/** An API key, or a person signed in through Cloudflare Access (src/accounts/access-sign-in.ts). */
export type Principal = { kind: 'api_key' } | { kind: 'access'; email: string };

/** Who is calling, set by the authentication middleware on every /v1 request. */
export interface AuthContext {
  orgId: string;
  /** The credential: the API key's id, or the id of the Access member row that let the person in. */
  keyId: string;
  role: ApiKeyRole;
  principal: Principal;
}

/** Who acted, as the audit log and rate limits name them: the person's email, else the key's id. */
export const actorOf = (auth: AuthContext): string =>
  auth.principal.kind === 'access' ? auth.principal.email : auth.keyId;

export interface AppEnv {
  Bindings: Env;
  Variables: {
    auth: AuthContext;
    /** Set by a write that leaves no organisation to log it under (account erasure): no audit entry. */
    noAuditEntry?: true;
    /** Set when the body was a CSV file: puts its lines on errors about that body (src/http/csv-import.ts). */
    relocateError?: ErrorRelocator;
  };
}
