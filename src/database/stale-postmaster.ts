import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** How long an orphaned postmaster gets to finish a fast shutdown before the start gives up. */
const ORPHAN_STOP_TIMEOUT_MS = 60_000;

/** What `postmaster.pid` says: line 1 the postmaster's PID, line 2 its data directory. */
export interface PostmasterLock {
  pid: number;
  dataDir: string;
}

/** A start that cannot go on by itself: the message says what is in the way and the exact command to run. */
export class PostmasterInTheWayError extends Error {}

/** Reads `<clusterDir>/postmaster.pid`; null when there is none (or it is empty: PostgreSQL is writing it). */
export async function readPostmasterLock(clusterDir: string): Promise<PostmasterLock | null> {
  const file = path.join(clusterDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  return parsePostmasterLock(text);
}

export function parsePostmasterLock(text: string): PostmasterLock | null {
  const [pidLine, dataDirLine] = text.split('\n');
  const pid = Number(pidLine?.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, dataDir: dataDirLine?.trim() ?? '' };
}

/** Whether a process with this PID exists (EPERM: it exists, it is someone else's), an exited one not reaped yet too. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process with this PID still runs: it exists and is not an exited one waiting to be reaped. */
async function processRuns(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const info = await describeProcess(pid);
  return info === null ? true : info.state !== 'Z';
}

interface ProcessInfo {
  argv: string[];
  /** The state letter of /proc/<pid>/stat (R, S, D, Z for an exited process not reaped yet, ...). */
  state: string;
  /** Its working directory (a postmaster runs in its data directory); null when it cannot be read. */
  cwd: string | null;
  parentPid: number | null;
}

/** What /proc says about a process; null when it is gone or /proc is not there (not Linux). */
async function describeProcess(pid: number): Promise<ProcessInfo | null> {
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((a) => a.length > 0);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parentPid = Number(parent);
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => null);
    return { argv, state, cwd, parentPid: Number.isSafeInteger(parentPid) ? parentPid : null };
  } catch {
    return null;
  }
}

/**
 * The processes that work in `clusterDir` (PostgreSQL processes run in their data directory): a postmaster and its
 * backends. A process whose directory cannot be read counts when it looks like PostgreSQL (we cannot rule it out).
 */
async function processesIn(clusterDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cwd = await readlink(`/proc/${pid}/cwd`).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? '' : null,
    );
    if (cwd !== null) {
      if (cwd !== '' && path.resolve(cwd) === clusterDir) found.push(pid);
      continue;
    }
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (/^(\S*\/)?postgres\b/.test(cmdline)) found.push(pid);
  }
  return found;
}

/** A PostgreSQL server process whose data directory is `clusterDir` (by its `-D` argument or its working directory). */
function isPostmasterOf(info: ProcessInfo, clusterDir: string): boolean {
  if (!/(^|\/)postgres$/.test(info.argv[0] ?? '')) return false;
  const d = info.argv.indexOf('-D');
  const dataDir = d >= 0 ? info.argv[d + 1] : undefined;
  if (dataDir !== undefined) return path.resolve(dataDir) === clusterDir;
  return info.cwd !== null && path.resolve(info.cwd) === clusterDir;
}

/** A live Node.js process (a forum that still holds this cluster), not an init or a subreaper that adopted orphans. */
function isNodeProcess(info: ProcessInfo | null): boolean {
  return info !== null && /(^|\/)node(js)?$/.test(info.argv[0] ?? '');
}

/**
 * Before starting PostgreSQL on `clusterDir`: deals with a `postmaster.pid` left by an earlier run.
 * - no file, or its PID is gone: nothing to do (PostgreSQL replaces a stale lock file itself);
 * - its PID is a PostgreSQL of this cluster whose launcher died (a forum killed with SIGKILL leaves it running, adopted
 *   by init): it is asked for a fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends) and awaited, bounded;
 * - its PID is a PostgreSQL of this cluster that a live Node.js process still runs (another forum on the same
 *   DATA_DIR): refused, never stopped under that process;
 * - its PID now belongs to another program (reused after a reboot or crash) or to an exited process not reaped yet:
 *   that program is left alone, and the stale lock file is removed when no process works in the cluster any more
 *   (PostgreSQL would refuse while the PID exists; a backend that outlived its postmaster keeps the lock);
 * - anything that cannot be checked or done: a PostmasterInTheWayError naming the data dir, the PID and the command.
 */
export async function clearStalePostmaster(clusterDir: string, log: (message: string) => void): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  const lock = await readPostmasterLock(clusterDir);
  if (!lock) return;
  const { pid } = lock;
  if (!processExists(pid)) {
    log(`${lockFile} names PID ${pid}, which is gone: PostgreSQL checks and replaces the stale lock file`);
    return;
  }
  const stopCommand = `kill -INT ${pid}   (or, as the user PostgreSQL runs as: pg_ctl stop -D ${clusterDir} -m fast)`;
  const info = await describeProcess(pid);
  if (!info) {
    throw new PostmasterInTheWayError(
      `${lockFile} names PID ${pid}, which is running, and this system cannot tell whether it is the PostgreSQL of ` +
        `${clusterDir}. If it is, stop it: ${stopCommand}; if it is not, remove ${lockFile}. Then start again.`,
    );
  }
  if (info.state === 'Z' || !isPostmasterOf(info, clusterDir)) {
    // The PID is an exited process not reaped yet, or was reused by another program: PostgreSQL would refuse to
    // start while it exists. The lock file is stale unless some process still works in the cluster (a backend that
    // outlived its postmaster): then nothing is touched.
    const inCluster = (await processesIn(clusterDir)).filter((p) => p !== pid);
    if (inCluster.length > 0) {
      throw new PostmasterInTheWayError(
        `${lockFile} names PID ${pid}, which is not a running PostgreSQL of ${clusterDir}, but processes ` +
          `${inCluster.join(', ')} still work in that cluster. Stop them (kill -INT ${inCluster.join(' ')}), then start again.`,
      );
    }
    log(
      `${lockFile} names PID ${pid}, which is not a PostgreSQL of this cluster any more: removing the stale lock file`,
    );
    await rm(lockFile, { force: true });
    return;
  }
  const parent = info.parentPid !== null && info.parentPid > 1 ? await describeProcess(info.parentPid) : null;
  if (isNodeProcess(parent)) {
    throw new PostmasterInTheWayError(
      `The embedded PostgreSQL of ${clusterDir} (PID ${pid}) belongs to a running process (PID ${info.parentPid}), ` +
        `most likely another forum on the same DATA_DIR. Stop that process (kill -TERM ${info.parentPid}) or give ` +
        `this one another DATA_DIR. If that process is stuck, stop PostgreSQL itself: ${stopCommand}.`,
    );
  }
  log(
    `The embedded PostgreSQL of ${clusterDir} (PID ${pid}) outlived the process that started it: stopping it (fast shutdown)`,
  );
  try {
    process.kill(pid, 'SIGINT');
  } catch (error) {
    throw new PostmasterInTheWayError(
      `The embedded PostgreSQL of ${clusterDir} (PID ${pid}) outlived the process that started it and this process ` +
        `may not stop it (${(error as NodeJS.ErrnoException).code ?? 'error'}). Run as root or as its user: ` +
        `${stopCommand}. Then start again.`,
    );
  }
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while ((await processRuns(pid)) || existsSync(lockFile)) {
    if (Date.now() > deadline) {
      throw new PostmasterInTheWayError(
        `The embedded PostgreSQL of ${clusterDir} (PID ${pid}) was asked to stop and is still running after ` +
          `${ORPHAN_STOP_TIMEOUT_MS / 1000} s. Wait for it or stop it: ${stopCommand}. Then start again.`,
      );
    }
    await delay(100);
  }
  log(`The orphaned PostgreSQL of ${clusterDir} stopped cleanly`);
}
