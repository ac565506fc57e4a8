// `npm run bench:sketch-writes`: D1 rows written by the unique-scanner sketch's register upsert
// (src/scans/rollup-increments.ts) for one subject's day, N scanners in flushes of 200 scans, with
// the upsert as first merged (every register row rewritten: `SET rank = max(rank, excluded.rank)`)
// beside the one now used (a row written only when its rank rises). SQLite's own change count is
// what D1 bills as rows written; both run on node:sqlite in the same process, same hashes.
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

const PRECISION = 14;
const FLUSH_SCANS = 200;
const SIZES = [1_000, 10_000, 100_000, 1_000_000];

const UPSERTS = {
  'every register (baseline)':
    'INSERT INTO t VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET rank = max(rank, excluded.rank)',
  'rising ranks only': `INSERT INTO t VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET rank = excluded.rank
    WHERE excluded.rank > t.rank`,
};

/** A HyperLogLog cell of a random 64-bit hash: the top 14 bits pick the register, the rest the rank. */
function cell(): [number, number] {
  const b = randomBytes(8);
  const hi = b.readUInt32BE(0);
  const lo = b.readUInt32BE(4);
  const rest = (hi << PRECISION) >>> 0;
  let zeros = Math.clz32(rest);
  if (zeros >= 32 - PRECISION) zeros = 32 - PRECISION + Math.clz32(lo);
  return [hi >>> (32 - PRECISION), Math.min(zeros, 64 - PRECISION) + 1];
}

console.log(`scanners per day | ${Object.keys(UPSERTS).join(' | ')} | ratio`);
for (const n of SIZES) {
  // The same flushes for both upserts.
  const flushes: Map<number, number>[] = [];
  for (let i = 0; i < n; i += FLUSH_SCANS) {
    const merged = new Map<number, number>();
    for (let j = 0; j < Math.min(FLUSH_SCANS, n - i); j++) {
      const [register, rank] = cell();
      merged.set(register, Math.max(merged.get(register) ?? 0, rank));
    }
    flushes.push(merged);
  }
  const written = Object.values(UPSERTS).map((sql) => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, rank INTEGER NOT NULL)');
    const upsert = db.prepare(sql);
    let rows = 0;
    for (const merged of flushes) for (const [k, rank] of merged) rows += Number(upsert.run(k, rank).changes);
    db.close();
    return rows;
  });
  const [before, after] = written as [number, number];
  console.log(
    `${n.toLocaleString('en')} | ${before.toLocaleString('en')} | ${after.toLocaleString('en')} | ${(before / after).toFixed(1)}×`,
  );
}
