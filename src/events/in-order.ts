/** How long a number taken by this process may hold back later ones (a transaction that never reported back). */
const STALE_MS = 2_000;

interface Slot<T> {
  takenAt: number;
  item?: T;
}

/**
 * Releases items in the order of their per-key numbers, for the numbers this process took: an item waits while a
 * smaller number of the same key is taken but not yet ready. A number forgotten (rolled back), or older than
 * STALE_MS, stops holding the others back.
 */
export class InOrder<T> {
  private readonly slots = new Map<string, Map<number, Slot<T>>>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly release: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  taken(key: string, seq: number): void {
    const slots = this.slots.get(key) ?? new Map<number, Slot<T>>();
    slots.set(seq, { takenAt: this.now() });
    this.slots.set(key, slots);
  }

  forget(key: string, seq: number): void {
    this.slots.get(key)?.delete(seq);
    this.drain(key);
  }

  ready(key: string, seq: number, item: T): void {
    const slots = this.slots.get(key);
    const slot = slots?.get(seq);
    if (!slots || !slot) {
      this.release(item);
      return;
    }
    slot.item = item;
    this.drain(key);
  }

  close(): void {
    clearTimeout(this.sweeper);
  }

  private drain(key: string): void {
    const slots = this.slots.get(key);
    if (!slots) return;
    for (const seq of [...slots.keys()].sort((a, b) => a - b)) {
      const slot = slots.get(seq) as Slot<T>;
      if (slot.item === undefined) {
        if (this.now() - slot.takenAt < STALE_MS) {
          this.sweepLater();
          break;
        }
        slots.delete(seq);
        continue;
      }
      slots.delete(seq);
      this.release(slot.item);
    }
    if (slots.size === 0) this.slots.delete(key);
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      for (const key of [...this.slots.keys()]) this.drain(key);
    }, STALE_MS);
    this.sweeper.unref();
  }
}
