// GET /v1/openapi.json — public: the document built from the router once per isolate (the first
// request pays for walking ~90 routes and converting their schemas; later ones get the same object).
import { Hono } from 'hono';
import type { RouterRoute } from 'hono/types';
import * as z from 'zod';
import type { AppEnv } from '../app-env';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';
import { documented } from './route-doc';

const openApiShape = z
  .looseObject({
    openapi: z.string().startsWith('3.1.'),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
    components: z.record(z.string(), z.unknown()),
  })
  .meta({ description: 'An OpenAPI 3.1 document' });

/** `routes` is read on the first request: the router is complete by then. */
export function openApiRoutes(routes: () => readonly RouterRoute[]): Hono<AppEnv> {
  let document: Promise<OpenApiDocument> | undefined;
  return new Hono<AppEnv>().get(
    '/',
    documented({
      summary: 'This OpenAPI document',
      tags: ['reference'],
      public: true,
      responses: { 200: { description: 'The OpenAPI 3.1 document of every route', body: openApiShape } },
    }),
    async (c) => {
      document ??= buildOpenApiDocument(routes()).catch((err: unknown) => {
        document = undefined; // the next request tries again
        throw err;
      });
      c.header('cache-control', 'public, max-age=300');
      c.header('access-control-allow-origin', '*');
      c.header('x-content-type-options', 'nosniff');
      return c.json(await document);
    },
  );
}
