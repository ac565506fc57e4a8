import { serveWorker } from './lib/serve-worker.ts';
import { readWranglerConfig } from './lib/wrangler-config.ts';
import { workerBundle } from './lib/build-worker.ts';
import { organizationBootstrapSql } from '../src/accounts/bootstrap-sql.ts';
// @ts-ignore
import { findCandidates } from '/tmp/fts-proto/fc/find-candidates.js';
// @ts-ignore
import { parseSearchQuery } from '/tmp/fts-proto/fc/search-query.js';
const mod = await import('./.search-scratch-lib.ts');
const seedSql = organizationBootstrapSql({ orgId: 'org_bench', orgName: 'B', keyId: 'k', keyName: 'k', keyPrefix: 'p', keyHash: 'x', createdAt: 0 });
const worker = await serveWorker({ config: readWranglerConfig('/tmp/fts-proto/wrangler.toml'), scriptPath: process.env.BENCH_WORKER_BUNDLE || workerBundle(), seedSql });
try {
  const d1 = await worker.mf.getD1Database('DB');
  await mod.loadCatalog(d1);
  for (const [q, lat, lng, r] of [['rice', 48.85, 2.35, 10], ['organic rice', 48.85, 2.35, 10], ['Belta', 48.85, 2.35, 10], ['rice', 10, 10, 10], ['rice', 48.85, 2.35, 50]] as const) {
    const query = parseSearchQuery(q);
    for (let i = 0; i < 3 && false; i++) {
      const t = performance.now();
      const c = await findCandidates(d1, query, { lat, lng }, r, false);
      if (i === 2) console.log(q, lat, r, c.length, 'candidates', c.reduce((n: number, x: any) => n + x.stores.length, 0), 'store rows', (performance.now() - t).toFixed(1), 'ms');
    }
  }
  const t = performance.now();
  const m = await d1.prepare(`SELECT count(*) n FROM products_fts WHERE products_fts MATCH '"rice"'`).first();
  console.log('count rice', m, (performance.now() - t).toFixed(1));
  const t2 = performance.now();
  await d1.prepare(`SELECT rowid, bm25(products_fts, 10.0, 5.0, 1.0, 3.0) s FROM products_fts WHERE products_fts MATCH '"rice"' ORDER BY s LIMIT 200`).all();
  console.log('fts top200 only', (performance.now() - t2).toFixed(1));
  const t3 = performance.now();
  await d1.prepare(`SELECT f.rowid, bm25(products_fts, 10.0, 5.0, 1.0, 3.0) s FROM products_fts f JOIN products p ON p.rowid = f.rowid WHERE products_fts MATCH '"rice"' AND p.status = 'active' ORDER BY s LIMIT 200`).all();
  console.log('fts top200 join', (performance.now() - t3).toFixed(1));
  const timeit = async (label: string, sql: string) => {
    const times: number[] = [];
    let n = 0;
    for (let k = 0; k < 15; k++) { const t = performance.now(); n = (await d1.prepare(sql).all()).results.length; times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    console.log(label.padEnd(40), String(n).padStart(5), times[7]!.toFixed(1), 'ms median');
  };
  await timeit('SELECT 1', 'SELECT 1');
  await timeit('rice match', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"rice"'`);
  await timeit('rice bm25 top200', `SELECT rowid, bm25(products_fts, 10.0, 5.0, 1.0, 3.0) s FROM products_fts WHERE products_fts MATCH '"rice"' ORDER BY s LIMIT 200`);
  await timeit('rice rank top200', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"rice"' ORDER BY rank LIMIT 200`);
  await timeit('organic rice match', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"organic" "rice"'`);
  await timeit('organic rice bm25', `SELECT rowid, bm25(products_fts, 10.0, 5.0, 1.0, 3.0) s FROM products_fts WHERE products_fts MATCH '"organic" "rice"' ORDER BY s LIMIT 200`);
  await timeit('belta bm25', `SELECT rowid, bm25(products_fts) s FROM products_fts WHERE products_fts MATCH '"belta"' ORDER BY s LIMIT 200`);
  await timeit('nearby paris + stock', `SELECT i.gtin FROM locations n JOIN inventory i ON i.location_id = n.id WHERE n.latitude BETWEEN 48.76 AND 48.94 AND (n.longitude BETWEEN 2.2 AND 2.5) AND i.gtin IN (SELECT gtin FROM products LIMIT 200)`);
} finally { await worker.dispose(); }
