// CPU time a process (workerd) has used so far, from Linux's /proc: read before and after a
// load, it says what the served Worker cost per request, whatever the wall clock did meanwhile.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ

/** User + system CPU of a process so far, in ms (all threads; 10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S; // utime, stime
}
