// `npm run bench:compressed`: what a compressed Digital Link costs a scan. The Worker's fetch
// handler is called in a loop inside the isolate (bench/worker/resolve-loop-entry.js, as in
// bench/resolve-in-isolate.ts), served through Miniflare's API, for the same walk-up scans
// uncompressed and compressed (with and without GS1's optimisation codes), interleaved with the
// bare 307 baseline of the same run; workerd's CPU time per call is read from /proc. The
// difference between the compressed and uncompressed rows is decompression's share of a scan.
// A second table times the library alone (decompressDigitalLinkPath) in Node's V8.
//
// Settings: BENCH_LOOP_CALLS (100000 per scenario and round), BENCH_ROUNDS (5).
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { buildWorker } from './lib/build-worker.ts';
import { demoOrg } from './lib/demo-org.ts';
import { BARE_REDIRECT, median } from './lib/measure-scenario.ts';
import { cpuMs } from './lib/process-cpu.ts';
import { OUT_DIR } from './lib/report.ts';
import { loopResolves } from './lib/resolve-loop.ts';
import { serveWorker } from './lib/serve-worker.ts';

const CALLS = Number(process.env.BENCH_LOOP_CALLS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ORIGIN = 'https://resolver.example';

// The library as the Worker bundles it: src/ imports without extensions, which Node does not resolve.
const libraryFile = join(OUT_DIR, 'digital-link-library.mjs');
buildSync({
  entryPoints: [join(import.meta.dirname, '..', 'src', 'digital-link', 'index.ts')],
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  outfile: libraryFile,
  logLevel: 'warning',
});
const library = (await import(libraryFile)) as typeof import('../src/digital-link/index.ts');

/** GS1's sample GTIN with a different unknown lot and serial each time, and an expiry date: a walk-up. */
const UNCOMPRESSED = Array.from(
  { length: 1000 },
  (_, i) => `/01/09506000134352/10/LOT${i % 37}/21/SER${i}?17=271231`,
);

function compressedPaths(options: { optimise: boolean }): string[] {
  return UNCOMPRESSED.map((path) => {
    const out = library.compressDigitalLinkUri(`${ORIGIN}${path}`, options);
    if (!out.ok) throw new Error(`${path}: ${out.error.message}`);
    return out.uri.slice(ORIGIN.length);
  });
}

const scenarios = [
  { name: BARE_REDIRECT.scenario, paths: BARE_REDIRECT.paths },
  { name: 'walk-up, uncompressed', paths: UNCOMPRESSED },
  { name: 'walk-up, compressed (optimised)', paths: compressedPaths({ optimise: true }) },
  { name: 'walk-up, compressed (plain)', paths: compressedPaths({ optimise: false }) },
];

const demo = await demoOrg();
const worker = await serveWorker({
  scriptPath: buildWorker(join(OUT_DIR, 'worker-resolve-loop'), 'bench/worker/resolve-loop-entry.js'),
  seedSql: demo.seedSql,
  vars: { SCAN_RECORDING: 'off' },
});
try {
  await demo.seedLinks(worker.url);
  for (const s of scenarios) await loopResolves(worker, s.paths, CALLS / 5); // warm-up: caches filled, code optimised

  const cpuPerCall: number[][] = scenarios.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const before = cpuMs(worker.workerdPid);
      await loopResolves(worker, s.paths, CALLS);
      cpuPerCall[i]!.push(((cpuMs(worker.workerdPid) - before) * 1000) / CALLS);
    }
  }
  console.log(
    `compressed scans in the isolate: ${CALLS.toLocaleString('en-US')} calls per scenario and round, median of ${ROUNDS} interleaved rounds`,
  );
  const base = median(cpuPerCall[0]!);
  const plain = median(cpuPerCall[1]!);
  console.log(
    `${'scenario'.padEnd(34)}${'CPU µs/call'.padStart(12)}${'vs baseline'.padStart(14)}${'vs uncompressed'.padStart(17)}   rounds`,
  );
  for (const [i, s] of scenarios.entries()) {
    const m = median(cpuPerCall[i]!);
    const vsBase = i === 0 ? '' : `+${(m - base).toFixed(1)} µs`;
    const vsPlain = i < 2 ? '' : `${m - plain >= 0 ? '+' : ''}${(m - plain).toFixed(1)} µs`;
    console.log(
      `${s.name.padEnd(34)}${m.toFixed(1).padStart(12)}${vsBase.padStart(14)}${vsPlain.padStart(17)}   ${cpuPerCall[i]!.map((x) => x.toFixed(1)).join(' ')}`,
    );
  }
} finally {
  await worker.dispose();
}

// The library alone, same paths: decompress (and, for scale, the uncompressed parse after it).
const libraryRounds: Record<string, number[]> = { decompress: [], 'decompress + parse': [], parse: [] };
const packed = scenarios[2]!.paths;
for (let round = 0; round < ROUNDS; round++) {
  const time = (name: string, run: (i: number) => unknown) => {
    const started = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) run(i % 1000);
    const used = process.cpuUsage(started);
    libraryRounds[name]!.push((used.user + used.system) / CALLS);
  };
  time('decompress', (i) => library.decompressDigitalLinkPath(packed[i]!, ''));
  time('decompress + parse', (i) => {
    const out = library.decompressDigitalLinkPath(packed[i]!, '');
    if (out.ok) library.parseDigitalLinkPath(out.pathname, out.search, { permitZeroSuppressedGTIN: true });
  });
  time('parse', (i) => {
    const [path, query] = UNCOMPRESSED[i]!.split('?');
    library.parseDigitalLinkPath(path!, query ?? '', { permitZeroSuppressedGTIN: true });
  });
}
console.log(
  `\nthe library alone in Node (${process.version}), ${CALLS.toLocaleString('en-US')} calls a round`,
);
for (const [name, rounds] of Object.entries(libraryRounds))
  console.log(
    `${name.padEnd(34)}${median(rounds).toFixed(2).padStart(12)} µs/call   ${rounds.map((x) => x.toFixed(2)).join(' ')}`,
  );
