// `npx node bench/bulk-upsert.ts`: what one bulk request of 10,000 products or 10,000 inventory
// rows costs, through the bundled Worker served by Miniflare with local D1 (bench/lib).
//
// For each scenario: wall time of the request, CPU time the workerd process spent on it (our
// Worker *and* the local D1, which in production runs outside the Worker, so an upper bound on
// the Worker's own CPU), workerd's peak RSS, and the body size. Then, because workerd cannot
// report one isolate's heap, the JS heap the product route's steps hold for one request, measured
// in Node (same V8) by bench/lib/bulk-products-heap.ts. Settings: BENCH_ROUNDS (3), BENCH_ITEMS
// (10000), BENCH_DESCRIPTION_CHARS (pads each description, to approach the 8 MiB body cap).
// Prints markdown tables for bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../src/accounts/api-key-secret.ts';
import { organizationBootstrapSql } from '../src/accounts/bootstrap-sql.ts';
import { withCheckDigit } from '../src/digital-link/check-digit.ts';
import { workerBundle } from './lib/build-worker.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { peakRssMiB, resetPeakRss } from './lib/process-memory.ts';
import { machineInfo, OUT_DIR } from './lib/report.ts';
import { serveWorker } from './lib/serve-worker.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const DESCRIPTION_CHARS = Number(process.env.BENCH_DESCRIPTION_CHARS ?? 0);
const STORES = 5;

const gtin = (round: number, i: number) =>
  withCheckDigit(`19${String(round).padStart(2, '0')}${String(i).padStart(9, '0')}`);

/** A typical product: every key field, a short description and ingredients (~700 bytes of JSON). */
function product(round: number, i: number) {
  return {
    gtin: gtin(round, i),
    status: 'active',
    authorised_markets: ['DE', 'FR', 'IT'],
    fields: {
      name: { value: `Bench Pantry Product ${i} 400 g` },
      brand: { value: 'Bench Foods' },
      description: {
        value: `Product ${i}: durum wheat pasta, bronze-drawn and slowly dried.`.padEnd(
          DESCRIPTION_CHARS,
          ' Cook al dente.',
        ),
        source: 'import',
        confidence: 0.8,
      },
      category: { value: 'Pasta' },
      images: { value: [`https://cdn.example.com/products/${i}.jpg`] },
      net_content: { value: { value: 400, unit: 'g' } },
      country_of_origin: { value: 'IT' },
      ingredients: { value: 'Durum wheat semolina, water' },
      allergens: { value: ['gluten'] },
      nutrition: {
        value: { basis: '100g', energy_kcal: 359, fat_g: 1.5, carbohydrate_g: 71, protein_g: 13 },
      },
    },
  };
}

function inventoryRow(storeIds: string[], round: number, i: number, syncedAt: string) {
  return {
    location_id: storeIds[i % STORES],
    gtin: gtin(round, Math.floor(i / STORES)),
    quantity: i % 40,
    price: 1.99 + (i % 300) / 100,
    currency: 'EUR',
    synced_at: syncedAt,
  };
}

interface Figure {
  scenario: string;
  round: number;
  bodyMiB: number;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  response: string;
}

const { key } = await generateApiKey();
const seedSql = organizationBootstrapSql({
  orgId: 'org_bench',
  orgName: 'Bench',
  keyId: 'key_bench',
  keyName: 'bench owner key',
  keyPrefix: apiKeyPrefix(key),
  keyHash: await hashApiKey(key),
  createdAt: Date.now(),
});
const worker = await serveWorker({ scriptPath: workerBundle(), seedSql });
const figures: Figure[] = [];
let lastProductsBody = '';

async function post(
  path: string,
  body: unknown,
): Promise<{
  status: number;
  json: Record<string, unknown>;
  size: number;
  wallMs: number;
  cpuMs: number;
  peak: number;
}> {
  const text = JSON.stringify(body);
  if (path === '/v1/products/bulk') lastProductsBody = text;
  resetPeakRss(worker.workerdPid);
  const cpuBefore = cpuMs(worker.workerdPid);
  const started = performance.now();
  const res = await fetch(`${worker.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: text,
  });
  const json = (await res.json()) as Record<string, unknown>;
  const wallMs = performance.now() - started;
  return {
    status: res.status,
    json,
    size: Buffer.byteLength(text),
    wallMs,
    cpuMs: cpuMs(worker.workerdPid) - cpuBefore,
    peak: peakRssMiB(worker.workerdPid),
  };
}

async function measure(
  scenario: string,
  round: number,
  path: string,
  body: unknown,
  expect: Record<string, number>,
) {
  const r = await post(path, body);
  const ok = r.status === 200 && Object.entries(expect).every(([k, v]) => r.json[k] === v);
  if (!ok)
    throw new Error(
      `${scenario}: expected 200 ${JSON.stringify(expect)}, got ${r.status} ${JSON.stringify(r.json).slice(0, 500)}`,
    );
  figures.push({
    scenario,
    round,
    bodyMiB: r.size / 2 ** 20,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    peakRssMiB: r.peak,
    response: JSON.stringify(r.json),
  });
  console.log(
    `${scenario} (round ${round}): ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ${r.peak.toFixed(0)} MiB peak → ${JSON.stringify(r.json)}`,
  );
}

try {
  const storeIds: string[] = [];
  for (let s = 0; s < STORES; s++) {
    const res = await fetch(`${worker.url}/v1/locations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `Bench store ${s}`,
        address: { line1: `${s} Main St`, city: 'Lyon', country: 'FR' },
        latitude: 45.76,
        longitude: 4.84,
        timezone: 'Europe/Paris',
      }),
    });
    storeIds.push(((await res.json()) as { id: string }).id);
  }

  for (let round = 1; round <= ROUNDS; round++) {
    const products = Array.from({ length: ITEMS }, (_, i) => product(round, i));
    await measure(
      `products: ${ITEMS} new`,
      round,
      '/v1/products/bulk',
      { items: products },
      { created: ITEMS, updated: 0 },
    );
    await measure(
      `products: ${ITEMS} replaced`,
      round,
      '/v1/products/bulk',
      { items: products },
      { created: 0, updated: ITEMS },
    );

    const t0 = new Date(Date.now() - 60_000).toISOString();
    const t1 = new Date(Date.now() - 30_000).toISOString();
    const rows = (at: string) =>
      Array.from({ length: ITEMS }, (_, i) => inventoryRow(storeIds, round, i, at));
    await measure(
      `inventory: ${ITEMS} new`,
      round,
      '/v1/inventory/bulk',
      { items: rows(t0) },
      { applied: ITEMS, stale: 0 },
    );
    await measure(
      `inventory: ${ITEMS} newer`,
      round,
      '/v1/inventory/bulk',
      { items: rows(t1) },
      { applied: ITEMS, stale: 0 },
    );
    await measure(
      `inventory: ${ITEMS} replayed (stale)`,
      round,
      '/v1/inventory/bulk',
      { items: rows(t1) },
      { applied: 0, stale: ITEMS },
    );
  }
} finally {
  await worker.dispose();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const machine = machineInfo();
console.log(
  `\n${new Date().toISOString()} · ${machine.cpus} × ${machine.cpuModel} · load ${machine.loadAverage} · Node ${machine.node} · workerd ${machine.workerd}`,
);
console.log(`Median of ${ROUNDS} round(s); min–max in brackets.\n`);
console.log('| scenario | body MiB | wall ms | workerd CPU ms | peak RSS MiB |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const scenario of [...new Set(figures.map((f) => f.scenario))]) {
  const runs = figures.filter((f) => f.scenario === scenario);
  const cell = (pick: (f: Figure) => number) => {
    const values = runs.map(pick);
    return `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  };
  console.log(
    `| ${scenario} | ${runs[0]!.bodyMiB.toFixed(2)} | ${cell((f) => f.wallMs)} | ${cell((f) => f.cpuMs)} | ${cell((f) => f.peakRssMiB)} |`,
  );
}

// The heap figure: bundle the route's steps for Node and feed them the last products body.
mkdirSync(OUT_DIR, { recursive: true });
const bodyFile = join(OUT_DIR, 'bulk-products-body.json');
const heapScript = join(OUT_DIR, 'bulk-products-heap.mjs');
writeFileSync(bodyFile, lastProductsBody);
buildSync({
  entryPoints: [join(import.meta.dirname, 'lib', 'bulk-products-heap.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: heapScript,
  logLevel: 'warning',
});
const heap = spawnSync(process.execPath, ['--expose-gc', heapScript], {
  env: { ...process.env, BENCH_BODY_FILE: bodyFile },
  encoding: 'utf8',
});
if (heap.status !== 0) throw new Error(`heap measurement failed: ${heap.stderr}`);
const h = JSON.parse(heap.stdout) as {
  heapMiB: number;
  statements: number;
  stepsMs: Record<string, number>;
  items: number;
};
console.log(`\nBulk products route, ${h.items} items in one request, in Node ${process.version}:`);
console.log(
  `JS heap held at the peak: ${h.heapMiB.toFixed(0)} MiB; D1 statements: ${h.statements}; ` +
    `steps: ${Object.entries(h.stepsMs)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}`,
);
