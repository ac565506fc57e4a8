// Worker secrets (`wrangler secret put NAME`). `wrangler types` only sees secrets listed in
// .dev.vars (never committed) or in a `[secrets]` table wrangler.toml does not have, so they are
// typed here. Optional: a Worker without one still serves everything that does not need it.
interface Env {
  /** 32 random bytes, base64: seals POS webhook secrets at rest (src/db/sealed-secret.ts). */
  SECRETS_KEY?: string;
  /** Any long random string: keys the daily scanner hash (src/scans/scanner-hash.ts). */
  SCANNER_HASH_SECRET?: string;
}
