import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { type ArticleFixture, type CommentFixture, Fixtures, flattenThread } from '../../test/helpers/fixtures.js';
import { ANONYMOUS, type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { THREAD_SORTS, type ThreadSort } from '../common/limits.js';
import { CommentsService } from './comments.service.js';
import { type CommentNodeDto } from './dto/comment.dto.js';

const ids = (nodes: readonly CommentNodeDto[]) => nodes.map((n) => n.id);

/** Thread reads: CommentsService with its real repositories on PostgreSQL, no HTTP. */
describe('thread reads (service and repositories on the real database)', () => {
  let context: MediumContext;
  let fx: Fixtures;
  let sut: CommentsService;

  before(async () => {
    context = await startMediumContext();
    fx = new Fixtures(context.app);
    sut = context.app.get(CommentsService);
  });

  after(() => context.close());

  /** Three top-level comments, an hour apart, with different votes. */
  async function threeVotedComments(): Promise<{
    article: ArticleFixture;
    oldest: CommentFixture;
    middle: CommentFixture;
    newest: CommentFixture;
  }> {
    const article = await fx.newArticle();
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
    const oldest = await fx.newComment({ article, createdAt: at(3), votes: { up: 5, down: 0 } });
    const middle = await fx.newComment({ article, createdAt: at(2), votes: { up: 1, down: 3 } });
    const newest = await fx.newComment({ article, createdAt: at(1), votes: { up: 2, down: 0 } });
    return { article, oldest, middle, newest };
  }

  it('orders top-level comments by date either way and by score', async () => {
    const { article, oldest, middle, newest } = await threeVotedComments();
    const read = async (sort: ThreadSort) => ids((await sut.thread(article.slug, { sort }, ANONYMOUS)).items);
    assert.deepEqual(await read('new'), [newest.id, middle.id, oldest.id]);
    assert.deepEqual(await read('old'), [oldest.id, middle.id, newest.id]);
    assert.deepEqual(await read('top'), [oldest.id, newest.id, middle.id]);
    assert.equal((await read('best'))[0], oldest.id, 'five up and none down is best');
    assert.equal((await read('controversial'))[0], middle.id, 'the only comment voted both ways leads');
  });

  it('pages through every top-level comment once in every sort, in the order of a single page', async () => {
    const article = await fx.newArticle();
    const votes = [
      { up: 2, down: 0 },
      { up: 0, down: 0 },
      { up: 2, down: 0 },
      { up: 1, down: 1 },
      { up: 0, down: 2 },
    ];
    // Equal timestamps and equal scores: the id must break ties the same way on every page.
    const createdAt = new Date(Date.now() - 60_000);
    for (const v of votes) await fx.newComment({ article, votes: v, createdAt });
    for (const sort of THREAD_SORTS) {
      const whole = ids((await sut.thread(article.slug, { sort, limit: 100 }, ANONYMOUS)).items);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await sut.thread(article.slug, { sort, limit: 2, cursor }, ANONYMOUS);
        assert.ok(page.items.length <= 2);
        assert.equal(page.total, 5);
        paged.push(...ids(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.equal(whole.length, 5, sort);
      assert.deepEqual(paged, whole, `${sort}: the pages give the single page's order`);
    }
  });

  it("refuses a cursor issued for another sort or another article's thread", async () => {
    const { article } = await threeVotedComments();
    const other = await threeVotedComments();
    const page = await sut.thread(article.slug, { sort: 'new', limit: 1 }, ANONYMOUS);
    assert.ok(page.nextCursor);
    const cursor = page.nextCursor;
    const isBadCursor = (error: unknown) => error instanceof DomainError && error.code === ErrorCode.BadCursor;
    await assert.rejects(sut.thread(article.slug, { sort: 'old', limit: 1, cursor }, ANONYMOUS), isBadCursor);
    await assert.rejects(sut.thread(other.article.slug, { sort: 'new', limit: 1, cursor }, ANONYMOUS), isBadCursor);
  });

  it('nests replies as deep as asked and counts the replies left out below', async () => {
    const article = await fx.newArticle();
    const root = await fx.newComment({ article });
    const first = await fx.newComment({ article, parent: root });
    const second = await fx.newComment({ article, parent: first });
    const third = await fx.newComment({ article, parent: second });
    const flat = await sut.thread(article.slug, { depth: 0 }, ANONYMOUS);
    assert.deepEqual(flat.items[0].replies, []);
    assert.equal(flat.items[0].moreReplies, 1);
    const two = await sut.thread(article.slug, { depth: 2 }, ANONYMOUS);
    assert.deepEqual(ids(flattenThread(two.items)), [root.id, first.id, second.id]);
    assert.equal(two.items[0].replies[0].replies[0].moreReplies, 1, 'the reply below the second level is counted');
    const all = await sut.thread(article.slug, { depth: 3 }, ANONYMOUS);
    assert.deepEqual(ids(flattenThread(all.items)), [root.id, first.id, second.id, third.id]);
    assert.deepEqual(
      flattenThread(all.items).map((n) => n.depth),
      [0, 1, 2, 3],
    );
    assert.equal(all.total, 4);
  });

  it('gives the first replies of a comment, and the rest from its replies cursor', async () => {
    const article = await fx.newArticle();
    const root = await fx.newComment({ article });
    const replies: CommentFixture[] = [];
    for (let i = 0; i < 3; i++) {
      replies.push(await fx.newComment({ article, parent: root, createdAt: new Date(Date.now() - (10 - i) * 60_000) }));
    }
    const page = await sut.thread(article.slug, { sort: 'old', replyLimit: 2 }, ANONYMOUS);
    const [node] = page.items;
    assert.deepEqual(ids(node.replies), [replies[0].id, replies[1].id]);
    assert.equal(node.moreReplies, 1);
    assert.ok(node.repliesCursor);
    const rest = await sut.replies(root.id, { sort: 'old', cursor: node.repliesCursor }, ANONYMOUS);
    assert.deepEqual(ids(rest.items), [replies[2].id]);
    assert.equal(rest.nextCursor, null);
  });

  it('shows a never-published comment to its author and to moderators only, and counts it for them only', async () => {
    const article = await fx.newArticle();
    const author = await fx.newUser();
    await fx.newComment({ article });
    const held = await fx.newComment({ article, authorId: author.id, status: 'pending' });
    const reader: Viewer = { userId: (await fx.newUser()).id, role: 'reader', ban: null };
    const moderator: Viewer = { userId: (await fx.newUser()).id, role: 'moderator', ban: null };
    const asAuthor: Viewer = { userId: author.id, role: 'reader', ban: null };
    for (const [who, viewer, sees] of [
      ['anonymous', ANONYMOUS, false],
      ['another reader', reader, false],
      ['its author', asAuthor, true],
      ['a moderator', moderator, true],
    ] as const) {
      const page = await sut.thread(article.slug, {}, viewer);
      assert.equal(ids(page.items).includes(held.id), sees, who);
      assert.equal(page.total, sees ? 2 : 1, who);
    }
    const isNotFound = (error: unknown) => error instanceof DomainError && error.code === ErrorCode.CommentNotFound;
    await assert.rejects(sut.permalink(held.id, {}, reader), isNotFound);
    assert.equal((await sut.permalink(held.id, {}, asAuthor)).comment.id, held.id);
  });
});
