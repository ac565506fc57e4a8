// `npm run build:dashboard`: bundles the web dashboard (dashboard/src, TypeScript) with esbuild into
// public/dashboard/, which the Worker serves as static assets (wrangler.toml [assets]). wrangler
// runs it before every `wrangler dev` and `wrangler deploy` ([build] in wrangler.toml), so
// `npm start`, the end-to-end tests and deploys always serve a fresh build. The output is not
// committed: the same sources and esbuild version give the same files.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'dashboard');
export const DASHBOARD_OUT_DIR = join(ROOT, 'public', 'dashboard');

export async function buildDashboard(outDir = DASHBOARD_OUT_DIR): Promise<void> {
  rmSync(outDir, { recursive: true, force: true }); // no stale chunks from an earlier build
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      app: join(SOURCE, 'src', 'main.ts'),
      reference: join(SOURCE, 'src', 'reference', 'main.ts'),
    },
    outdir: outDir,
    bundle: true,
    // ES modules with code splitting: the map (d3-geo, topojson, the world atlas) and the chart
    // (uPlot) load only on the pages that draw them.
    format: 'esm',
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: 'linked',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
    // Licence comments of the bundled libraries stay, at the end of each file.
    legalComments: 'eof',
    logLevel: 'warning',
  });
  copyFileSync(join(SOURCE, 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(SOURCE, 'icon.svg'), join(outDir, 'icon.svg'));
  // The API reference page (/dashboard/reference/): GET /v1/openapi.json rendered, no CDN.
  mkdirSync(join(outDir, 'reference'), { recursive: true });
  copyFileSync(join(SOURCE, 'reference.html'), join(outDir, 'reference', 'index.html'));
}

if (import.meta.main) {
  const started = performance.now();
  await buildDashboard();
  console.log(`dashboard built into public/dashboard/ in ${Math.round(performance.now() - started)} ms`);
}
