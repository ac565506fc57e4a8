// Worker entry for bench/ingest.ts's "counters elsewhere" scenario: the Worker exactly as
// bench/lib/ingest-entry.js serves it, but its ScanCounter acknowledges each batch without
// storing it. The Worker still captures, finishes (User-Agent, scanner hash), batches and sends
// every scan over RPC, so this instance's throughput is what recording costs the redirect when
// the counters and D1 run elsewhere, as they do on Cloudflare (Durable Objects on their own
// hosts, D1 its own service). Locally they share workerd's thread with the Worker.
import { DurableObject } from 'cloudflare:workers';

export * from './ingest-entry.js';
export { default } from './ingest-entry.js';

export class ScanCounter extends DurableObject {
  async record(events) {
    return { recorded: events.length, duplicates: 0, rowsWritten: 0 };
  }
}
