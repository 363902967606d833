import { io, type Socket } from 'socket.io-client';
import { type JoinAck, ROOM_EVENT_TYPES } from '../../src/realtime/event-map.js';
import { SeqFollower } from '../../client/src/seq-follow.js';

/**
 * A follower of one article over Socket.IO by the web client's seq rule, and the record of which comments reached
 * which reader: shared by the soak, bench:scale and the multi-process suites. Importing it starts nothing and installs
 * no handler.
 */

/** How long a reader waits for the answer to a join. */
const JOIN_TIMEOUT_MS = 10_000;

/** A numbered room event as a reader holds it: the payload plus its type. */
export interface LiveEvent {
  type: string;
  seq: number;
  articleId: string;
  at: string;
  comment?: { id: string; body: string | null };
}

/** Which reader got which comment as `comment.created`, how often, and when the last one got it. */
export class Arrivals {
  private readonly byComment = new Map<string, { counts: Uint8Array; lastAt: number }>();

  constructor(private readonly readers: number) {}

  arrived(reader: number, commentId: string, at: number): void {
    let entry = this.byComment.get(commentId);
    if (!entry) {
      entry = { counts: new Uint8Array(this.readers), lastAt: 0 };
      this.byComment.set(commentId, entry);
    }
    entry.counts[reader] = Math.min(255, entry.counts[reader] + 1);
    entry.lastAt = at;
  }

  /** For one comment: how many readers never got it, how many got it more than once, when the last one got it. */
  of(commentId: string): { missing: number; duplicated: number; lastAt: number | null } {
    const entry = this.byComment.get(commentId);
    if (!entry) return { missing: this.readers, duplicated: 0, lastAt: null };
    let missing = 0;
    let duplicated = 0;
    for (const count of entry.counts) {
      if (count === 0) missing += 1;
      if (count > 1) duplicated += count - 1;
    }
    return { missing, duplicated, lastAt: missing === 0 ? entry.lastAt : null };
  }

  ids(): string[] {
    return [...this.byComment.keys()];
  }
}

/**
 * One follower of the article, by the web client's rule (client/src/seq-follow.ts): it holds `held`, the highest seq
 * it has applied, and applies only `held + 1`. An event at or below `held` is dropped (delivery trails the commit, and
 * a catch-up may overlap live events); one above `held + 1` is a jump: it is kept aside and the reader joins again
 * with `since: held`, whose `missed` fills the hole. After a disconnect, socket.io-client reconnects and the reader
 * joins again with `since` as well. Besides following, it counts what happened, for the report.
 */
export class Reader {
  baseline = 0;
  /** Events received (room events, before any check), applied (once each, in order), dropped as already held. */
  received = 0;
  applied = 0;
  dropped = 0;
  /** Jumps seen live, joins with `since` (after a jump or a reconnect), events taken from their `missed`. */
  jumps = 0;
  rejoins = 0;
  fromCatchUp = 0;
  disconnects = 0;
  /** `resync: true` answers (the server no longer holds what was missed), refused or timed-out joins. */
  resyncs = 0;
  joinFailures = 0;
  /** Of the join failures, those the server answered `{ ok: false }` (the others had no answer in time). */
  joinRefusals = 0;
  /** Numbers that neither arrived live nor came with a catch-up. */
  lost = 0;
  /**
   * Live events that arrived on a connection after one with a higher `seq` on the same connection: the server sent
   * them out of order (the seq rule repairs it with a catch-up, but the server promises order).
   */
  reorders = 0;
  private lastLiveSeq = 0;
  private readonly follow = new SeqFollower<LiveEvent>();
  private joining = false;
  private joinAgain = false;
  private closing = false;

  private constructor(
    readonly index: number,
    private readonly socket: Socket,
    private readonly slug: string,
    private readonly onCreated: (reader: number, commentId: string) => void,
  ) {
    for (const type of ROOM_EVENT_TYPES) {
      socket.on(type, (payload: Omit<LiveEvent, 'type'>) => this.receive({ ...payload, type }));
    }
    socket.on('disconnect', (reason) => {
      if (this.closing) return;
      this.disconnects += 1;
      // socket.io-client reconnects by itself, except when the server closed the connection.
      if (reason === 'io server disconnect') socket.connect();
    });
    // Registered after the first connection: this is a reconnection.
    socket.on('connect', () => {
      this.lastLiveSeq = 0;
      void this.join();
    });
  }

  static async open(
    url: string,
    slug: string,
    index: number,
    onCreated: (reader: number, commentId: string) => void,
  ): Promise<Reader> {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      timeout: 20_000,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    const reader = new Reader(index, socket, slug, onCreated);
    await reader.join();
    if (reader.held === null) {
      socket.close();
      throw new Error(`reader ${index} could not join ${slug}`);
    }
    return reader;
  }

  /** The highest seq applied (null before the first join answered). */
  get held(): number | null {
    return this.follow.seq;
  }

  /** Idle: nothing kept aside and no join under way. */
  get settled(): boolean {
    return !this.joining && this.follow.holding === 0;
  }

  close(): void {
    this.closing = true;
    this.socket.close();
  }

  private receive(event: LiveEvent): void {
    this.received += 1;
    if (typeof event.seq !== 'number') return;
    if (event.seq < this.lastLiveSeq) this.reorders += 1;
    this.lastLiveSeq = Math.max(this.lastLiveSeq, event.seq);
    const step = this.follow.receive(event);
    this.dropped += step.dropped;
    step.apply.forEach((e) => this.apply(e));
    if (step.rejoin) {
      this.jumps += 1;
      void this.join();
    }
  }

  private apply(event: LiveEvent): void {
    this.applied += 1;
    if (event.type === 'comment.created' && event.comment) this.onCreated(this.index, event.comment.id);
  }

  /** The first join (no `since`), or a join again with `since: held`; one at a time. */
  private async join(): Promise<void> {
    if (this.joining) {
      this.joinAgain = true;
      return;
    }
    this.joining = true;
    try {
      do {
        this.joinAgain = false;
        const since = this.follow.startJoin();
        let ack: JoinAck;
        try {
          ack = (await this.socket
            .timeout(JOIN_TIMEOUT_MS)
            .emitWithAck('join', since === null ? { article: this.slug } : { article: this.slug, since })) as JoinAck;
        } catch {
          // No answer in time: try again while connected; after a disconnect the reconnect joins again.
          this.joinFailures += 1;
          this.joinAgain = this.socket.connected && !this.closing;
          continue;
        }
        if (!ack.ok) {
          // Refused (too many joins, or the server could not answer): again a moment later, as the web client does.
          this.joinFailures += 1;
          this.joinRefusals += 1;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(this.joinFailures, 5))),
          );
          this.joinAgain = this.socket.connected && !this.closing;
          continue;
        }
        if (since === null) {
          this.baseline = ack.seq;
        } else {
          this.rejoins += 1;
          if ('resync' in ack) this.resyncs += 1;
          else this.fromCatchUp += ack.missed.length;
        }
        // Everything up to ack.seq was committed before the answer, so `missed` had it: what is still absent is lost.
        const step = this.follow.answered(
          'resync' in ack ? ack : { seq: ack.seq, missed: ack.missed as unknown as LiveEvent[] },
        );
        this.dropped += step.dropped;
        this.lost += step.skipped;
        step.apply.forEach((e) => this.apply(e));
        // Something above held + 1 is still kept aside: another jump.
        if (step.rejoin) {
          this.jumps += 1;
          this.joinAgain = true;
        }
      } while (this.joinAgain && !this.closing);
    } finally {
      this.joining = false;
      // A join left unanswered (a disconnect, a refusal): events are followed again until the next one.
      this.follow.stopJoin();
    }
  }
}
