// The Worker for the end-to-end tests: bundled as a deploy would (`wrangler deploy --dry-run`, which
// also builds the dashboard through wrangler.toml [build]), served through Miniflare's own API with
// the dashboard's static assets (bench/lib/serve-worker.ts), and seeded like `npm start`: the demo
// organisation, its links and rules through the API, four months of scans, and one real scan of a
// recalled lot so that the detectors open an alert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorker, PRODUCTION_ENTRY } from '../../../bench/lib/build-worker.ts';
import { type ServedWorker, serveWorker } from '../../../bench/lib/serve-worker.ts';
import { generateApiKey } from '../../../src/accounts/api-key-secret.ts';
import { DEMO_LINK_ENTITIES } from '../../../src/demo/demo-links.ts';
import { DEMO_RULES } from '../../../src/demo/demo-rules.ts';
import { DEMO_COMPANY_PREFIXES, demoSeedSql } from '../../../src/demo/demo-seed.ts';

export interface DemoWorker {
  url: string;
  key: string;
  /** GET (or another method) on the API with the demo key; throws on a non-2xx answer. */
  api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  served: ServedWorker;
  dispose(): Promise<void>;
}

const DEMO_SCANS = 8000;
const DEMO_DAYS = 120;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `vars`: more [vars] for this Worker (Cloudflare Access's, test/e2e/access.e2e.ts). */
export async function startDemoWorker(options: { vars?: Record<string, string> } = {}): Promise<DemoWorker> {
  const buildDir = mkdtempSync(join(tmpdir(), 'dle-e2e-worker-'));
  const scriptPath = buildWorker(buildDir, PRODUCTION_ENTRY);
  const { key, prefix, hash } = await generateApiKey();
  const served = await serveWorker({
    scriptPath,
    withAssets: true,
    seedSql: demoSeedSql({ prefix, hash }, { prefixes: DEMO_COMPANY_PREFIXES }),
    vars: {
      DEMO_ROUTES: '1',
      // Roll-ups and alerts reach D1 within a fraction of a second instead of five.
      SCAN_FLUSH_DELAY_MS: '100',
      SCANNER_HASH_SECRET: 'e2e-only-scanner-hash-secret',
      SECRETS_KEY: 'ZTJlLW9ubHktc2VjcmV0cy1rZXktMzItYnl0ZXMhISE=',
      ...options.vars,
    },
  });
  const dispose = async () => {
    await served.dispose();
    rmSync(buildDir, { recursive: true, force: true });
  };
  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${served.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  try {
    await api('/v1/links/bulk', { method: 'POST', body: { entries: DEMO_LINK_ENTITIES } });
    await api('/v1/rules/bulk', { method: 'POST', body: { rules: DEMO_RULES } });
    const { recorded } = await api<{ recorded: number }>('/v1/demo/scans', {
      method: 'POST',
      body: { count: DEMO_SCANS, days: DEMO_DAYS },
    });
    // A consumer's scan of the recalled lot, through the resolver: the recalled-lot detector opens an alert.
    const scan = await fetch(`${served.url}/01/09506000134376/10/ABC123`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148' },
    });
    await scan.arrayBuffer();
    // Every demo scan is in the last 120 days, so a 130-day range with bots counts them all, and the
    // recalled-lot scan, once flushed: from then on the figures stand still for the tests to compare.
    const from = new Date(Date.now() - 130 * 86_400_000).toISOString().slice(0, 10);
    await until('the scans to reach the roll-ups', 60_000, async () => {
      const s = await api<{ total: number }>(`/v1/analytics/scans/timeseries?from=${from}&bots=include`);
      return s.total >= recorded + 1 ? s.total : undefined;
    });
    await until('an open alert', 60_000, async () => {
      const alerts = await api<{ data: unknown[] }>('/v1/alerts?status=open&limit=1');
      return alerts.data.length > 0 ? true : undefined;
    });
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url: served.url, key, api, served, dispose };
}
