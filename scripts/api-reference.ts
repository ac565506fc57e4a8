// `npm run docs:api`: writes docs/api-reference.md from the OpenAPI document, built from the router
// exactly as GET /v1/openapi.json builds it. The app's modules are bundled for Node first (their
// imports are extensionless, as the Worker's bundler wants them); test/openapi/api-reference.test.ts
// fails when the committed file is not what this writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
export const API_REFERENCE_PATH = join(ROOT, 'docs', 'api-reference.md');

const ENTRY = `
import { createApp } from './src/app';
import { buildOpenApiDocument } from './src/http/openapi/openapi-document';
import { referenceMarkdown } from './src/http/openapi/reference-markdown';
export async function markdown() {
  const app = createApp();
  return referenceMarkdown(await buildOpenApiDocument([...app.api.routes, ...app.edge.routes]));
}
`;

async function apiReference(): Promise<string> {
  const bundled = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'api-reference-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    // Durable Object classes import the runtime's module; the document never runs them.
    external: ['cloudflare:*'],
    logLevel: 'warning',
  });
  const dir = mkdtempSync(join(tmpdir(), 'api-reference-'));
  try {
    const file = join(dir, 'entry.mjs');
    writeFileSync(file, bundled.outputFiles[0]!.text);
    const { markdown } = (await import(pathToFileURL(file).href)) as { markdown: () => Promise<string> };
    return await markdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  writeFileSync(API_REFERENCE_PATH, await apiReference());
  console.log('wrote docs/api-reference.md');
}
