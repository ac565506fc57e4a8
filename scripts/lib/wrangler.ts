// Runs wrangler from this project's node_modules with telemetry off, as the scripts need it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const WRANGLER = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'wrangler');
// Offline-friendly: no telemetry, no update check (it rides on the banner), no fetch of the
// Request.cf placeholder from workers.cloudflare.com (Miniflare's built-in placeholder stands in).
export const wranglerEnv: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: 'true',
};

export function wrangler(args: string[], options: { quiet?: boolean } = {}): void {
  const result = spawnSync(WRANGLER, args, {
    stdio: options.quiet ? 'pipe' : 'inherit',
    env: wranglerEnv,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`wrangler ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/**
 * `wrangler dev` and friends in the background. `extraEnv` reaches wrangler only (e.g. required
 * secrets, which `wrangler dev` reads from the environment). Its output passes through
 * `withoutRepeats`: wrangler prints its bindings table again whenever its dev registry updates.
 */
export function wranglerBackground(args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(WRANGLER, args, {
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...wranglerEnv, ...extraEnv },
  });
  const keep = withoutRepeats();
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: from }).on('line', (line) => {
      if (keep(line)) to.write(`${line}\n`);
    });
  }
  return child;
}

const BINDINGS_TABLE = 'Your Worker has access to the following bindings:';

/** A line filter that passes wrangler's bindings table the first time only, and drops its registry notices. */
export function withoutRepeats(): (line: string) => boolean {
  let tablesSeen = 0;
  let inRepeatedTable = false;
  return (line) => {
    if (line.includes(BINDINGS_TABLE)) {
      tablesSeen++;
      inRepeatedTable = tablesSeen > 1;
      return !inRepeatedTable;
    }
    if (inRepeatedTable) {
      if (line.trim() === '') inRepeatedTable = false;
      return false;
    }
    return !line.includes('Connection status updated');
  };
}

/** Executes SQL statements against the D1 database `DB` (local state unless `remote`). */
export function executeSql(
  statements: string[],
  target: '--local' | '--remote',
  options: { quiet?: boolean } = {},
): void {
  const file = join(mkdtempSync(join(tmpdir(), 'dle-sql-')), 'statements.sql');
  writeFileSync(file, statements.map((s) => `${s.trim()};`).join('\n'));
  wrangler(['d1', 'execute', 'DB', target, `--file=${file}`], options);
}

/** Rows of one query against the D1 database `DB` (wrangler's `--json` output). */
export function querySql<Row>(sql: string, target: '--local' | '--remote'): Row[] {
  const result = spawnSync(WRANGLER, ['d1', 'execute', 'DB', target, '--json', '--command', sql], {
    env: wranglerEnv,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`wrangler d1 execute failed with exit code ${result.status}`);
  }
  const parsed = JSON.parse(result.stdout) as { results: Row[] }[];
  return parsed.flatMap((r) => r.results);
}
