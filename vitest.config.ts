import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Fixed secrets for tests only; deployments set their own (README: Deploying). SECRETS_KEY: 32
// bytes, base64. SCANNER_HASH_SECRET: any string. Also in the environment, where wrangler looks
// for `[secrets] required` (it warns otherwise); the bindings below are what the tests see.
const TEST_SECRETS = {
  SECRETS_KEY: 'dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=',
  SCANNER_HASH_SECRET: 'test-only-scanner-hash-secret',
};
Object.assign(process.env, TEST_SECRETS);

export default defineConfig(async () => {
  // Read on the Node side, applied inside workerd by test/setup/apply-migrations.ts.
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ...TEST_SECRETS,
            // Archive at the first flush, so a flushed scan is in R2 too (test/storage/).
            SCAN_ARCHIVE_DELAY_MS: '0',
            // One hot key spread over 4 ScanCounter shards (test/scans/scan-shards.test.ts).
            SCAN_SHARD_OVERRIDES: JSON.stringify({ '01/09506000134598': 4 }),
            // Suites make thousands of API calls a minute from one client; the rate-limit tests
            // (test/security/rate-limits.test.ts) set their own small limits.
            API_AUTH_FAILURE_LIMIT: '1000000',
            API_RATE_LIMIT_PER_KEY: '1000000',
            API_RATE_LIMIT_PER_ORGANIZATION: '1000000',
            POS_WEBHOOK_RATE_LIMIT: '1000000',
            SCAN_RATE_LIMIT: '1000000',
            SCAN_BOT_RATE_LIMIT: '1000000',
          },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup/apply-migrations.ts'],
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    },
  };
});
