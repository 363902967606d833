import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PostmasterWatchdog {
  /** Called before a normal stop: the watchdog goes away without touching anything. */
  disarm(): void;
}

/**
 * Makes the embedded PostgreSQL stop when this process dies, however it dies (even SIGKILL, which no handler sees).
 * Linux has no portable way for Node to set a parent-death signal on a child, so a tiny shell process waits on a
 * pipe from us: when the pipe closes without it being disarmed first (this process is gone), it asks the postmaster
 * for a fast shutdown (SIGINT, as `pg_ctl stop -m fast`). It runs in its own process group, so that a signal sent to
 * ours does not take it too. When it cannot run (no /bin/sh), the next start still recovers the orphan.
 */
export function watchPostmaster(pid: number, log: (message: string) => void): PostmasterWatchdog {
  if (!existsSync('/bin/sh')) return { disarm: () => undefined };
  // `read` returns at end of file: the pipe closed because this process ended. $0 is the postmaster's PID.
  const child = spawn('/bin/sh', ['-c', 'read -r _ || kill -INT "$0" 2>/dev/null', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.on('error', (error) => log(`The PostgreSQL watchdog did not start: ${error.message}`));
  child.stdin?.on('error', () => undefined);
  // Neither the child nor its pipe keeps this process alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    disarm() {
      // A line on the pipe makes `read` succeed: the shell exits without signalling anything.
      if (child.exitCode === null && child.signalCode === null) child.stdin?.end('stop\n');
    },
  };
}
