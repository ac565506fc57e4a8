// Every /v1 route the app registers, read from the router itself, so sweeps over them
// (test/security) cover routes added later without being edited.
import { createApp } from '../../src/app';

export interface Route {
  method: string;
  path: string;
}

/** The one /v1 route served without a key: the API's own OpenAPI document (test/openapi/). */
const PUBLIC_V1_PATHS = new Set(['/v1/openapi.json']);

/** Each method and path behind an API key once (Hono lists a path once per middleware and handler). */
export function v1Routes(): Route[] {
  const seen = new Set<string>();
  return createApp()
    .api.routes.filter(
      (r) =>
        r.path.startsWith('/v1/') &&
        r.method !== 'ALL' &&
        !r.path.endsWith('*') &&
        !PUBLIC_V1_PATHS.has(r.path),
    )
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
