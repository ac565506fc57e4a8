// The codes GET /v1/codes draws, decoded by independent decoders: ZBar (Debian's zbar-tools) for
// QR Code and libdmtx (dmtx-utils) for Data Matrix. The Worker is bundled as a deploy would bundle
// it (minified, bwip-js loaded lazily) and served through Miniflare; each PNG it answers must
// decode to exactly the URI it says it carries (x-digital-link).
//
// .ci/run installs both decoders and sets REQUIRE_DECODERS=1. Without them (a newcomer's machine)
// these tests are skipped with a note rather than failing `npm test`.
import { type ExecFileSyncOptionsWithStringEncoding, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker, PRODUCTION_ENTRY } from '../../bench/lib/build-worker.ts';
import { type ServedWorker, serveWorker } from '../../bench/lib/serve-worker.ts';
import { generateApiKey } from '../../src/accounts/api-key-secret.ts';
import { demoSeedSql } from '../../src/demo/demo-seed.ts';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const decoders = hasTool('zbarimg') && hasTool('dmtxread');
if (!decoders && process.env.REQUIRE_DECODERS === '1') {
  throw new Error(
    'REQUIRE_DECODERS=1 but zbarimg or dmtxread is missing: apt-get install zbar-tools dmtx-utils',
  );
}
if (!decoders) console.warn('codes.oracle: zbarimg/dmtxread not installed, decoding tests skipped');

const CASES: { what: string; query: Record<string, string> }[] = [
  { what: 'a GTIN', query: { data: 'https://id.gs1.org/01/09506000134352' } },
  {
    what: 'a serial with attributes',
    query: { data: 'https://brand.example/01/09506000134352/10/LOT-7/21/S%2F42?17=271231&3103=000500' },
  },
  { what: 'an SSCC', query: { data: 'https://example.com/00/095060001343521236' } },
  {
    what: 'a compressed URI',
    query: { data: 'https://example.com/01/09506000134352/10/ABC/21/123', compressed: 'true' },
  },
  { what: 'an element string', query: { element_string: '(01)09506000134352(10)ABC123(17)271231' } },
  {
    what: 'a long URI',
    query: { data: `https://example.com/01/09506000134352?note=${'aB3-xQ9_'.repeat(60)}` },
  },
];

let worker: ServedWorker;
let key: string;
let buildDir: string;
let imageDir: string;

beforeAll(async () => {
  if (!decoders) return;
  buildDir = mkdtempSync(join(tmpdir(), 'dle-codes-worker-'));
  imageDir = mkdtempSync(join(tmpdir(), 'dle-codes-'));
  const secret = await generateApiKey();
  key = secret.key;
  worker = await serveWorker({
    scriptPath: buildWorker(buildDir, PRODUCTION_ENTRY),
    seedSql: demoSeedSql({ prefix: secret.prefix, hash: secret.hash }),
  });
}, 180_000);

afterAll(async () => {
  await worker?.dispose();
  for (const dir of [buildDir, imageDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function drawn(query: Record<string, string>): Promise<{ file: string; uri: string }> {
  const res = await fetch(`${worker.url}/v1/codes?${new URLSearchParams({ format: 'png', ...query })}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200)
    throw new Error(`GET /v1/codes answered ${res.status}: ${new TextDecoder().decode(body)}`);
  const file = join(imageDir, `${crypto.randomUUID()}.png`);
  writeFileSync(file, body);
  return { file, uri: res.headers.get('x-digital-link') ?? '' };
}

// dmtxread complains on stderr that it finds no D-Bus; only stdout (the data) matters.
const QUIET: ExecFileSyncOptionsWithStringEncoding = {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
};
const zbar = (file: string) => execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', file], QUIET);
const dmtx = (file: string) => execFileSync('dmtxread', ['--stop-after=1', file], QUIET);

describe.skipIf(!decoders)('codes decode to the URI they carry', () => {
  for (const { what, query } of CASES) {
    it(`QR Code of ${what}, at each error-correction level`, async () => {
      for (const error_correction of ['L', 'M', 'Q', 'H']) {
        const { file, uri } = await drawn({ ...query, symbology: 'qr', error_correction, size: '4' });
        expect(uri).toMatch(/^https?:\/\/[^/]+\/./);
        expect(zbar(file).replace(/\n$/, '')).toBe(uri);
      }
    });

    it(`Data Matrix of ${what}`, async () => {
      const { file, uri } = await drawn({ ...query, symbology: 'datamatrix', size: '6' });
      expect(dmtx(file)).toBe(uri);
    });
  }

  it('decodes at the smallest and a large module size, and with a wide quiet zone', async () => {
    const data = 'https://id.gs1.org/01/09506000134352/10/ABC';
    const queries: Record<string, string>[] = [
      { size: '2' },
      { size: '20' },
      { size: '4', quiet_zone: '12' },
    ];
    for (const query of queries) {
      const qr = await drawn({ data, ...query });
      expect(zbar(qr.file).trim()).toBe(data);
      const dm = await drawn({ data, symbology: 'datamatrix', ...query });
      expect(dmtx(dm.file)).toBe(data);
    }
  });
});
