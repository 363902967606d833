import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ArticleFixture, type CommentFixture, Fixtures } from './helpers/fixtures.js';
import { countQueries } from './helpers/query-counter.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Node {
  id: string;
  depth: number;
  parentId: string | null;
  body: string | null;
  html: string | null;
  author: { username: string } | null;
  status: string;
  score: number;
  upvotes: number;
  downvotes: number;
  replyCount: number;
  moreReplies: number;
  replies: Node[];
  quote: { source: string; blockId: string; text: string; verified: boolean } | null;
  createdAt: string;
}

interface ThreadPage {
  items: Node[];
  nextCursor: string | null;
  total: number;
}

describe('reading a thread', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  const byVotes: Record<string, CommentFixture> = {};

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    // Five top-level comments with distinct vote profiles, one minute apart.
    const profiles: [string, number, number][] = [
      ['loved', 40, 2],
      ['split', 30, 28],
      ['fresh', 0, 0],
      ['disliked', 1, 12],
      ['small', 3, 0],
    ];
    for (const [i, [name, up, down]] of profiles.entries()) {
      byVotes[name] = await fx.newComment({
        article,
        body: name,
        votes: { up, down },
        createdAt: new Date(base + i * 60_000),
      });
    }
  });

  after(() => t.close());

  async function thread(query: string): Promise<ThreadPage> {
    const res = await t.http.get(`/api/articles/${article.slug}/comments?${query}`).expect(200);
    return res.body as ThreadPage;
  }

  it('orders top-level comments by each sort', async () => {
    const bodies = async (sort: string) =>
      (await thread(`${sort ? `sort=${sort}&` : ''}depth=0`)).items.map((c) => c.body);
    assert.deepEqual(await bodies('new'), ['small', 'disliked', 'fresh', 'split', 'loved']);
    assert.deepEqual(await bodies('old'), ['loved', 'split', 'fresh', 'disliked', 'small']);
    assert.deepEqual(await bodies('top'), ['loved', 'small', 'split', 'fresh', 'disliked']);
    // Wilson lower bound: 40 of 42 is surely good; 3 of 3 is good but less sure; 30 of 58 is a coin toss.
    assert.deepEqual(await bodies('best'), ['loved', 'small', 'split', 'disliked', 'fresh']);
    // Balanced and numerous first; one-sided votes are not controversial at all.
    const controversial = await bodies('controversial');
    assert.equal(controversial[0], 'split');
    assert.equal(controversial[1], 'disliked');
    assert.deepEqual(await bodies('best'), await bodies(''), 'best is the default sort');
  });

  it('reports score and counters', async () => {
    const loved = (await thread('sort=top&depth=0')).items[0];
    assert.deepEqual([loved.score, loved.upvotes, loved.downvotes], [38, 40, 2]);
  });

  it('pages with a cursor, without skipping or repeating when comments arrive between pages', async () => {
    const first = await thread('sort=old&limit=2&depth=0');
    assert.deepEqual(
      first.items.map((c) => c.body),
      ['loved', 'split'],
    );
    assert.ok(first.nextCursor);
    await fx.newComment({ article, body: 'late arrival', createdAt: new Date('2026-02-01T00:00:00.000Z') });
    const second = await thread(`sort=old&limit=2&depth=0&cursor=${encodeURIComponent(first.nextCursor)}`);
    assert.deepEqual(
      second.items.map((c) => c.body),
      ['fresh', 'disliked'],
    );
    const third = await thread(`sort=old&limit=2&depth=0&cursor=${encodeURIComponent(second.nextCursor as string)}`);
    assert.deepEqual(
      third.items.map((c) => c.body),
      ['small', 'late arrival'],
    );
    assert.equal(third.nextCursor, null);
  });

  it('pages every sort through all top-level comments exactly once', async () => {
    for (const sort of ['best', 'top', 'new', 'old', 'controversial']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ThreadPage = await thread(
          `sort=${sort}&limit=2&depth=0${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, `${sort} repeats a comment`);
      const all = await thread(`sort=${sort}&limit=100&depth=0`);
      assert.deepEqual(
        seen,
        all.items.map((c) => c.id),
        `${sort} pages differ from one big page`,
      );
    }
  });

  it('refuses a cursor from another sort or one it did not issue', async () => {
    const page = await thread('sort=new&limit=1&depth=0');
    const wrongSort = await t.http.get(
      `/api/articles/${article.slug}/comments?sort=top&cursor=${encodeURIComponent(page.nextCursor as string)}`,
    );
    assert.equal(wrongSort.status, 400);
    assert.equal(wrongSort.body.error, 'bad_cursor');
    for (const bad of ['abc', 'eyJhIjoxfQ.AAAA', '%00', 'x'.repeat(600)]) {
      const res = await t.http.get(`/api/articles/${article.slug}/comments?cursor=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.statusCode, 400);
    }
  });

  it('refuses limits, depths and sorts out of bounds', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=1.5',
      'depth=11',
      'depth=-1',
      'sort=random',
      'unknown=1',
      'replyLimit=101',
    ]) {
      const res = await t.http.get(`/api/articles/${article.slug}/comments?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.statusCode, 400, query);
      assert.equal(typeof res.body.error, 'string');
      assert.ok(res.body.message, query);
    }
  });

  describe('nested replies', () => {
    let nested: ArticleFixture;
    const chain: CommentFixture[] = [];
    let root: CommentFixture;

    before(async () => {
      nested = await fx.newArticle();
      root = await fx.newComment({ article: nested, body: 'root' });
      // A chain twelve levels deep under root, and twelve direct replies to root.
      let parent = root;
      for (let i = 1; i <= 12; i++) {
        parent = await fx.newComment({ article: nested, parent, body: `chain ${i}` });
        chain.push(parent);
      }
      for (let i = 1; i <= 12; i++) {
        await fx.newComment({ article: nested, parent: root, body: `sibling ${i}`, votes: { up: i, down: 0 } });
      }
    });

    async function nestedThread(query: string): Promise<ThreadPage> {
      return (await t.http.get(`/api/articles/${nested.slug}/comments?${query}`).expect(200)).body as ThreadPage;
    }

    it('includes `depth` levels and counts what it leaves out', async () => {
      const page = await nestedThread('sort=top&depth=2&replyLimit=5');
      const top = page.items[0];
      assert.equal(top.body, 'root');
      assert.equal(top.replyCount, 13);
      assert.equal(top.replies.length, 5);
      assert.equal(top.moreReplies, 8);
      assert.deepEqual(
        top.replies.map((r) => r.body),
        ['sibling 12', 'sibling 11', 'sibling 10', 'sibling 9', 'sibling 8'],
      );
      for (const reply of top.replies) assert.equal(reply.depth, 1);
      const deep = await nestedThread('sort=old&depth=2&replyLimit=1');
      const first = deep.items[0].replies[0];
      assert.equal(first.body, 'chain 1');
      assert.equal(first.replies[0].body, 'chain 2');
      assert.deepEqual(first.replies[0].replies, [], 'no third level');
      assert.equal(first.replies[0].moreReplies, 1, 'chain 2 has one reply left out');
    });

    it('nests without a depth limit: the permalink of the deepest comment has all its ancestors', async () => {
      const deepest = chain.at(-1) as CommentFixture;
      const res = await t.http.get(`/api/comments/${deepest.id}`).expect(200);
      assert.equal(res.body.comment.depth, 12);
      assert.deepEqual(
        res.body.ancestors.map((a: Node) => a.body),
        ['root', ...chain.slice(0, -1).map((_, i) => `chain ${i + 1}`)],
      );
    });

    it('continues a thread from a permalink with sort, depth and limit', async () => {
      const res = await t.http.get(`/api/comments/${root.id}?sort=top&depth=1&limit=3`).expect(200);
      assert.deepEqual(res.body.ancestors, []);
      assert.deepEqual(
        res.body.comment.replies.map((r: Node) => r.body),
        ['sibling 12', 'sibling 11', 'sibling 10'],
      );
      assert.equal(res.body.comment.moreReplies, 10);
    });

    it('loads more replies page by page', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get(
            `/api/comments/${root.id}/replies?sort=old&limit=5&depth=0${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          )
          .expect(200);
        seen.push(...(res.body.items as Node[]).map((r) => r.body as string));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      assert.equal(seen.length, 13);
      assert.equal(seen[0], 'chain 1');
    });

    it('hands each node a cursor for the replies after the ones it includes', async () => {
      for (const sort of ['top', 'old', 'new', 'best', 'controversial']) {
        const page = await nestedThread(`sort=${sort}&depth=1&replyLimit=5`);
        const top = page.items[0] as Node & { repliesCursor: string | null };
        assert.equal(top.moreReplies, 8, sort);
        assert.equal(typeof top.repliesCursor, 'string', sort);
        const rest = await t.http
          .get(
            `/api/comments/${root.id}/replies?sort=${sort}&limit=100&depth=0&cursor=${encodeURIComponent(top.repliesCursor as string)}`,
          )
          .expect(200);
        const all = await t.http.get(`/api/comments/${root.id}/replies?sort=${sort}&limit=100&depth=0`).expect(200);
        // The included five, then exactly the other eight, in the same order as one page of all of them.
        assert.deepEqual(
          [...top.replies.map((r) => r.id), ...(rest.body.items as Node[]).map((r) => r.id)],
          (all.body.items as Node[]).map((r) => r.id),
          sort,
        );
        // Nothing more to load: no cursor. The same cursor on another sort's list is refused.
        for (const reply of top.replies)
          assert.equal((reply as Node & { repliesCursor: string | null }).repliesCursor, null);
        const otherSort = sort === 'old' ? 'new' : 'old';
        await t.http
          .get(
            `/api/comments/${root.id}/replies?sort=${otherSort}&cursor=${encodeURIComponent(top.repliesCursor as string)}`,
          )
          .expect(400);
      }
    });

    it('reads a page in the same number of queries however big the thread', async () => {
      const small = await countQueries(t.dataSource, () => nestedThread('depth=3&limit=1'));
      for (let i = 0; i < 30; i++) await fx.newComment({ article: nested, parent: chain[0], body: `extra ${i}` });
      const big = await countQueries(t.dataSource, () => nestedThread('depth=3&limit=50'));
      assert.equal(big, small);
      assert.ok(big <= 8, `a thread page took ${big} queries`);
    });
  });

  describe('visibility', () => {
    let visibility: ArticleFixture;

    before(async () => {
      visibility = await fx.newArticle();
      await fx.newComment({ article: visibility, body: 'shown' });
      const pending = await fx.newComment({ article: visibility, body: 'awaiting a moderator', status: 'pending' });
      const removed = await fx.newComment({ article: visibility, body: 'something abusive', status: 'removed' });
      await fx.newComment({ article: visibility, parent: removed, body: 'reply to the removed one' });
      Object.assign(visibility, { pendingId: pending.id, removedId: removed.id });
    });

    it('hides a pending comment from readers, in the thread and at its permalink', async () => {
      const page = (await t.http.get(`/api/articles/${visibility.slug}/comments?sort=old`).expect(200))
        .body as ThreadPage;
      assert.ok(!JSON.stringify(page).includes('awaiting a moderator'));
      const pendingId = (visibility as unknown as { pendingId: string }).pendingId;
      const res = await t.http.get(`/api/comments/${pendingId}`);
      assert.equal(res.status, 404);
      assert.equal((await t.http.get(`/api/comments/${pendingId}/replies`)).status, 404);
    });

    it('shows a removed comment as a placeholder that keeps its replies', async () => {
      const page = (await t.http.get(`/api/articles/${visibility.slug}/comments?sort=old`).expect(200))
        .body as ThreadPage;
      const removed = page.items.find((c) => c.status === 'removed') as Node;
      assert.equal(removed.body, null);
      assert.equal(removed.html, null);
      assert.equal(removed.author, null);
      assert.ok(!JSON.stringify(page).includes('something abusive'));
      assert.equal(removed.replies[0].body, 'reply to the removed one');
      assert.equal(page.total, 2, 'visible comments only');
    });
  });

  describe('comments quoting a block', () => {
    it('keeps the comments quoting that block, at any depth', async () => {
      const quoted = await fx.newArticle();
      const [first, second] = quoted.blocks;
      const top = await fx.newComment({ article: quoted, body: 'quotes the first', quoteBlockId: first.id });
      await fx.newComment({ article: quoted, parent: top, body: 'reply quoting the second', quoteBlockId: second.id });
      await fx.newComment({ article: quoted, body: 'quotes nothing' });
      const res = await t.http.get(`/api/articles/${quoted.slug}/comments?blockId=${second.id}&depth=0`).expect(200);
      assert.deepEqual(
        (res.body as ThreadPage).items.map((c) => c.body),
        ['reply quoting the second'],
      );
      const quote = (res.body as ThreadPage).items[0].quote;
      assert.deepEqual(quote, {
        source: 'article',
        blockId: second.id,
        text: second.text,
        verified: true,
        start: 0,
        end: second.text.length,
        anchor: 'exact',
        current: null,
        revision: 1,
      });
      const article = await t.http.get(`/api/articles/${quoted.slug}`).expect(200);
      const counts = (article.body.blocks as { id: string; commentCount: number }[]).map((b) => b.commentCount);
      assert.deepEqual(counts, [1, 1]);
      assert.equal((await t.http.get(`/api/articles/${quoted.slug}/comments?blockId=bnope`)).status, 404);
    });
  });
});
