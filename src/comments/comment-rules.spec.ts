import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDeltas, quoteStandsInComment, slowModeWaitSeconds } from './comment-rules.js';

describe('counterDeltas', () => {
  it('counts a new visible comment once as visible and once as a reply', () => {
    assert.deepEqual(counterDeltas(null, 'visible', false), { visible: 1, replies: 1 });
  });

  it('moves nothing for a new comment held for review', () => {
    assert.deepEqual(counterDeltas(null, 'pending', false), { visible: 0, replies: 0 });
  });

  it('counts a held comment when a moderator approves it', () => {
    assert.deepEqual(counterDeltas('pending', 'visible', false), { visible: 1, replies: 1 });
  });

  it('keeps counting a removed reply as a placeholder, but no longer as visible', () => {
    assert.deepEqual(counterDeltas('visible', 'removed', true), { visible: -1, replies: 0 });
  });

  it('counts a restored comment as visible again, not as a second reply', () => {
    assert.deepEqual(counterDeltas('removed', 'visible', true), { visible: 1, replies: 0 });
  });

  it('counts an edit sent back to review out of the visible count only', () => {
    assert.deepEqual(counterDeltas('visible', 'pending', true), { visible: -1, replies: 0 });
  });

  it('moves nothing when a comment readers never saw is removed or deleted', () => {
    assert.deepEqual(counterDeltas('pending', 'removed', false), { visible: 0, replies: 0 });
    assert.deepEqual(counterDeltas('pending', 'deleted', false), { visible: 0, replies: 0 });
  });

  it('counts a removed comment readers never saw as a reply when it is restored into view', () => {
    assert.deepEqual(counterDeltas('removed', 'visible', false), { visible: 1, replies: 1 });
  });

  it('takes a deleted visible comment out of the visible count and keeps its placeholder as a reply', () => {
    assert.deepEqual(counterDeltas('visible', 'deleted', true), { visible: -1, replies: 0 });
  });
});

describe('slowModeWaitSeconds', () => {
  const at = new Date('2026-12-02T10:00:00.000Z');

  it('lets a reader who never posted here post at once', () => {
    assert.equal(slowModeWaitSeconds(null, 30, at.getTime()), 0);
  });

  it('says how many whole seconds are left, rounded up', () => {
    assert.equal(slowModeWaitSeconds(at, 30, at.getTime() + 12_500), 18);
    assert.equal(slowModeWaitSeconds(at, 30, at.getTime() + 29_001), 1);
  });

  it('lets the reader post once the interval has passed', () => {
    assert.equal(slowModeWaitSeconds(at, 30, at.getTime() + 30_000), 0);
    assert.equal(slowModeWaitSeconds(at, 30, at.getTime() + 90_000), 0);
  });

  it('never waits when slow mode is off', () => {
    assert.equal(slowModeWaitSeconds(at, 0, at.getTime()), 0);
  });
});

describe('quoteStandsInComment', () => {
  const visible = { status: 'visible' as const, html: '<p>The <em>quick</em> brown\nfox</p>' };

  it('stands when the words are in the rendered text, white space folded', () => {
    assert.equal(quoteStandsInComment('quick   brown fox', visible), true);
  });

  it('falls when the comment was edited away from the words', () => {
    assert.equal(quoteStandsInComment('lazy dog', visible), false);
  });

  it('falls while readers cannot read the comment, whatever its text', () => {
    for (const status of ['pending', 'removed', 'deleted'] as const) {
      assert.equal(quoteStandsInComment('quick brown fox', { ...visible, status }), false);
    }
  });
});
