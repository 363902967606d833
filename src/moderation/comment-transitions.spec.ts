import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transition } from './comment-transitions.js';

describe('transition', () => {
  it('approves a pending comment into view', () => {
    assert.deepEqual(transition('approve', 'pending'), { to: 'visible', log: 'comment.approve' });
  });

  it('approves a reported visible comment without changing it', () => {
    assert.deepEqual(transition('approve', 'visible'), { to: 'visible', log: 'comment.approve' });
  });

  it('removes a pending or a visible comment', () => {
    assert.deepEqual(transition('remove', 'pending'), { to: 'removed', log: 'comment.remove' });
    assert.deepEqual(transition('remove', 'visible'), { to: 'removed', log: 'comment.remove' });
  });

  it('restores only a removed comment', () => {
    assert.deepEqual(transition('restore', 'removed'), { to: 'visible', log: 'comment.restore' });
    assert.deepEqual(transition('restore', 'visible'), { refused: 'A visible comment cannot be restored.' });
    assert.deepEqual(transition('restore', 'pending'), { refused: 'A pending comment cannot be restored.' });
  });

  it('leaves a deleted comment to its author', () => {
    for (const action of ['approve', 'remove', 'restore'] as const) {
      assert.ok('refused' in transition(action, 'deleted'));
    }
  });

  it('does not approve or remove a removed comment again', () => {
    assert.deepEqual(transition('approve', 'removed'), { refused: 'A removed comment cannot be approved.' });
    assert.deepEqual(transition('remove', 'removed'), { refused: 'A removed comment cannot be removed.' });
  });
});
