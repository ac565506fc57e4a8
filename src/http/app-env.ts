import type { ApiKeyRole } from '../db/schema';

/** Who is calling, set by the API-key middleware on every /v1 request. */
export interface AuthContext {
  orgId: string;
  keyId: string;
  role: ApiKeyRole;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    auth: AuthContext;
    /** Set by a write that leaves no organisation to log it under (account erasure): no audit entry. */
    noAuditEntry?: true;
  };
}
