import { parseArgs } from 'node:util';

/** The soak's settings and fixed figures, and the few helpers every part of it uses. */

export const ARTICLE = 'bolshevism-vs-stalinism';
export const DEFAULTS = { seconds: 120, readers: 200, writers: 20 };
/** Each writer waits 250-500 ms between the starts of two actions: 2-4 actions per second, with jitter. */
export const MIN_PAUSE_MS = 250;
export const MAX_PAUSE_MS = 500;
/** The action mix: cumulative shares of new top-level comments, replies and edits; the rest are votes. */
export const SHARE_COMMENT = 0.35;
export const SHARE_REPLY = 0.55;
export const SHARE_EDIT = 0.65;
/** Of new comments and replies, this share quotes a block of the article (its exact text). */
export const SHARE_QUOTED = 0.3;
export const CONNECT_BATCH = 50;
export const JOIN_TIMEOUT_MS = 10_000;
export const SAMPLE_EVERY_MS = 5_000;
/** After the writers stop: how long readers get to reach the article's final seq. */
export const SETTLE_TIMEOUT_MS = 20_000;
/** Memory counts as flat when the end window is less than 10% above the window after warm-up. */
export const FLAT_GROWTH = 0.1;
/** Besides `--seconds`: how long setup, settling and the stop may take before the soak gives up. */
export const WATCHDOG_EXTRA_MS = 240_000;
export const STANCES = ['agree', 'disagree', 'question', 'evidence'] as const;
const WORDS = (
  'the essay argues that the party was never one thing and that its history is a history of arguments about ' +
  'what to do next which the archive records only in part so a reader has to weigh each letter against the ' +
  'others before deciding whether the conclusion follows from the evidence or merely from the silence of sources'
).split(' ');

export type Kind = 'comment' | 'reply' | 'edit' | 'vote';
export const KINDS: Kind[] = ['comment', 'reply', 'edit', 'vote'];

/** Milliseconds since this process started; every clock reading of the soak comes from here (one process). */
export const now = () => performance.now();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export function sentence(words: number): string {
  return Array.from({ length: words }, () => pick(WORDS)).join(' ');
}

export function readSettings(): typeof DEFAULTS {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: String(DEFAULTS.seconds) },
      readers: { type: 'string', default: String(DEFAULTS.readers) },
      writers: { type: 'string', default: String(DEFAULTS.writers) },
    },
  });
  const positive = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${value}`);
    return n;
  };
  const parsed = {
    seconds: positive('seconds', values.seconds),
    readers: positive('readers', values.readers),
    writers: positive('writers', values.writers),
  };
  return parsed;
}
