import fs from 'node:fs';

// CPU time spent by a process group (Linux /proc), so that the benchmark can report the app's
// CPU per request: on a shared 2-core machine, requests per second swing with whatever else
// runs, while CPU milliseconds per request hardly move.

const TICKS_PER_SECOND = 100;

function statOf(pid: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

/** utime + stime of every live process in the group, in milliseconds; null off Linux. */
export function groupCpuMs(pgid: number): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = statOf(pid);
    if (!stat) continue;
    // Fields after the command name, which is parenthesised and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }

  return (ticks * 1000) / TICKS_PER_SECOND;
}
