// `npm start`: local D1 migrations, the demo seed, then the Worker on http://127.0.0.1:8787
// with local D1 and Durable Objects (wrangler dev, all offline).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY_PATTERN, apiKeyPrefix, generateApiKey, hashApiKey } from '../src/accounts/api-key-secret.ts';
import { DEMO_LINK_ENTITIES } from '../src/demo/demo-links.ts';
import { DEMO_RULES } from '../src/demo/demo-rules.ts';
import { DEMO_COMPANY_PREFIXES, demoSeedSql } from '../src/demo/demo-seed.ts';
import { executeSql, wrangler, wranglerBackground } from './lib/wrangler.ts';

const PORT = Number(process.env.PORT ?? 8787);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const KEY_FILE = join(import.meta.dirname, '..', '.wrangler', 'demo-api-key');
const STATE_DIR = join(import.meta.dirname, '..', '.wrangler');

/**
 * A local Worker secret: the environment variable when set, else a random value made on the first
 * start and kept in .wrangler/ (so later starts can still read what it sealed or hashed).
 * SECRETS_KEY seals POS webhook secrets in D1; SCANNER_HASH_SECRET keys the daily scanner hash.
 */
function localSecret(name: 'SECRETS_KEY' | 'SCANNER_HASH_SECRET'): string {
  const fromEnv = process.env[name]?.trim();
  if (fromEnv) return fromEnv;
  const file = join(STATE_DIR, name.toLowerCase().replaceAll('_', '-'));
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** DEMO_API_KEY when set; otherwise the key generated on the first start and kept in .wrangler/. */
async function demoApiKey(): Promise<string> {
  const fromEnv = process.env.DEMO_API_KEY?.trim();
  if (fromEnv) {
    if (!API_KEY_PATTERN.test(fromEnv)) {
      console.error(
        'DEMO_API_KEY must look like dle_XXXXXXXX_ followed by 32 letters or digits (A-Z, a-z, 0-9).',
      );
      process.exit(2);
    }
    return fromEnv;
  }
  if (existsSync(KEY_FILE)) return readFileSync(KEY_FILE, 'utf8').trim();
  const { key } = await generateApiKey();
  mkdirSync(join(KEY_FILE, '..'), { recursive: true });
  writeFileSync(KEY_FILE, `${key}\n`, { mode: 0o600 });
  return key;
}

async function waitUntilUp(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${ORIGIN}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer on ${ORIGIN} within ${timeoutMs / 1000} s`);
}

console.log('Applying D1 migrations to the local database…');
wrangler(['d1', 'migrations', 'apply', 'DB', '--local'], { quiet: true });

const key = await demoApiKey();
console.log('Seeding the demo organisation…');
executeSql(
  demoSeedSql(
    { prefix: apiKeyPrefix(key), hash: await hashApiKey(key) },
    { prefixes: DEMO_COMPANY_PREFIXES },
  ),
  '--local',
  {
    quiet: true,
  },
);

const worker = wranglerBackground(
  [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(PORT),
    '--show-interactive-dev-session=false',
    '--test-scheduled',
  ],
  {
    // [secrets] required in wrangler.toml: wrangler dev takes them from the environment.
    SECRETS_KEY: localSecret('SECRETS_KEY'),
    SCANNER_HASH_SECRET: localSecret('SCANNER_HASH_SECRET'),
    DEMO_ROUTES: '1',
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => worker.kill(signal));
worker.on('exit', (code) => process.exit(code ?? 0));

await waitUntilUp(60_000);

/** Demo data that goes through the API, the same code path a brand uses (idempotent: unchanged entries are not rewritten). */
async function seedThroughApi(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`seeding ${path} failed: ${res.status} ${await res.text()}`);
}
await seedThroughApi('/v1/links/bulk', { entries: DEMO_LINK_ENTITIES });
// Brand rules after the links they sit on; upserted by client_key, so a second start adds none.
await seedThroughApi('/v1/rules/bulk', { rules: DEMO_RULES });
// Four months of past scans, once: a second start finds the demo product already scanned.
const live = await fetch(`${ORIGIN}/v1/scans/live/01/09506000134352`, {
  headers: { authorization: `Bearer ${key}` },
});
if (live.ok && ((await live.json()) as { scans: number }).scans === 0) {
  console.log('Recording four months of demo scans…');
  const seeding = Date.now();
  await seedThroughApi('/v1/demo/scans', { count: 8000, days: 120 });
  console.log(`Demo scans recorded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
}
const auth = `-H 'Authorization: Bearer ${key}'`;
// URLs in single quotes: '?' and '&' are globs in zsh.
console.log(`
Digital Link Edge is running on ${ORIGIN}

Demo API key (owner of "Demo Foods"): ${key}

Web dashboard: ${ORIGIN}/dashboard/  (sign in with the demo API key above)

Try:
  curl -si '${ORIGIN}/01/09506000134352'                 # 307 to GS1's sample product's default link
  curl -si '${ORIGIN}/01/09506000134352?linkType=gs1:pip' -H 'Accept-Language: es'
  curl -s  '${ORIGIN}/01/09506000134376/10/LOT1?linkType=linkset'
  curl -s  '${ORIGIN}/.well-known/gs1resolver'
  curl -si '${ORIGIN}/01/09506000134376/10/ABC123'       # a recalled lot: a rule sends it to the recall notice
  curl -si '${ORIGIN}/01/09506000134383'                 # no GS1 link: the hosted product page (fallback)
  curl -s  '${ORIGIN}/p/01/09506000134376/10/ABC123'     # the hosted page itself
  curl -s  '${ORIGIN}/v1/rules' ${auth}
  curl -s  '${ORIGIN}/v1/organization' ${auth}
  curl -s  '${ORIGIN}/v1/links' ${auth}
  curl -s  '${ORIGIN}/v1/brands' ${auth}
  curl -s  '${ORIGIN}/v1/api-keys' ${auth}

Press Ctrl+C to stop.
`);
