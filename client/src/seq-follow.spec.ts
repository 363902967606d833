import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HELD_EVENTS, SeqFollower } from './seq-follow.js';

interface Ev {
  seq: number | null;
  tag?: string;
}

const ev = (seq: number | null, tag?: string): Ev => (tag === undefined ? { seq } : { seq, tag });
const seqs = (events: Ev[]) => events.map((e) => e.seq);

/** A follower already past its first join, at `seq`. */
function following(seq: number): SeqFollower<Ev> {
  const sut = new SeqFollower<Ev>();
  sut.startJoin();
  sut.answered({ seq, missed: [] });
  return sut;
}

describe('SeqFollower: live events', () => {
  it('applies events in order, each as it comes', () => {
    const sut = following(3);
    for (const seq of [4, 5, 6]) {
      assert.deepEqual(sut.receive(ev(seq)), { apply: [ev(seq)], dropped: 0, rejoin: false });
    }
    assert.equal(sut.seq, 6);
  });

  it('drops an event at or below the last applied seq (a duplicate)', () => {
    const sut = following(3);
    sut.receive(ev(4));
    assert.deepEqual(sut.receive(ev(4, 'again')), { apply: [], dropped: 1, rejoin: false });
    assert.deepEqual(sut.receive(ev(2)), { apply: [], dropped: 1, rejoin: false });
    assert.equal(sut.seq, 4);
  });

  it('leaves unnumbered events alone', () => {
    const sut = following(3);
    assert.deepEqual(sut.receive(ev(null)), { apply: [], dropped: 0, rejoin: false });
    assert.equal(sut.seq, 3);
    assert.equal(sut.holding, 0);
  });

  it('holds an event after a gap and asks to join again with since = the last applied seq', () => {
    const sut = following(3);
    const step = sut.receive(ev(6));
    assert.deepEqual(step, { apply: [], dropped: 0, rejoin: true });
    assert.equal(sut.holding, 1);
    assert.equal(sut.startJoin(), 3, 'the join asks for what came after 3');
  });

  it('fills the gap from the answer’s missed events, then applies what was held, in order, once', () => {
    const sut = following(3);
    sut.receive(ev(6, 'live'));
    sut.startJoin();
    // A live event arriving while the join is under way is held, not applied.
    assert.deepEqual(sut.receive(ev(7, 'live')), { apply: [], dropped: 0, rejoin: false });
    const step = sut.answered({ seq: 6, missed: [ev(4), ev(5), ev(6, 'missed')] });
    assert.deepEqual(seqs(step.apply), [4, 5, 6, 7]);
    assert.equal(step.apply[2].tag, 'live', 'the copy held first is the one applied');
    assert.equal(step.dropped, 1, 'the second copy of 6');
    assert.equal(step.skipped, 0);
    assert.equal(step.rejoin, false);
    assert.equal(step.resync, false);
    assert.equal(sut.seq, 7);
    assert.equal(sut.joining, false);
  });

  it('skips a number the answer says is committed but did not hand over, and applies what follows it', () => {
    const sut = following(3);
    sut.receive(ev(6));
    sut.startJoin();
    const step = sut.answered({ seq: 6, missed: [ev(4)] });
    assert.deepEqual(seqs(step.apply), [4, 6]);
    assert.equal(step.skipped, 1, 'number 5 never came');
    assert.equal(sut.seq, 6);
  });

  it('asks for another join when something is still held beyond a hole after the answer', () => {
    const sut = following(3);
    sut.receive(ev(5));
    sut.startJoin();
    sut.receive(ev(9));
    const step = sut.answered({ seq: 5, missed: [ev(4), ev(5)] });
    assert.deepEqual(seqs(step.apply), [4, 5]);
    assert.equal(step.rejoin, true, '9 waits behind 6-8');
    assert.equal(sut.holding, 1);
    assert.equal(sut.startJoin(), 5);
  });
});

describe('SeqFollower: joining', () => {
  it('holds events until the first join answers, then starts from its seq', () => {
    const sut = new SeqFollower<Ev>();
    assert.equal(sut.seq, null);
    assert.equal(sut.startJoin(), null, 'the first join goes without since');
    for (const seq of [9, 10, 11]) assert.deepEqual(sut.receive(ev(seq)), { apply: [], dropped: 0, rejoin: false });
    const step = sut.answered({ seq: 10, missed: [] });
    assert.deepEqual(seqs(step.apply), [11], 'what the answer already counts is dropped, what follows is applied');
    assert.equal(step.dropped, 2);
    assert.equal(sut.seq, 11);
  });

  it('treats a given since as applied: the first join asks for what came after it', () => {
    const sut = new SeqFollower<Ev>(20);
    assert.equal(sut.seq, 20);
    assert.equal(sut.startJoin(), 20);
    const step = sut.answered({ seq: 22, missed: [ev(21), ev(22)] });
    assert.deepEqual(seqs(step.apply), [21, 22]);
  });

  it('on resync goes on from the answered seq, dropping what it held up to there and keeping what follows', () => {
    const sut = following(3);
    sut.receive(ev(5));
    sut.startJoin();
    sut.receive(ev(900));
    sut.receive(ev(1001));
    const step = sut.answered({ seq: 1000, resync: true });
    assert.equal(step.resync, true);
    assert.equal(step.skipped, 997, 'from 4 to 1000, nothing was handed over');
    assert.equal(step.dropped, 2);
    assert.deepEqual(seqs(step.apply), [1001]);
    assert.equal(sut.seq, 1001);
    assert.equal(step.rejoin, false);
  });

  it('on resync goes on from the answered seq even when it is below the last applied one', () => {
    const sut = new SeqFollower<Ev>(40);
    sut.startJoin();
    const step = sut.answered({ seq: 12, resync: true });
    assert.deepEqual(step, { apply: [], dropped: 0, rejoin: false, resync: true, skipped: 0 });
    assert.equal(sut.seq, 12);
    assert.deepEqual(seqs(sut.receive(ev(13)).apply), [13], 'the next event is applied, not dropped as old');
  });

  it('keeps holding after a refused join until one answers, and stops holding when the join is given up', () => {
    const sut = following(3);
    sut.startJoin();
    sut.receive(ev(4));
    assert.equal(sut.joining, true, 'a refused join is retried later: events stay held meanwhile');
    assert.equal(sut.holding, 1);
    sut.stopJoin();
    assert.equal(sut.joining, false);
    assert.deepEqual(seqs(sut.receive(ev(5)).apply), [], '5 after a held 4: 4 has not been applied');
    assert.equal(sut.holding, 2);
  });

  it('drops a second copy of an event held during a join', () => {
    const sut = following(3);
    sut.startJoin();
    sut.receive(ev(4));
    assert.deepEqual(sut.receive(ev(4)), { apply: [], dropped: 1, rejoin: false });
    assert.deepEqual(sut.receive(ev(2)), { apply: [], dropped: 1, rejoin: false });
  });

  it(`holds at most ${MAX_HELD_EVENTS} live events, then starts over: the join hands them over`, () => {
    const sut = following(0);
    sut.startJoin();
    for (let seq = 1; seq <= MAX_HELD_EVENTS; seq++) sut.receive(ev(seq));
    assert.equal(sut.holding, MAX_HELD_EVENTS);
    sut.receive(ev(MAX_HELD_EVENTS + 1));
    assert.equal(sut.holding, 1, 'the held ones are dropped, the new one kept');
    const missed = Array.from({ length: MAX_HELD_EVENTS }, (_, i) => ev(i + 1));
    const step = sut.answered({ seq: MAX_HELD_EVENTS, missed });
    assert.deepEqual(
      seqs(step.apply),
      Array.from({ length: MAX_HELD_EVENTS + 1 }, (_, i) => i + 1),
      'every number once, in order',
    );
  });

  it('does not cap what a catch-up hands over', () => {
    const sut = following(0);
    const missed = Array.from({ length: MAX_HELD_EVENTS + 10 }, (_, i) => ev(i + 1));
    sut.startJoin();
    const step = sut.answered({ seq: missed.length, missed });
    assert.equal(step.apply.length, missed.length);
    assert.equal(step.skipped, 0);
  });
});
