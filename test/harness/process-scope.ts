/**
 * What a test process shares between the test files of its group (run-tests.ts deals the files into a few
 * processes, each running its files one after another): started by the first file that needs it, kept for the
 * next, closed once the group's last file has run. Only inside a group: a test file run on its own has no end of the
 * group to wait for, and closes what it started itself.
 */
const closers: (() => Promise<void>)[] = [];
let groupRunning = false;

/** Called by the group's entry, before its files run. */
export function startProcessScope(): void {
  groupRunning = true;
}

/** Whether something opened now can be kept for the group's next files (and will be closed after its last one). */
export function processScopeOpen(): boolean {
  return groupRunning;
}

/** Registers the closing of a shared resource, for the end of the group. */
export function closeAtProcessEnd(close: () => Promise<void>): void {
  closers.push(close);
}

/** Called by the group's entry after its last file: closes every shared resource, the latest first. */
export async function closeProcessScope(): Promise<void> {
  groupRunning = false;
  for (const close of closers.splice(0).reverse()) await close();
}
