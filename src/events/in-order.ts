/** How long a number taken by this process may hold back later ones (a transaction that never reported back). */
const STALE_MS = 2_000;

/** A transaction of this process that will number an event of a key: taken before it knows its number. */
export interface Ticket {
  readonly key: string;
  readonly takenAt: number;
  /** The highest number of the key this process knew when it was taken: its own will be higher. */
  readonly above: number;
  /** Its number, once known (before commit, when the event was numbered inside the transaction). */
  seq?: number;
}

interface Ready<T> {
  seq: number;
  item: T;
  /** The tickets still open when this item's number became known: any of them may have a smaller number. */
  waitsFor: Set<Ticket>;
}

interface Line<T> {
  open: Set<Ticket>;
  ready: Ready<T>[];
  highest: number;
}

/**
 * Releases items in the order of their per-key numbers, for the numbers this process took. A transaction takes a
 * ticket before it numbers its event and learns its number at commit, at the latest: numbers are taken under the
 * key's lock and committed in their order, so an item's number is smaller than another's only if its ticket was
 * still open when the other's number became known. An item therefore waits for the tickets open at that moment that
 * may hold a smaller number (not one known to be larger, nor one taken after a larger number was known), and the
 * smallest waiting number goes first. A ticket forgotten (rolled back), or older than STALE_MS, stops holding the
 * others back.
 */
export class InOrder<T> {
  private readonly lines = new Map<string, Line<T>>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly release: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): Ticket {
    const line = this.lineOf(key);
    const ticket: Ticket = { key, takenAt: this.now(), above: line.highest };
    line.open.add(ticket);
    return ticket;
  }

  /** The ticket's number is known before its transaction commits. */
  numbered(ticket: Ticket, seq: number): void {
    ticket.seq = seq;
    const line = this.lineOf(ticket.key);
    line.highest = Math.max(line.highest, seq);
    this.drain(ticket.key);
  }

  forget(ticket: Ticket): void {
    this.close(ticket);
    this.drain(ticket.key);
  }

  ready(ticket: Ticket, seq: number, item: T): void {
    this.close(ticket);
    const line = this.lineOf(ticket.key);
    line.highest = Math.max(line.highest, seq);
    line.ready.push({ seq, item, waitsFor: new Set(line.open) });
    line.ready.sort((a, b) => a.seq - b.seq);
    this.drain(ticket.key);
  }

  stop(): void {
    clearTimeout(this.sweeper);
  }

  private lineOf(key: string): Line<T> {
    let line = this.lines.get(key);
    if (!line) {
      line = { open: new Set(), ready: [], highest: 0 };
      this.lines.set(key, line);
    }
    return line;
  }

  private close(ticket: Ticket): void {
    const line = this.lines.get(ticket.key);
    if (!line) return;
    line.open.delete(ticket);
    for (const waiting of line.ready) waiting.waitsFor.delete(ticket);
  }

  private drain(key: string): void {
    const line = this.lines.get(key);
    if (!line) return;
    const now = this.now();
    while (line.ready.length > 0) {
      const first = line.ready[0];
      for (const ticket of first.waitsFor)
        if (now - ticket.takenAt >= STALE_MS || (ticket.seq ?? ticket.above + 1) > first.seq)
          first.waitsFor.delete(ticket);
      if (first.waitsFor.size > 0) {
        this.sweepLater();
        break;
      }
      line.ready.shift();
      this.release(first.item);
    }
    for (const ticket of line.open) if (now - ticket.takenAt >= STALE_MS) line.open.delete(ticket);
    if (line.open.size === 0 && line.ready.length === 0) this.lines.delete(key);
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      for (const key of [...this.lines.keys()]) this.drain(key);
    }, STALE_MS);
    this.sweeper.unref();
  }
}
