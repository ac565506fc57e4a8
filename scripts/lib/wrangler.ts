// Runs wrangler from this project's node_modules with telemetry off, as the scripts need it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WRANGLER = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'wrangler');
export const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };

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

export function wranglerBackground(args: string[]): ChildProcess {
  return spawn(WRANGLER, args, { stdio: 'inherit', env: wranglerEnv });
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
