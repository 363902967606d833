import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type Account, ADMIN_ENV, assertErrorBody, bearer, newUser, signInAdmin } from './helpers/accounts.js';
import { eventually } from './helpers/entry-point.js';
import { ESSAY_AFTER_REVISION, ESSAY_BEFORE_REVISION } from './helpers/revision-corpus.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Block {
  id: string;
  kind: string;
  text: string;
  commentCount: number;
  highlights: { start: number; end: number; count: number }[];
}

const FIRST = [
  '# The argument',
  '',
  'The soviets were the organs of the revolution, and the party followed them into October.',
  '',
  'Workers elected delegates in every factory; soldiers did the same in every regiment.',
  '',
  'By the summer the soviets held more authority than the Provisional Government ever had.',
].join('\n');

describe('revising an essay (PATCH /api/articles/:slug)', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;
  const sockets: Follower[] = [];

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV, seed: true });
    admin = await signInAdmin(t);
    reader = await newUser(t);
  });

  after(async () => {
    for (const socket of sockets) socket.socket.close();
    await t.close();
  });

  async function publish(body = FIRST): Promise<{ slug: string; blocks: Block[]; updatedAt: string }> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: `Essay ${randomBytes(4).toString('hex')}`, author: 'A. Writer', body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { slug: string; blocks: Block[]; updatedAt: string };
  }

  function revise(slug: string, fields: Record<string, unknown>, token = admin.token) {
    return t.http.patch(`/api/articles/${slug}`).set('Authorization', bearer(token)).send(fields);
  }

  it('starts at revision 1 with updatedAt and canonicalUrl, and lists that revision', async () => {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: 'Canonical', author: 'A. Writer', body: FIRST, canonicalUrl: 'https://example.org/essay' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.revision, 1);
    assert.equal(res.body.canonicalUrl, 'https://example.org/essay');
    assert.match(res.body.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = await t.http.get(`/api/articles/${res.body.slug}/revisions`).expect(200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].revision, 1);
    assert.equal(list.body.items[0].by.username, admin.username);
  });

  it('makes a revision of a new body: edited and moved blocks keep their ids, new ones get new ids', async () => {
    const essay = await publish();
    const [heading, soviets, workers, summer] = essay.blocks;
    const res = await revise(essay.slug, {
      body: [
        '# The argument',
        '',
        'By the summer the soviets held more authority than the Provisional Government ever had.',
        '',
        'The soviets were the organs of the revolution, and the party folowed them into October.',
        '',
        'Workers elected delegates in every factory; soldiers did the same in every regiment. Peasants came later.',
        '',
        'A new closing paragraph about the calendar, unlike anything before it.',
      ].join('\n'),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.revision, 2);
    const ids = (res.body.blocks as Block[]).map((b) => b.id);
    assert.deepEqual(ids.slice(0, 4), [heading.id, summer.id, soviets.id, workers.id]);
    assert.ok(!essay.blocks.some((b) => b.id === ids[4]), 'a new block has a new id');
    assert.ok(res.body.updatedAt >= essay.updatedAt);

    const list = await t.http.get(`/api/articles/${essay.slug}/revisions`).expect(200);
    assert.deepEqual(
      list.body.items.map((r: { revision: number }) => r.revision),
      [2, 1],
    );
    const first = await t.http.get(`/api/articles/${essay.slug}/revisions/1`).expect(200);
    assert.deepEqual(
      first.body.blocks.map((b: Block) => b.id),
      essay.blocks.map((b) => b.id),
    );
    assert.equal(first.body.blocks[2].text, workers.text);
    await t.http.get(`/api/articles/${essay.slug}/revisions/3`).expect(404);
    await t.http.get(`/api/articles/${essay.slug}/revisions/abc`).expect(404);
  });

  it('never reuses an id: a block deleted and written again is new', async () => {
    const essay = await publish();
    const without = FIRST.split('\n\n').slice(0, 3).join('\n\n');
    const deleted = await revise(essay.slug, { body: without });
    assert.equal(deleted.status, 200);
    const again = await revise(essay.slug, {
      body: `${without}\n\nA brand new closing thought, not the old one at all.`,
    });
    const back = await revise(essay.slug, { body: FIRST });
    assert.equal(again.status, 200);
    assert.equal(back.status, 200);
    const last = (back.body.blocks as Block[])[3];
    assert.notEqual(last.id, essay.blocks[3].id);
    assert.equal(back.body.revision, 4);
  });

  it('changes nothing for the same body, nor for its own source, and answers the source to admins only', async () => {
    const essay = await publish();
    const before = await t.http.get(`/api/articles/${essay.slug}`).expect(200);
    const same = await revise(essay.slug, { body: FIRST });
    assert.equal(same.status, 200);
    assert.equal(same.body.revision, 1);
    assert.equal(same.body.updatedAt, before.body.updatedAt);
    assert.equal(same.body.seq, before.body.seq);

    const source = await t.http.get(`/api/articles/${essay.slug}/source`).set('Authorization', bearer(admin.token));
    assert.equal(source.status, 200);
    assert.equal(source.body.body, FIRST);
    const denied = await t.http.get(`/api/articles/${essay.slug}/source`).set('Authorization', bearer(reader.token));
    assertErrorBody(denied, 403);
    assertErrorBody(await t.http.get(`/api/articles/${essay.slug}/source`), 401);
  });

  it('gives the seeded essays a source that, sent back, is no change', async () => {
    const list = await t.http.get('/api/articles?limit=100').expect(200);
    const seeded = list.body.items.filter(
      (a: { slug: string }) => !a.slug.startsWith('essay-') && a.slug !== 'canonical',
    );
    assert.ok(seeded.length >= 4);
    for (const article of seeded.slice(0, 4) as { slug: string }[]) {
      const source = await t.http.get(`/api/articles/${article.slug}/source`).set('Authorization', bearer(admin.token));
      assert.equal(source.status, 200);
      const res = await revise(article.slug, { body: source.body.body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.revision, 1, article.slug);
    }
  });

  it('changes other fields without a revision, and refuses readers, bad fields and unknown essays', async () => {
    const essay = await publish();
    const res = await revise(essay.slug, { title: 'A new title', canonicalUrl: 'https://example.org/x', tags: ['a'] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.title, res.body.canonicalUrl, res.body.tags, res.body.revision],
      ['A new title', 'https://example.org/x', ['a'], 1],
    );
    assert.equal(res.body.slug, essay.slug);
    assertErrorBody(await revise(essay.slug, { title: 'x' }, reader.token), 403);
    assertErrorBody(await t.http.patch(`/api/articles/${essay.slug}`).send({ title: 'x' }), 401);
    assertErrorBody(await revise(essay.slug, { canonicalUrl: 'javascript:alert(1)' }), 400);
    assertErrorBody(await revise(essay.slug, { slug: 'other' }), 400);
    assertErrorBody(await revise(essay.slug, { body: '---' }), 400);
    assertErrorBody(await revise('no-such-essay', { title: 'x' }), 404);
  });

  it('tells followers with a numbered article.revised', async () => {
    const essay = await publish();
    const follower = await Follower.connect(t.baseUrl);
    sockets.push(follower);
    const ack = await follower.join(essay.slug);
    const res = await revise(essay.slug, { body: `${FIRST}\n\nOne more paragraph for the followers.` });
    assert.equal(res.status, 200);
    const [event] = await follower.waitFor(1, 'article.revised');
    assert.equal(event.payload.revision, 2);
    assert.equal(event.payload.seq, (ack.seq as number) + 1);
    assert.equal(res.body.seq, event.payload.seq);
  });

  it('keeps revisions append-only in the database', async () => {
    const essay = await publish();
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM articles WHERE slug = $1', [essay.slug]);
    const [{ id }] = rows;
    await assert.rejects(
      t.dataSource.query(`UPDATE article_revisions SET title = 'forged' WHERE article_id = $1`, [id]),
      /append-only/,
    );
    await assert.rejects(
      t.dataSource.query('DELETE FROM article_revisions WHERE article_id = $1', [id]),
      /append-only/,
    );
  });

  describe('anchored quotes', () => {
    const ESSAY = ESSAY_BEFORE_REVISION;

    interface Quote {
      blockId: string;
      text: string;
      verified: boolean;
      start: number | null;
      end: number | null;
      anchor: string;
      current: string | null;
      revision?: number | null;
    }

    async function quote(slug: string, blockId: string, text: string, hints: Record<string, unknown> = {}) {
      return t.http
        .post(`/api/articles/${slug}/comments`)
        .set('Authorization', bearer(reader.token))
        .send({ body: 'On this passage.', quote: { source: 'article', blockId, text, ...hints } });
    }

    async function quoteOf(commentId: string): Promise<Quote> {
      const res = await t.http.get(`/api/comments/${commentId}`).expect(200);
      return res.body.comment.quote as Quote;
    }

    it('takes the occurrence that the hints point at, and answers where it stands', async () => {
      const essay = await publish(ESSAY);
      const block = essay.blocks[0];
      const first = await quote(essay.slug, block.id, 'in every');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.deepEqual(
        [first.body.quote.start, first.body.quote.end, first.body.quote.anchor, first.body.quote.current],
        [26, 34, 'exact', null],
      );
      const bySuffix = await quote(essay.slug, block.id, 'in every', { suffix: ' regiment.' });
      assert.equal(bySuffix.body.quote.start, block.text.lastIndexOf('in every'));
      const byPrefix = await quote(essay.slug, block.id, 'in every', { prefix: 'soldiers did the same ' });
      assert.equal(byPrefix.body.quote.start, block.text.lastIndexOf('in every'));
      const byStart = await quote(essay.slug, block.id, 'in  every', { start: 70 });
      assert.equal(byStart.body.quote.start, block.text.lastIndexOf('in every'));
      assert.deepEqual((await quoteOf(byStart.body.id)).start, block.text.lastIndexOf('in every'));

      assertErrorBody(await quote(essay.slug, block.id, 'not in the block', { suffix: 'x' }), 422);
      assertErrorBody(await quote(essay.slug, block.id, 'in every', { prefix: 'x'.repeat(65) }), 400);
      assertErrorBody(await quote(essay.slug, block.id, 'in every', { start: -1 }), 400);
    });

    it('checks a quote against the text it commits with, when a revision is under way', async () => {
      const essay = await publish(ESSAY);
      const block = essay.blocks[0];
      const articleId: string = (await t.http.get(`/api/articles/${essay.slug}`).expect(200)).body.id;
      // A revision in progress, as PATCH holds it: the essay's row locked, its block being rewritten.
      const revision = new pg.Client({ connectionString: t.databaseUrl });
      await revision.connect();
      try {
        await revision.query('BEGIN');
        await revision.query('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [articleId]);
        await revision.query('UPDATE article_blocks SET text = $2 WHERE id = $1', [block.id, 'Rewritten entirely.']);
        const posting = quote(essay.slug, block.id, 'in every').then((res) => res);
        // Barrier: the post waits on the essay's row before the revision commits.
        const waits = await eventually(async () => {
          const waiting: unknown[] = await t.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return waiting.length > 0;
        }, 10_000);
        assert.ok(waits, 'the post waits for the revision');
        await revision.query('COMMIT');
        assertErrorBody(await posting, 422);
      } finally {
        await revision.end();
      }
    });

    it('anchors every quote again after a revision, and the margins and the block filter follow', async () => {
      const essay = await publish(ESSAY);
      const [workers, soviets, art, summer, doomed] = essay.blocks;
      const exact = await quote(essay.slug, workers.id, 'soldiers did the same in every regiment');
      const typo = await quote(essay.slug, soviets.id, 'the party followed them into October');
      const short = await quote(essay.slug, art.id, 'art');
      // The paragraph is split: its larger half keeps its id (block identity), the smaller one is new.
      const split = await quote(essay.slug, summer.id, 'By the summer the soviets held');
      const deleted = await quote(essay.slug, doomed.id, 'the calendar reform of February 1918');
      for (const res of [exact, typo, short, split, deleted]) assert.equal(res.status, 201, JSON.stringify(res.body));

      const revised = await revise(essay.slug, {
        body: ESSAY_AFTER_REVISION,
      });
      assert.equal(revised.status, 200, JSON.stringify(revised.body));
      const blocks = revised.body.blocks as Block[];
      assert.deepEqual(
        blocks.slice(0, 3).map((b) => b.id),
        [workers.id, soviets.id, art.id],
      );

      const exactNow = await quoteOf(exact.body.id);
      assert.deepEqual([exactNow.anchor, exactNow.blockId, exactNow.verified], ['exact', workers.id, true]);
      assert.equal(blocks[0].text.slice(exactNow.start!, exactNow.end!), 'soldiers did the same in every regiment');

      const typoNow = await quoteOf(typo.body.id);
      assert.deepEqual(
        [typoNow.anchor, typoNow.blockId, typoNow.current, typoNow.verified, typoNow.text],
        ['changed', soviets.id, 'the party folowed them into October', false, 'the party followed them into October'],
      );
      assert.equal(blocks[1].text.slice(typoNow.start!, typoNow.end!), typoNow.current);

      const shortNow = await quoteOf(short.body.id);
      assert.deepEqual(
        [shortNow.anchor, shortNow.start, shortNow.end, shortNow.blockId],
        ['orphaned', null, null, art.id],
      );

      const splitNow = await quoteOf(split.body.id);
      assert.deepEqual([splitNow.anchor, splitNow.blockId, splitNow.start], ['moved', blocks[3].id, 0]);
      assert.equal(blocks[4].id, summer.id);

      const deletedNow = await quoteOf(deleted.body.id);
      assert.deepEqual([deletedNow.anchor, deletedNow.blockId, deletedNow.verified], ['orphaned', doomed.id, false]);
      assert.equal(deletedNow.text, 'the calendar reform of February 1918');

      const counts = Object.fromEntries(blocks.map((b) => [b.id, b.commentCount]));
      assert.deepEqual(
        [counts[workers.id], counts[soviets.id], counts[art.id], counts[blocks[3].id], counts[blocks[4].id]],
        [1, 1, 0, 1, 0],
      );
      const byBlock = async (blockId: string) =>
        (await t.http.get(`/api/articles/${essay.slug}/comments?blockId=${blockId}`).expect(200)).body.items.map(
          (c: { id: string }) => c.id,
        );
      assert.deepEqual(await byBlock(blocks[3].id), [split.body.id]);
      assert.deepEqual(await byBlock(summer.id), []);
      assert.deepEqual(await byBlock(art.id), []);
    });

    it('remembers the revision each quote was taken from, across revisions that change or orphan it', async () => {
      const essay = await publish(ESSAY);
      const [, soviets] = essay.blocks;
      const before = await quote(essay.slug, soviets.id, 'the party followed them into October');
      assert.equal(before.status, 201, JSON.stringify(before.body));
      assert.equal(before.body.quote.revision, 1, 'the answer to the post says it');
      assert.equal((await revise(essay.slug, { body: ESSAY_AFTER_REVISION })).status, 200);
      const after = await quote(essay.slug, soviets.id, 'the party folowed them into October');
      assert.equal(after.status, 201, JSON.stringify(after.body));
      assert.equal(after.body.quote.revision, 2);

      const beforeNow = await quoteOf(before.body.id);
      assert.deepEqual([beforeNow.anchor, beforeNow.revision], ['changed', 1], 're-anchoring keeps it');
      const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=old`).expect(200);
      assert.deepEqual(
        thread.body.items.map((c: { quote: Quote }) => c.quote.revision),
        [1, 2],
      );
      // The revision it names shows the words as they were quoted.
      const then = await t.http.get(`/api/articles/${essay.slug}/revisions/${beforeNow.revision}`).expect(200);
      assert.ok((then.body.blocks as Block[]).some((b) => b.text.includes('the party followed them into October')));

      const onComment = await t.http
        .post(`/api/articles/${essay.slug}/comments`)
        .set('Authorization', bearer(reader.token))
        .send({ body: 'Indeed.', quote: { source: 'comment', commentId: before.body.id, text: 'On this passage.' } });
      assert.equal(onComment.status, 201, JSON.stringify(onComment.body));
      assert.equal(onComment.body.quote.revision, undefined, 'a comment quote has none');
    });

    it('answers the quoted passages of each block, following the anchors, at most 20 per block', async () => {
      const essay = await publish(ESSAY);
      const [workers, soviets, art] = essay.blocks;
      const highlightsOf = (blocks: Block[], id: string) => blocks.find((b) => b.id === id)?.highlights;
      const party = 'the party followed them into October';
      for (const text of [party, party, 'organs of the revolution']) {
        assert.equal((await quote(essay.slug, soviets.id, text)).status, 201);
      }
      assert.equal((await quote(essay.slug, art.id, 'art')).status, 201);
      const read = async () => (await t.http.get(`/api/articles/${essay.slug}`).expect(200)).body.blocks as Block[];
      const at = (text: string, phrase: string) => ({
        start: text.indexOf(phrase),
        end: text.indexOf(phrase) + phrase.length,
      });
      assert.deepEqual(highlightsOf(await read(), soviets.id), [
        { ...at(soviets.text, 'organs of the revolution'), count: 1 },
        { ...at(soviets.text, party), count: 2 },
      ]);
      assert.deepEqual(highlightsOf(await read(), workers.id), []);

      const revised = await revise(essay.slug, { body: ESSAY_AFTER_REVISION });
      const after = revised.body.blocks as Block[];
      const sovietsNow = after.find((b) => b.id === soviets.id) as Block;
      assert.deepEqual(
        highlightsOf(after, soviets.id),
        [
          { ...at(sovietsNow.text, 'organs of the revolution'), count: 1 },
          { ...at(sovietsNow.text, 'the party folowed them into October'), count: 2 },
        ],
        'a changed quote marks the passage it is anchored to now; the PATCH answer carries them too',
      );
      assert.deepEqual(highlightsOf(await read(), art.id), [], 'an orphaned quote marks nothing');

      // 21 passages: the block's first 1, 2, ... 16 words, and its 2nd to 6th words alone.
      const words = (after.find((b) => b.id === workers.id) as Block).text.split(' ');
      const passages = [...words.map((_, n) => words.slice(0, n + 1).join(' ')), ...words.slice(1, 6)];
      assert.equal(passages.length, 21);
      for (const passage of passages) {
        const res = await quote(essay.slug, workers.id, passage);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const capped = highlightsOf(await read(), workers.id) ?? [];
      assert.equal(capped.length, 20);
      assert.ok(
        capped.every((h, i) => i === 0 || h.start >= capped[i - 1].start),
        'in the order they stand',
      );
    });

    it('keeps margin counts right when a re-anchored comment is later deleted', async () => {
      const essay = await publish(ESSAY);
      const [, , , summer] = essay.blocks;
      const posted = await quote(essay.slug, summer.id, 'more authority than the Provisional Government ever had');
      const revised = await revise(essay.slug, {
        body: `${ESSAY.split('\n\n').slice(0, 3).join('\n\n')}\n\nBy the summer the soviets held\n\nmore authority than the Provisional Government ever had.`,
      });
      const target = (revised.body.blocks as Block[])[4];
      assert.equal(target.commentCount, 1);
      await t.http.delete(`/api/comments/${posted.body.id}`).set('Authorization', bearer(reader.token)).expect(204);
      const after = await t.http.get(`/api/articles/${essay.slug}`).expect(200);
      assert.equal((after.body.blocks as Block[])[4].commentCount, 0);
    });
  });
});
