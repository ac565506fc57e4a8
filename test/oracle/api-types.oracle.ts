// dashboard/src/api-schema.ts is what `npm run docs:api` writes from the document: a route or
// response schema changed without regenerating it fails here (openapi-typescript runs in Node,
// not workerd, hence this suite). The dashboard's typecheck then holds its pages to the API.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_PATH, generatedApiFiles } from '../../scripts/api-reference.ts';

describe('dashboard/src/api-schema.ts', () => {
  let types = '';
  beforeAll(async () => {
    ({ types } = await generatedApiFiles());
  }, 60_000);

  it('is the TypeScript of GET /v1/openapi.json (else run `npm run docs:api`)', () => {
    const committed = readFileSync(API_TYPES_PATH, 'utf8');
    expect(committed === types, 'dashboard/src/api-schema.ts is stale: run `npm run docs:api`').toBe(true);
  });

  it('types the operations the dashboard calls', () => {
    for (const path of ['/v1/analytics/overview', '/v1/alerts', '/v1/rules', '/v1/organization'])
      expect(types).toContain(`"${path}": {`);
    expect(types).toMatch(/Alert: \{/);
  });
});
