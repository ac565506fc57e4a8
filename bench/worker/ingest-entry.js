// Worker entry for bench/ingest.ts: the Worker as deployed (every export of src/index.ts), plus
// GET /_bench/scan-recorder, which reports this isolate's ScanRecorder
// counters — record RPCs made, scans delivered, scans lost — so the benchmark can say how many
// scans each RPC carried. Plain JavaScript: `tsc -p scripts` checks bench/ for Node, and would
// otherwise pull the Worker's sources (and `cloudflare:workers`) into that check.

import { scanRecorder } from '../../src/scans/scan-recorder.ts';
import worker from './bench-entry.ts';

export * from './bench-entry.ts';

export default {
  ...worker,
  fetch(request, env, ctx) {
    if (request.url.endsWith('/_bench/scan-recorder')) {
      const { rpcs, delivered, lost } = scanRecorder;
      return Response.json({ rpcs, delivered, lost });
    }
    return worker.fetch(request, env, ctx);
  },
};
