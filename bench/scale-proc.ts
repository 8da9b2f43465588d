/**
 * Process-tree measurements for the scale benchmark, from Linux /proc (proc(5)): CPU seconds of
 * this process, of its children it has waited for (`cutime`/`cstime`: every finished `pulumi`
 * run with its plugins) and of its live descendants (the embedded PostgreSQL), and the resident
 * memory of the whole tree. CPU seconds, not wall time: on a shared machine they hold still.
 */
import fs from 'node:fs';

const TICKS = 100; // USER_HZ: clock ticks per second on Linux (sysconf(_SC_CLK_TCK))

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in seconds. */
  cpu: number;
}

function readStat(pid: number | 'self'): Stat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm)": state=0 ppid=1 … utime=11 stime=12 cutime=13 cstime=14
    return { pid: pid === 'self' ? process.pid : pid, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return undefined;
  }
}

/** Pids of every live descendant of this process. */
function descendants(): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  }
  const out: number[] = [];
  const queue = [process.pid];
  while (queue.length) for (const c of children.get(queue.shift()!) ?? []) (out.push(c), queue.push(c));
  return out;
}

/** CPU seconds used so far by this process, its reaped children and its live descendants. */
export function treeCpuSeconds(): number {
  return [readStat('self'), ...descendants().map((pid) => readStat(pid))].reduce((sum, s) => sum + (s?.cpu ?? 0), 0);
}

/** CPU seconds of this process and its reaped children only (no live descendant). */
export function selfCpuSeconds(): number {
  return readStat('self')?.cpu ?? 0;
}

/** Resident memory of this process and its live descendants, in bytes. */
export function treeRssBytes(): number {
  let total = 0;
  for (const pid of [process.pid, ...descendants()]) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += m ? Number(m[1]) * 1024 : 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Samples the tree's RSS every `ms` until stopped; returns the peak. */
export function rssSampler(ms = 200): { stop(): number } {
  let peak = treeRssBytes();
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes())), ms);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRssBytes());
    },
  };
}
