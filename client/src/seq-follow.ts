/**
 * Following an article's numbered room events (docs/live-protocol.md, "Ordering and catch-up"), as a rule with no
 * socket, timer or DOM: the web client (live.ts) and the soak's readers (bench/soak/) feed it what arrives and do what
 * it answers.
 *
 * It holds the last `seq` applied. An event numbered one more is applied, with whatever was held just after it; one at
 * or below is dropped (a catch-up and a live event can carry the same `seq`); one further ahead is a jump: it is held
 * and the follower joins again with `since`. From asking to join until the answer, events are held. The answer's
 * `missed` fill the hole, everything up to the answer's `seq` counts as handed over (what is still absent is
 * `skipped`), and a `resync` jumps straight to that `seq`. What is still held beyond a hole after an answer asks for
 * one more join.
 */

/** Events held while not applying (a join under way, or a jump); beyond this they are dropped, a join hands them over. */
export const MAX_HELD_EVENTS = 500;

/** Room events carry a number; events sent to one user's connections carry `seq: null` and are no business of this. */
export interface Numbered {
  readonly seq: number | null;
}

/** A join's positive answer, as this rule reads it. */
export type JoinAnswer<E> = { seq: number; resync: true } | { seq: number; missed: readonly E[] };

/** What a follower does after an event or an answer. */
export interface FollowStep<E> {
  /** To apply now, in `seq` order, each once. */
  apply: E[];
  /** Left out: at or below the last applied `seq`, or a second copy of one held. */
  dropped: number;
  /** Join again with `since`: a number is missing and only a catch-up can bring it. */
  rejoin: boolean;
}

export interface AnswerStep<E> extends FollowStep<E> {
  /** The server could not hand over what was missed: load the thread again. */
  resync: boolean;
  /** Numbers up to the answer's `seq` that neither arrived live nor came with the answer. */
  skipped: number;
}

export class SeqFollower<E extends Numbered> {
  private last: number | null;
  private readonly held = new Map<number, E>();
  private waiting = false;

  /** `since`: the `seq` the follower's data was read at (its first join asks for what came after); none: the join says. */
  constructor(
    since: number | null = null,
    private readonly maxHeld = MAX_HELD_EVENTS,
  ) {
    this.last = since;
  }

  /** The last `seq` applied; null until the first answer when no `since` was given. */
  get seq(): number | null {
    return this.last;
  }

  /** A join was asked for and not answered yet (nor given up): events are held. */
  get joining(): boolean {
    return this.waiting;
  }

  /** How many events are held, waiting for the number before them. */
  get holding(): number {
    return this.held.size;
  }

  /** A join is being sent: hold events until its answer. Returns its `since` (null: the first join, without one). */
  startJoin(): number | null {
    this.waiting = true;
    return this.last;
  }

  /** The join will not be answered (the connection dropped, or it was refused and will not be retried soon). */
  stopJoin(): void {
    this.waiting = false;
  }

  /** A live room event. */
  receive(event: E): FollowStep<E> {
    const seq = event.seq;
    if (seq === null) return { apply: [], dropped: 0, rejoin: false };
    if (this.last === null || this.waiting) return { apply: [], dropped: this.hold(event, seq, true), rejoin: false };
    if (seq <= this.last) return { apply: [], dropped: 1, rejoin: false };
    if (seq > this.last + 1) return { apply: [], dropped: this.hold(event, seq, true), rejoin: true };
    this.last = seq;
    // What is still held beyond a hole waits for the jump that brings a number past it (a join is asked for then).
    const step = this.settle(seq);
    return { apply: [event, ...step.apply], dropped: step.dropped, rejoin: false };
  }

  /** The positive answer to the join last started. */
  answered(answer: JoinAnswer<E>): AnswerStep<E> {
    this.waiting = false;
    let resync = false;
    let skipped = 0;
    let dropped = 0;
    if (this.last === null) {
      // The first join: the follower starts from the article's latest number.
      this.last = answer.seq;
    } else if ('resync' in answer) {
      // Go on from the answered seq, even one below the last applied (the server says `since` is ahead of it).
      resync = true;
      skipped = Math.max(0, answer.seq - this.last);
      this.last = answer.seq;
    } else {
      for (const event of answer.missed) {
        if (event.seq !== null) dropped += this.hold(event, event.seq, false);
      }
    }
    const step = this.settle(answer.seq);
    return { ...step, dropped: dropped + step.dropped, resync, skipped: skipped + step.skipped };
  }

  /** Keeps an event aside until its turn; returns 1 when it is dropped instead (already applied, or already held). */
  private hold(event: E, seq: number, live: boolean): number {
    if (this.held.has(seq) || (this.last !== null && seq <= this.last)) return 1;
    // Too many held live: drop them, the join with `since` (or its resync) hands them over.
    if (live && this.last !== null && this.held.size >= this.maxHeld) this.held.clear();
    this.held.set(seq, event);
    return 0;
  }

  /**
   * Applies what is held in order, up to `through` even over holes (everything up to an answer's `seq` was committed
   * before it, so a hole there will not be filled: it is skipped), then on while the numbers follow; drops what falls
   * at or below the last applied; asks to join again when something is still held beyond a hole.
   */
  private settle(through: number): FollowStep<E> & { skipped: number } {
    const apply: E[] = [];
    let skipped = 0;
    let last = this.last as number;
    for (;;) {
      const next = this.held.get(last + 1);
      if (next !== undefined) {
        this.held.delete(last + 1);
        apply.push(next);
      } else if (last >= through) break;
      else skipped += 1;
      last += 1;
    }
    this.last = last;
    let dropped = 0;
    for (const seq of this.held.keys()) {
      if (seq <= last) {
        this.held.delete(seq);
        dropped += 1;
      }
    }
    return { apply, dropped, rejoin: this.held.size > 0, skipped };
  }
}
