import type { ApiKeyRole } from '../db/schema';

/** Who is calling, set by the API-key middleware on every /v1 request. */
export interface AuthContext {
  orgId: string;
  keyId: string;
  role: ApiKeyRole;
}

export interface AppEnv {
  Bindings: Env;
  Variables: { auth: AuthContext };
}
