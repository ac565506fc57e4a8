import type { ApiKeyRole } from '../db/schema';
import type { ErrorRelocator } from './csv-import';

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
    /** Set when the body was a CSV file: puts its lines on errors about that body (src/http/csv-import.ts). */
    relocateError?: ErrorRelocator;
  };
}
