// Drives the bench Worker's in-isolate loop (bench/worker/resolve-loop-entry.js): `calls` resolves
// of `paths` in turn, each expected to answer 307, sent in chunks so no one request runs long.
import type { ServedWorker } from './serve-worker.ts';

const CHUNK = 2_000;

export async function loopResolves(
  worker: ServedWorker,
  paths: string[],
  calls: number,
  headers?: Record<string, string>,
): Promise<void> {
  for (let done = 0; done < calls; done += CHUNK) {
    const n = Math.min(CHUNK, calls - done);
    const res = await fetch(`${worker.url}/_bench/loop`, {
      method: 'POST',
      body: JSON.stringify({ paths, n, expectStatus: 307, headers }),
    });
    if (res.status !== 204) throw new Error(`loop failed: ${res.status} ${await res.text()}`);
  }
}
