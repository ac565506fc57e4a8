// Stands in for `zod/v4/core` in the deployed bundle (wrangler.toml [alias]): hono-openapi's
// schema converter imports that whole namespace dynamically for one function, and with it zod's
// forty locales (about 200 KiB minified, bench/RESULTS.md "bundle size"). This is that function.
export { toJSONSchema } from 'zod';
