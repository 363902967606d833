import { LRUCache } from 'lru-cache';
import { type ContentCoding, encode } from './content-coding.js';

/** An answer as it goes out: its JSON once serialised, and each coding of it once compressed. */
export interface StoredAnswer {
  json: Buffer;
  /** The body in each coding asked for so far, compressed at the first request that took it. */
  codings: Partial<Record<ContentCoding, Promise<Buffer>>>;
  /** The bytes of the codings made so far, counted in the entry's size once they are. */
  codedBytes: number;
}

/** Room for the key, the entry's objects and the cache's own bookkeeping, beyond the bytes of the body. */
const ENTRY_OVERHEAD = 256;
/** An entry may take at most this share of the cache: one huge answer does not push out every other. */
const LARGEST_SHARE = 8;

/** An answer that is kept nowhere (no cache): serialised for this one request. */
export function unstoredAnswer(value: object): StoredAnswer {
  return { json: Buffer.from(JSON.stringify(value)), codings: {}, codedBytes: 0 };
}

/**
 * Answers kept by key, least recently used first out, bounded by their bytes (the JSON and every coding made of it),
 * not by their count: a thread page weighs from a few hundred bytes to megabytes. What a key names is the caller's
 * business; the cache only promises that `make` runs once per key at a time, however many requests miss together
 * (when a popular thread's number moves, the next hundred readers wait for one reading of it, not a hundred).
 */
export class AnswerCache {
  private readonly entries: LRUCache<string, StoredAnswer, () => Promise<object>>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, StoredAnswer, () => Promise<object>>({
      maxSize: maxBytes,
      maxEntrySize: Math.max(1, Math.floor(maxBytes / LARGEST_SHARE)),
      sizeCalculation: (answer, key) => answer.json.length + answer.codedBytes + key.length + ENTRY_OVERHEAD,
      fetchMethod: async (_key, _stale, { context }) => unstoredAnswer(await context()),
    });
  }

  /** The answer kept under `key`, or the one `make` gives, kept (unless larger than an entry may be). */
  async answer(key: string, make: () => Promise<object>): Promise<StoredAnswer> {
    const found = await this.entries.fetch(key, { context: make });
    // fetchMethod always gives an answer or throws: undefined cannot come back.
    return found as StoredAnswer;
  }

  /** The answer's body in `coding`: compressed at the first request for it, then kept with the answer. */
  encoded(key: string, answer: StoredAnswer, coding: ContentCoding): Promise<Buffer> {
    const kept = answer.codings[coding];
    if (kept) return kept;
    const made = encode(answer.json, coding, 'kept');
    answer.codings[coding] = made;
    void made.then(
      (bytes) => {
        answer.codedBytes += bytes.length;
        // Set again to count the new bytes (and evict for them), unless the answer has left the cache meanwhile.
        if (this.entries.peek(key) === answer) this.entries.set(key, answer);
      },
      () => delete answer.codings[coding],
    );
    return made;
  }

  /** Bytes held, as counted against the bound. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }
}
