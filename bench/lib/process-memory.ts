// Memory of the workerd process that serves a benchmarked Worker, read from Linux's /proc.
// Miniflare spawns workerd as a direct child of this Node process and does not expose its pid,
// so we find it by scanning /proc for `workerd` children of ours.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Pids of the live `workerd` processes whose parent is `parentPid`, oldest first. */
export function findWorkerdPids(parentPid = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Format: `pid (comm) state ppid …`; comm may contain spaces, so split after the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (comm === 'workerd' && ppid === parentPid) pids.push(Number(entry));
  }
  return pids.sort((a, b) => a - b);
}

function statusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(line.split(/\s+/)[1]);
}

/** Peak resident set size (VmHWM) since the process started or since `resetPeakRss`, in MiB. */
export function peakRssMiB(pid: number): number {
  return statusKiB(pid, 'VmHWM') / 1024;
}

export function currentRssMiB(pid: number): number {
  return statusKiB(pid, 'VmRSS') / 1024;
}

/**
 * Resets the peak to the current RSS (Linux ≥ 4.0, `echo 5 > clear_refs`), so a figure taken
 * after a scenario covers that scenario, not the start-up or an earlier one. Needs the same
 * user as the process (or root); returns false where the kernel refuses.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
