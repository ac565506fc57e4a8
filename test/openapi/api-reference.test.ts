// docs/api-reference.md is what `npm run docs:api` writes from the served document: a route, schema
// or description changed without regenerating it fails here.
import { describe, expect, it } from 'vitest';
import committed from '../../docs/api-reference.md?raw';
import { type ReferenceDocument, referenceMarkdown } from '../../src/http/openapi/reference-markdown';
import { call } from '../support/http';

describe('docs/api-reference.md', () => {
  it('is the Markdown of GET /v1/openapi.json (else run `npm run docs:api`)', async () => {
    const doc = await (await call('GET', '/v1/openapi.json')).json<ReferenceDocument>();
    const expected = referenceMarkdown(doc);
    expect(committed === expected, 'docs/api-reference.md is stale: run `npm run docs:api`').toBe(true);
  });

  it('lists every operation of the document, and every schema', async () => {
    const doc = await (await call('GET', '/v1/openapi.json')).json<ReferenceDocument>();
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of Object.keys(item))
        expect(committed).toContain(`### \`${method.toUpperCase()} ${path}\``);
    for (const name of Object.keys(doc.components?.schemas ?? {}))
      expect(committed).toContain(`### ${name}\n`);
  });
});
