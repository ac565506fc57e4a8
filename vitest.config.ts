import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  // Read on the Node side, applied inside workerd by test/setup/apply-migrations.ts.
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // SECRETS_KEY: a fixed key for tests only (32 bytes, base64); deployments set their own secret.
          bindings: { TEST_MIGRATIONS: migrations, SECRETS_KEY: 'dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=' },
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup/apply-migrations.ts'],
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    },
  };
});
