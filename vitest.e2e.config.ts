// End-to-end tests of the web dashboard (test/e2e): Node, not workerd. They serve the Worker
// through Miniflare and drive Debian's Chromium with playwright-core; `npm test` runs them after
// the workerd suite (vitest.config.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    // One Worker and one browser for the whole file: its steps run in order on one page.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
