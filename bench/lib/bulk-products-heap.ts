// Bundled by bench/bulk-upsert.ts with esbuild and run in Node with --expose-gc (same V8 as
// workerd): the JS heap the bulk product route's own steps hold at once for one request —
// parse, validate, build rows with completeness, chunk into statements — which workerd cannot
// report per isolate. Prints one JSON line.
import { bulkProductsSchema } from '../../src/catalog/product-input';
import { productFromInput } from '../../src/catalog/product-record';
import { jsonChunks } from '../../src/db/json-chunks';

const text = process.env.BENCH_BODY_FILE
  ? (await import('node:fs')).readFileSync(process.env.BENCH_BODY_FILE, 'utf8')
  : '';
const gc = (globalThis as unknown as { gc: () => void }).gc;
gc();
const base = process.memoryUsage().heapUsed;
let peak = 0;
const steps: Record<string, number> = {};
const step = <T>(name: string, run: () => T): T => {
  const started = performance.now();
  const out = run();
  steps[name] = Math.round(performance.now() - started);
  peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  return out;
};
// Every intermediate stays referenced, as it does in the route until the response is sent.
const parsed = step('JSON.parse', () => JSON.parse(text) as unknown);
const { items } = step('zod', () => bulkProductsSchema.parse(parsed));
const rows = step('rows + completeness', () =>
  items.map((item, i) => productFromInput('org', item, { id: `prd_${i}`, createdAt: 0 }, 0)),
);
const chunks = step('json chunks', () => jsonChunks(rows));
console.log(
  JSON.stringify({ heapMiB: peak / 2 ** 20, statements: chunks.length, stepsMs: steps, items: rows.length }),
);
