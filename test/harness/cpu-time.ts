import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock tick, in ms: /proc reports CPU times in ticks of 1/100 s. */
const TICK_MS = 10;

/**
 * The CPU time, in ms, that this process and every process below it used so far: those still running (an app it
 * spawned, a browser and its renderers, which a shared browser keeps alive from one test file to the next) as well
 * as those that ended and were reaped. Read from /proc; a process's own `cutime`/`cstime` hold what its reaped
 * children used, and its live children are read in turn, so nothing is counted twice. What a process that was
 * orphaned (and reaped by init) used is lost, as is the database server's work (the harness started it). Elsewhere
 * than Linux, this process's own time.
 */
export function treeCpuMs(): number {
  try {
    return processTreeTicks(String(process.pid)) * TICK_MS;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

function processTreeTicks(pid: string): number {
  let ticks = ownAndReapedTicks(pid);
  for (const child of childrenOf(pid)) {
    try {
      ticks += processTreeTicks(child);
    } catch {
      // It ended between the listing and the read: its time is now in its parent's reaped children, or lost.
    }
  }
  return ticks;
}

/** utime, stime, cutime and cstime: fields 14 to 17 of /proc/<pid>/stat (the name, field 2, may hold spaces). */
function ownAndReapedTicks(pid: string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
}

/** A process's children are listed per thread (the one that forked them). */
function childrenOf(pid: string): string[] {
  const children: string[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let listed = '';
    try {
      listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch {
      // The thread ended meanwhile; its children passed to another thread of the process, listed in turn.
    }
    if (listed !== '') children.push(...listed.split(' '));
  }
  return children;
}
