// Tests that need Node rather than workerd (test/oracle): the generated API types (openapi-typescript
// runs in Node) and GS1's and EVRYTHNG's own JavaScript
// libraries as reference implementations. digital-link.js is CommonJS written for Node (its
// grammar library reads `this` and Buffer at load), so it cannot run inside workerd; our code
// under test is pure and runs in both. `npm test` runs these after the workerd suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/oracle/**/*.oracle.ts'],
    environment: 'node',
  },
});
