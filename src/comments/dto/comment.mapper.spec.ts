import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, type Viewer } from '../../auth/viewer.js';
import { type CommentStatus } from '../comment.entity.js';
import { type CommentRow, type QuoteRow } from '../comments.repository.js';
import { toCommentDto } from './comment.mapper.js';

const AUTHOR: Viewer = { userId: '7', role: 'reader', ban: null };
const OTHER: Viewer = { userId: '8', role: 'reader', ban: null };
const MODERATOR: Viewer = { userId: '9', role: 'moderator', ban: null };

function row(status: CommentStatus, published = status !== 'pending'): CommentRow {
  return {
    id: '42',
    articleId: '1',
    parentId: null,
    path: ['42'],
    depth: 0,
    authorId: '7',
    authorUsername: 'writer',
    authorDisplayName: 'Writer',
    authorRole: 'reader',
    body: 'held words',
    html: '<p>held words</p>',
    status,
    published,
    stance: 'agree',
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    editedAt: new Date('2026-01-02T00:00:00.000Z'),
    featuredAt: null,
    upvotes: 3,
    downvotes: 1,
    score: 2,
    bestScore: 0.5,
    controversy: 0.1,
    replyCount: 4,
  };
}

const QUOTE: QuoteRow = {
  commentId: '42',
  ordinal: 0,
  source: 'article',
  blockId: 'b1',
  quotedCommentId: null,
  text: 'x',
  verified: true,
};

describe('toCommentDto', () => {
  it('shows a never-published comment to a reader who may not see it as a bare removed placeholder', () => {
    for (const viewer of [ANONYMOUS, OTHER]) {
      for (const status of ['pending', 'removed'] as const) {
        const sut = toCommentDto(row(status, false), [QUOTE], viewer, 1);
        assert.equal(sut.status, 'removed');
        assert.deepEqual([sut.body, sut.score, sut.myVote, sut.replyCount], [null, 0, 0, 0]);
      }
      const sut = toCommentDto(row('pending'), [QUOTE], viewer, 1);
      assert.equal(sut.status, 'removed');
      assert.deepEqual(
        [sut.author, sut.body, sut.html, sut.stance, sut.quote, sut.quotes, sut.editedAt],
        [null, null, null, null, null, [], null],
      );
      assert.deepEqual([sut.score, sut.upvotes, sut.downvotes, sut.myVote, sut.replyCount], [0, 0, 0, 0, 0]);
    }
  });

  it('shows a pending comment as it is to its author and to moderators', () => {
    for (const viewer of [AUTHOR, MODERATOR]) {
      const sut = toCommentDto(row('pending'), [QUOTE], viewer, 0);
      assert.equal(sut.status, 'pending');
      assert.equal(sut.body, 'held words');
      assert.equal(sut.replyCount, 4);
    }
  });

  it('shows readers one placeholder for every hidden body: only where it stands and its replies', () => {
    const cases: [CommentStatus, Viewer, string][] = [
      ['pending', OTHER, 'removed'],
      ['pending', ANONYMOUS, 'removed'],
      ['removed', ANONYMOUS, 'removed'],
      ['removed', AUTHOR, 'removed'],
      ['deleted', MODERATOR, 'deleted'],
    ];
    for (const [status, viewer, shown] of cases) {
      const sut = toCommentDto(row(status, true), [QUOTE], viewer, 1);
      assert.equal(sut.status, shown, `${status} as seen by ${viewer.role}`);
      assert.deepEqual(
        [sut.author, sut.body, sut.html, sut.stance, sut.quote, sut.quotes, sut.editedAt],
        [null, null, null, null, null, [], null],
      );
      assert.deepEqual([sut.score, sut.upvotes, sut.downvotes, sut.myVote, sut.replyCount], [0, 0, 0, 0, 4]);
    }
  });

  it('keeps the counts of a visible comment for everyone', () => {
    const sut = toCommentDto(row('visible'), [], ANONYMOUS, 0);
    assert.deepEqual([sut.status, sut.body, sut.score, sut.replyCount], ['visible', 'held words', 2, 4]);
  });

  it('tells a removal’s reason to the comment’s author and moderators only, and only while it stays removed', () => {
    const shown = (status: CommentStatus, viewer: Viewer) =>
      toCommentDto(row(status, true), [], viewer, 0, false, 'off topic').removalReason;
    assert.equal(shown('removed', AUTHOR), 'off topic', 'its author, on the placeholder');
    assert.equal(shown('removed', MODERATOR), 'off topic', 'moderators, beside the body');
    assert.equal(shown('removed', OTHER), null);
    assert.equal(shown('removed', ANONYMOUS), null);
    for (const status of ['visible', 'pending', 'deleted'] as const) {
      assert.equal(shown(status, AUTHOR), null, status);
      assert.equal(shown(status, MODERATOR), null, status);
    }
  });
});
