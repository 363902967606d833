import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Article, Comment, CommentNode, Notification } from './api.js';
import type { LiveEvent } from './live-event.js';
import {
  addReply,
  appendReplies,
  applyDecision,
  applyLiveEvent,
  applyToArticle,
  markGone,
  RecentEvents,
  toNode,
  totalChange,
  type TotalViewer,
  touchesFeatured,
} from './thread-state.js';

const author = { id: 'u1', username: 'ada', displayName: 'Ada', role: 'reader' as const };

function comment(id: string, fields: Partial<Comment> = {}): Comment {
  return {
    id,
    articleId: 'a1',
    parentId: null,
    depth: 0,
    author,
    body: `Body of ${id}`,
    html: `<p>Body of ${id}</p>`,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    status: 'visible',
    stance: null,
    quote: null,
    quotes: [],
    score: 0,
    upvotes: 0,
    downvotes: 0,
    myVote: 0,
    following: false,
    removalReason: null,
    featured: false,
    replyCount: 0,
    ...fields,
  };
}

function node(id: string, fields: Partial<CommentNode> = {}): CommentNode {
  return { ...toNode(comment(id)), moreReplies: 0, ...fields };
}

const envelope = (seq: number) => ({ seq, articleId: 'a1', at: '2026-01-01T00:00:00.000Z' });
const created = (seq: number, c: Comment): LiveEvent => ({
  ...envelope(seq),
  type: 'comment.created',
  comment: c,
  previousStatus: null,
});

/** A thread of one top-level comment `t` with one loaded reply `r`. */
function thread(): CommentNode[] {
  return [node('t', { replyCount: 1, replies: [node('r', { parentId: 't', depth: 1 })] })];
}

const find = (nodes: CommentNode[], id: string): CommentNode | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = find(n.replies, id);
    if (inner) return inner;
  }
  return undefined;
};

describe('thread state: live events on a loaded tree', () => {
  it('puts a created reply under its loaded parent and counts it', () => {
    const reply = comment('r2', { parentId: 't', depth: 1 });
    const sut = applyLiveEvent(thread(), created(5, reply), false);
    const parent = find(sut, 't') as CommentNode;
    assert.deepEqual(
      parent.replies.map((r) => r.id),
      ['r', 'r2'],
    );
    assert.equal(parent.replyCount, 2);
    assert.equal(find(sut, 'r2')?.moreReplies, 0);
  });

  it('adds a created reply once: the same event again only refreshes it', () => {
    const reply = comment('r2', { parentId: 't', depth: 1 });
    const once = applyLiveEvent(thread(), created(5, reply), false);
    const sut = applyLiveEvent(once, created(5, reply), false);
    assert.equal(find(sut, 't')?.replies.length, 2);
    assert.equal(find(sut, 't')?.replyCount, 2);
  });

  it('leaves the tree as it is for a reply whose parent is not loaded, and for a new top-level comment', () => {
    const tree = thread();
    assert.equal(applyLiveEvent(tree, created(5, comment('x', { parentId: 'elsewhere', depth: 1 })), false), tree);
    assert.equal(applyLiveEvent(tree, created(6, comment('top')), false), tree, 'top-level ones wait behind a button');
  });

  it('does not count a pending reply in its parent’s replies', () => {
    const sut = addReply(thread(), comment('p', { parentId: 't', depth: 1, status: 'pending' }));
    assert.equal(find(sut, 't')?.replyCount, 1);
    assert.equal(find(sut, 't')?.replies.length, 2);
  });

  it('replaces an updated comment’s content and keeps its loaded replies', () => {
    const edited = comment('t', { body: 'New words', html: '<p>New words</p>', editedAt: '2026-01-02T00:00:00.000Z' });
    const sut = applyLiveEvent(thread(), { ...envelope(5), type: 'comment.updated', comment: edited }, false);
    const top = find(sut, 't') as CommentNode;
    assert.equal(top.body, 'New words');
    assert.equal(top.editedAt, '2026-01-02T00:00:00.000Z');
    assert.deepEqual(
      top.replies.map((r) => r.id),
      ['r'],
    );
  });

  it('turns a deleted comment into a placeholder that keeps its place and replies', () => {
    const sut = applyLiveEvent(thread(), { ...envelope(5), type: 'comment.deleted', commentId: 't' }, true);
    const top = find(sut, 't') as CommentNode;
    assert.equal(top.status, 'deleted');
    assert.equal(top.body, null);
    assert.equal(top.html, null);
    assert.equal(top.author, null);
    assert.equal(top.replies.length, 1);
  });

  it('hides a removed comment’s body from readers and keeps it for moderators', () => {
    const event: LiveEvent = { ...envelope(5), type: 'comment.removed', commentId: 'r' };
    const forReader = find(applyLiveEvent(thread(), event, false), 'r') as CommentNode;
    assert.equal(forReader.status, 'removed');
    assert.equal(forReader.body, null);
    assert.equal(forReader.author, null);
    const forModerator = find(applyLiveEvent(thread(), event, true), 'r') as CommentNode;
    assert.equal(forModerator.status, 'removed');
    assert.equal(forModerator.body, 'Body of r');
  });

  it('brings a restored comment back with its content', () => {
    const removed = markGone(thread(), 'r', 'removed', false);
    const restored = comment('r', { parentId: 't', depth: 1 });
    const sut = applyLiveEvent(
      removed,
      { ...envelope(6), type: 'comment.restored', comment: restored, previousStatus: 'removed' },
      false,
    );
    const r = find(sut, 'r') as CommentNode;
    assert.equal(r.status, 'visible');
    assert.equal(r.body, 'Body of r');
    assert.deepEqual(r.author, author);
  });

  it('sets the vote counters of a voted comment and keeps the reader’s own vote', () => {
    const tree = [node('t', { myVote: 1, score: 1, upvotes: 1 })];
    const sut = applyLiveEvent(
      tree,
      { ...envelope(5), type: 'comment.voted', commentId: 't', score: 3, upvotes: 4, downvotes: 1 },
      false,
    );
    const t = find(sut, 't') as CommentNode;
    assert.deepEqual([t.score, t.upvotes, t.downvotes, t.myVote], [3, 4, 1, 1]);
  });

  it('marks a comment featured, and takes the mark off, in place', () => {
    const featured = applyLiveEvent(
      thread(),
      { ...envelope(5), type: 'comment.featured', commentId: 't', featured: true },
      false,
    );
    assert.equal(find(featured, 't')?.featured, true);
    assert.equal(find(featured, 'r')?.featured, false, 'only the comment named');
    const plain = applyLiveEvent(
      featured,
      { ...envelope(6), type: 'comment.featured', commentId: 't', featured: false },
      false,
    );
    assert.equal(find(plain, 't')?.featured, false);
  });

  it('returns the same tree for an event about a comment it does not hold', () => {
    const tree = thread();
    const sut = applyLiveEvent(tree, { ...envelope(5), type: 'comment.deleted', commentId: 'absent' }, false);
    assert.equal(sut, tree);
  });

  it('appends more loaded replies without the ones already shown', () => {
    const sut = appendReplies(thread(), 't', [node('r', { parentId: 't' }), node('r3', { parentId: 't' })], 4);
    const t = find(sut, 't') as CommentNode;
    assert.deepEqual(
      t.replies.map((r) => r.id),
      ['r', 'r3'],
    );
    assert.equal(t.moreReplies, 4);
  });
});

describe('thread state: the essay and recent events', () => {
  const noStances = { agree: 0, disagree: 0, question: 0, evidence: 0 };
  const article = {
    id: 'a1',
    slug: 'essay',
    title: 'Essay',
    following: false,
    author: 'A. Writer',
    publishedAt: null,
    revision: 1,
    updatedAt: '2024-01-19T00:00:00.000Z',
    canonicalUrl: null,
    stances: { agree: 0, disagree: 0, question: 0, evidence: 0 },
    excerpt: '',
    tags: [],
    commentCount: 0,
    lastCommentAt: null,
    source: null,
    seq: 0,
    settings: { locked: false, premoderation: false, slowModeSeconds: 0 },
    blocks: [
      {
        id: 'b1',
        kind: 'paragraph',
        text: 'One',
        html: '<p>One</p>',
        commentCount: 0,
        stances: noStances,
        highlights: [],
      },
      {
        id: 'b2',
        kind: 'paragraph',
        text: 'Two',
        html: '<p>Two</p>',
        commentCount: 2,
        stances: noStances,
        highlights: [{ start: 0, end: 3, count: 2 }],
      },
    ],
  } as Article;

  it('raises the margin count of each passage a new comment quotes, once per passage', () => {
    const quoting = comment('q', {
      quotes: [
        { source: 'article', blockId: 'b2', text: 'Two', verified: true },
        { source: 'article', blockId: 'b2', text: 'Tw', verified: true },
      ],
    });
    const sut = applyToArticle(article, created(5, quoting));
    assert.deepEqual(
      sut.blocks.map((b) => b.commentCount),
      [0, 3],
    );
  });

  it('raises the stance tallies a new comment takes: the essay’s when top-level, each quoted passage’s', () => {
    const quote = { source: 'article' as const, blockId: 'b1', text: 'One', verified: true };
    const topLevel = applyToArticle(article, created(5, comment('s', { stance: 'question', quotes: [quote] })));
    assert.deepEqual(topLevel.stances, { ...noStances, question: 1 });
    assert.deepEqual(topLevel.blocks[0].stances, { ...noStances, question: 1 });
    assert.deepEqual(topLevel.blocks[1].stances, noStances);

    const reply = applyToArticle(topLevel, created(6, comment('r', { parentId: 's', depth: 1, stance: 'disagree' })));
    assert.deepEqual(reply.stances, topLevel.stances, 'a reply’s stance is towards its parent, not the essay');

    const without = applyToArticle(reply, created(7, comment('n', { quotes: [quote] })));
    assert.deepEqual(without.blocks[0].stances, { ...noStances, question: 1 });
    assert.equal(without.blocks[0].commentCount, 2);
  });

  it('marks the words a new comment quotes: a passage already marked counts one more, a new one is added in order', () => {
    const quoting = comment('q', {
      quotes: [
        { source: 'article', blockId: 'b2', text: 'Two', verified: true, start: 0, end: 3 },
        { source: 'article', blockId: 'b1', text: 'ne', verified: true, start: 1, end: 3 },
        { source: 'article', blockId: 'b1', text: 'One', verified: false, start: null, end: null, anchor: 'orphaned' },
      ],
    });
    const sut = applyToArticle(article, created(5, quoting));
    assert.deepEqual(sut.blocks[1].highlights, [{ start: 0, end: 3, count: 3 }]);
    assert.deepEqual(sut.blocks[0].highlights, [{ start: 1, end: 3, count: 1 }]);
    const again = applyToArticle(
      sut,
      created(
        6,
        comment('p', { quotes: [{ source: 'article', blockId: 'b1', text: 'O', verified: true, start: 0, end: 1 }] }),
      ),
    );
    assert.deepEqual(again.blocks[0].highlights, [
      { start: 0, end: 1, count: 1 },
      { start: 1, end: 3, count: 1 },
    ]);
  });

  it('changes the settings in place on article.updated', () => {
    const settings = { locked: true, premoderation: true, slowModeSeconds: 30 };
    const sut = applyToArticle(article, { ...envelope(5), type: 'article.updated', settings });
    assert.deepEqual(sut.settings, settings);
  });

  it('keeps the latest events and hands over those after a seq', () => {
    const sut = new RecentEvents(3);
    for (let seq = 1; seq <= 5; seq++) sut.add(created(seq, comment(`c${seq}`)));
    assert.deepEqual(
      sut.after(3).map((e) => e.seq),
      [4, 5],
    );
    assert.deepEqual(
      sut.after(0).map((e) => e.seq),
      [3, 4, 5],
      'only the last three are kept',
    );
  });
});

describe('the viewer’s own facts and the moderators’ decisions', () => {
  const decision = (kind: Notification['kind'], c: Comment | null, reason: string | null = null): Notification => ({
    id: 'n1',
    kind,
    createdAt: '2026-01-01T00:00:00.000Z',
    readAt: null,
    actor: null,
    article: { id: 'a1', slug: 'essay', title: 'Essay' },
    comment: c,
    reason,
  });

  it('keeps the reader’s follow and vote when a live event (the same for every reader) brings the comment again', () => {
    for (const type of ['comment.updated', 'comment.restored', 'comment.created'] as const) {
      const tree = [node('t', { following: true, myVote: 1, score: 1, upvotes: 1 })];
      const brought = comment('t', { body: 'New', score: 1, upvotes: 1 });
      const again: LiveEvent =
        type === 'comment.updated'
          ? { ...envelope(2), type, comment: brought }
          : type === 'comment.restored'
            ? { ...envelope(2), type, comment: brought, previousStatus: 'removed' }
            : { ...envelope(2), type, comment: brought, previousStatus: null };
      const sut = applyLiveEvent(tree, again, false);
      assert.equal(sut[0].following, true, type);
      assert.equal(sut[0].myVote, 1, `and the reader’s vote (${type})`);
      assert.equal(sut[0].body, 'New', type);
    }
  });

  it('turns the author’s pending comment into the approved one, keeping its place and replies', () => {
    const tree = [node('p', { status: 'pending', replies: [node('r', { parentId: 'p', depth: 1 })] })];
    const sut = applyDecision(tree, decision('approved', comment('p', { body: 'Now public' }), 'fine'));
    assert.equal(sut[0].status, 'visible');
    assert.equal(sut[0].body, 'Now public');
    assert.deepEqual(
      sut[0].replies.map((r) => r.id),
      ['r'],
    );
  });

  it('turns a removed comment into its placeholder, and leaves the tree alone for other kinds', () => {
    const tree = [node('p', { status: 'pending' })];
    const removed = comment('p', { status: 'removed', body: null, html: null, author: null });
    const sut = applyDecision(tree, decision('removed', removed, 'Off topic'));
    assert.equal(sut[0].status, 'removed');
    assert.equal(sut[0].html, null);
    assert.equal(applyDecision(tree, decision('reply', comment('p'))), tree);
    assert.equal(applyDecision(tree, decision('approved', null)), tree);
  });
});

describe('touchesFeatured', () => {
  const shown = new Set(['f']);

  it('reads the featured list again for a featuring, a comment coming back featured, or a change to one on it', () => {
    assert.equal(
      touchesFeatured({ ...envelope(5), type: 'comment.featured', commentId: 'x', featured: false }, shown),
      true,
    );
    assert.equal(
      touchesFeatured(
        {
          ...envelope(5),
          type: 'comment.restored',
          comment: comment('x', { featured: true }),
          previousStatus: 'removed',
        },
        shown,
      ),
      true,
    );
    assert.equal(touchesFeatured({ ...envelope(5), type: 'comment.updated', comment: comment('f') }, shown), true);
    assert.equal(touchesFeatured({ ...envelope(5), type: 'comment.removed', commentId: 'f' }, shown), true);
    assert.equal(touchesFeatured({ ...envelope(5), type: 'comment.deleted', commentId: 'f' }, shown), true);
  });

  it('leaves it alone for everything else: a busy thread does not make every page read it at each edit', () => {
    assert.equal(touchesFeatured({ ...envelope(5), type: 'comment.updated', comment: comment('x') }, shown), false);
    assert.equal(touchesFeatured({ ...envelope(5), type: 'comment.removed', commentId: 'x' }, shown), false);
    assert.equal(
      touchesFeatured(
        { ...envelope(5), type: 'comment.restored', comment: comment('x'), previousStatus: 'removed' },
        shown,
      ),
      false,
    );
    assert.equal(
      touchesFeatured({ ...envelope(5), type: 'comment.created', comment: comment('x'), previousStatus: null }, shown),
      false,
    );
    assert.equal(
      touchesFeatured(
        { ...envelope(5), type: 'comment.voted', commentId: 'f', score: 1, upvotes: 1, downvotes: 0 },
        shown,
      ),
      false,
    );
  });
});

describe('totalChange', () => {
  const reader: TotalViewer = { moderator: false, userId: 'u9', countsHeld: () => false };
  const ada: TotalViewer = { moderator: false, userId: author.id, countsHeld: () => false };
  const moderator: TotalViewer = { moderator: true, userId: 'm1', countsHeld: () => false };
  const viewers = [reader, ada, moderator];
  const changes = (event: LiveEvent) => viewers.map((viewer) => totalChange(event, viewer));
  const of = (previousStatus: 'pending' | 'removed' | null): LiveEvent => ({
    ...envelope(2),
    type: 'comment.created',
    comment: comment('c'),
    previousStatus,
  });

  it('counts a comment as each viewer’s total does: readers the visible ones, authors their held ones, moderators all', () => {
    assert.deepEqual(changes(of(null)), [1, 1, 1], 'posted');
    assert.deepEqual(changes(of('pending')), [1, 0, 0], 'approved: its author and moderators counted it while held');
    assert.deepEqual(changes(of('removed')), [1, 1, 0], 'restored, never seen: only moderators counted it removed');
    const restored = (previousStatus: 'pending' | 'removed'): LiveEvent => ({
      ...envelope(2),
      type: 'comment.restored',
      comment: comment('c'),
      previousStatus,
    });
    assert.deepEqual(changes(restored('removed')), [1, 1, 0]);
    assert.deepEqual(changes(restored('pending')), [1, 0, 0], 'back from review');
    assert.deepEqual(changes({ ...envelope(2), type: 'comment.removed', commentId: 'c' }), [-1, -1, 0]);
    assert.deepEqual(changes({ ...envelope(2), type: 'comment.deleted', commentId: 'c' }), [-1, -1, -1]);
    const vote: LiveEvent = {
      ...envelope(2),
      type: 'comment.voted',
      commentId: 'c',
      score: 1,
      upvotes: 1,
      downvotes: 0,
    };
    assert.deepEqual(changes(vote), [0, 0, 0]);
  });

  it('keeps counting the author’s comment that their own edit sent back to review', () => {
    const held: TotalViewer = { ...ada, countsHeld: (id) => id === 'c' };
    assert.equal(totalChange({ ...envelope(2), type: 'comment.removed', commentId: 'c' }, held), 0);
  });
});
