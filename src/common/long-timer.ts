/** setTimeout's longest delay (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface LongTimeout {
  /** The callback will not run (nothing happens when it already has). */
  cancel(): void;
}

/**
 * setTimeout for any delay: a session or a ban may last longer than setTimeout's 24.8 days, so a longer wait is taken
 * in steps, each measured again against the clock. Never holds the process open (unref'd); a delay already over runs
 * the callback on the next turn of the event loop.
 */
export function setLongTimeout(callback: () => void, delayMs: number): LongTimeout {
  const at = Date.now() + delayMs;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const wait = at - Date.now();
    timer = wait > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fire, Math.max(wait, 0));
    timer.unref();
  };
  const fire = (): void => {
    timer = undefined;
    callback();
  };
  arm();
  return {
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
