import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { newUser } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { Follower, sleep } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { type Notification } from 'pg';
import { ArticleStream } from '../src/realtime/article-stream.js';
import { ROOM_EVENT_TYPES } from '../src/realtime/event-map.js';
import { MAX_CATCH_UP_BYTES, MAX_CATCH_UP_EVENTS } from '../src/realtime/catch-up.js';
import { MAX_BODY } from '../src/comments/dto/write-comment.dto.js';

interface Reader {
  id: string;
  token: string;
}

describe('live updates', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let alice: Reader;
  let bob: Reader;
  const open: Follower[] = [];
  let n = 0;

  const follower = async (token?: string) => {
    const f = await Follower.connect(t.baseUrl, token);
    open.push(f);
    return f;
  };

  async function newReader(): Promise<Reader> {
    const { id, token } = await newUser(t, `live_${process.pid}_${++n}`);
    return { id, token };
  }

  const post = (reader: Reader, body: object, slug = article.slug) =>
    t.http.post(`/api/articles/${slug}/comments`).set('Authorization', `Bearer ${reader.token}`).send(body).expect(201);

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    alice = await newReader();
    bob = await newReader();
  });

  after(async () => {
    open.forEach((f) => f.close());
    await t.close();
  });

  it('acknowledges join and leave; an unknown article is refused', async () => {
    const f = await follower();
    const joined = await f.join(article.slug);
    assert.equal(joined.ok, true);
    assert.equal(typeof joined.seq, 'number');
    assert.equal(joined.presence, 1);
    assert.deepEqual(joined.missed, []);
    assert.deepEqual(await f.join('no-such-article'), { ok: false, error: 'No such article.' });
    assert.equal((await f.join('../etc')).ok, false);
    assert.equal((await f.join({} as unknown as string)).ok, false);
    assert.deepEqual(await f.leave(article.slug), { ok: true });
  });

  it('tells the event number with the essay and the thread, so a reader joining later misses nothing in between', async () => {
    const quoted = (await t.http.get(`/api/articles/${article.slug}`).expect(200)).body as {
      seq: number;
      blocks: { id: string; text: string; commentCount: number }[];
    };
    const thread = (await t.http.get(`/api/articles/${article.slug}/comments`).expect(200)).body as {
      seq: number;
      total: number;
    };
    assert.equal(typeof quoted.seq, 'number');
    assert.equal(thread.seq, quoted.seq);
    // Written after the reads and before the join: the join with `since` hands it over.
    const block = quoted.blocks[0];
    const created = (
      await post(alice, {
        body: 'between the read and the join',
        quote: { source: 'article', blockId: block.id, text: block.text.slice(0, 12) },
      })
    ).body;
    const f = await follower();
    const joined = (await f.join(article.slug, quoted.seq)) as {
      seq: number;
      missed: { type: string; seq: number; comment: { id: string } }[];
    };
    assert.equal(joined.seq, quoted.seq + 1);
    assert.deepEqual(
      joined.missed.map((e) => [e.type, e.seq, e.comment.id]),
      [['comment.created', quoted.seq + 1, created.id]],
    );
    // A read after it is current to the new number, and its counts include the comment.
    const again = (await t.http.get(`/api/articles/${article.slug}`).expect(200)).body as typeof quoted;
    assert.equal(again.seq, quoted.seq + 1);
    assert.equal(again.blocks[0].commentCount, block.commentCount + 1);
    const page = (await t.http.get(`/api/articles/${article.slug}/comments`).expect(200)).body as typeof thread;
    assert.deepEqual([page.seq, page.total], [thread.seq + 1, thread.total + 1]);
  });

  it('numbers every kind of event by exactly one, in order', async () => {
    const f = await follower();
    const { seq } = (await f.join(article.slug)) as { seq: number };
    const created = (await post(alice, { body: 'live one' })).body;
    await t.http
      .patch(`/api/comments/${created.id}`)
      .set('Authorization', `Bearer ${alice.token}`)
      .send({ body: 'live one, edited' })
      .expect(200);
    await t.http
      .put(`/api/comments/${created.id}/vote`)
      .set('Authorization', `Bearer ${bob.token}`)
      .send({ value: 1 })
      .expect(200);
    await t.http.delete(`/api/comments/${created.id}`).set('Authorization', `Bearer ${alice.token}`).expect(204);
    const events = await f.waitFor(4, ...ROOM_EVENT_TYPES);
    assert.deepEqual(
      events.map((e) => e.event),
      ['comment.created', 'comment.updated', 'comment.voted', 'comment.deleted'],
    );
    assert.deepEqual(
      events.map((e) => e.payload.seq),
      [seq + 1, seq + 2, seq + 3, seq + 4],
    );
    for (const e of events) {
      assert.equal(e.payload.articleId, article.id);
      assert.match(e.payload.at as string, /Z$/);
    }
    assert.equal((events[0].payload.comment as { body: string }).body, 'live one');
    assert.equal((events[1].payload.comment as { body: string }).body, 'live one, edited');
    assert.deepEqual(events[2].payload, {
      seq: seq + 3,
      articleId: article.id,
      at: events[2].payload.at,
      commentId: created.id,
      score: 1,
      upvotes: 1,
      downvotes: 0,
    });
    assert.deepEqual(events[3].payload.commentId, created.id);
  });

  it('never sends a pending comment to readers; its author and the moderators get it', async () => {
    const held = await fx.newArticle();
    await t.dataSource.query('UPDATE articles SET premoderation = true WHERE id = $1', [held.id]);
    await t.dataSource.query(`UPDATE users SET role = 'moderator' WHERE id = $1`, [bob.id]);
    const reader = await follower();
    const author = await follower(alice.token);
    const moderator = await follower(bob.token);
    for (const f of [reader, author, moderator]) await f.join(held.slug);
    const pending = (await post(alice, { body: 'held back' }, held.slug)).body;
    const [own] = await author.waitFor(1, 'comment.created');
    assert.equal((own.payload.comment as { id: string }).id, pending.id);
    assert.equal(own.payload.seq, null);
    const [queued] = await moderator.waitFor(1, 'moderation.queued');
    assert.equal((queued.payload.comment as { body: string }).body, 'held back');
    // A moderator's comment is published at once: it reaches the reader after anything the held one would have sent.
    const shown = (await post(bob, { body: 'shown at once' }, held.slug)).body;
    await reader.expectNoneBefore(
      (r) => JSON.stringify(r).includes('held back') || r.event === 'comment.created',
      (r) => r.event === 'comment.created' && (r.payload.comment as { id: string }).id === shown.id,
      'the reader heard of the pending comment',
    );
    const catchUp = await (await follower()).join(held.slug, 0);
    assert.ok(!JSON.stringify(catchUp).includes('held back'));
    await t.dataSource.query(`UPDATE users SET role = 'reader' WHERE id = $1`, [bob.id]);
  });

  it('catches up after a reconnect with exactly the missed events: no gap, no duplicate', async () => {
    const first = await follower();
    const { seq: start } = (await first.join(article.slug)) as { seq: number };
    await post(alice, { body: 'seen live' });
    const [seen] = await first.waitFor(1, 'comment.created');
    const lastSeen = seen.payload.seq as number;
    first.close();
    const missedBodies = ['missed 1', 'missed 2', 'missed 3'];
    for (const body of missedBodies) await post(bob, { body });
    const again = await follower();
    const ack = (await again.join(article.slug, lastSeen)) as {
      ok: boolean;
      seq: number;
      missed: Record<string, unknown>[];
    };
    assert.equal(ack.ok, true);
    assert.deepEqual(
      ack.missed.map((m) => m.seq),
      [lastSeen + 1, lastSeen + 2, lastSeen + 3],
    );
    assert.deepEqual(
      ack.missed.map((m) => (m.comment as { body: string }).body),
      missedBodies,
    );
    assert.deepEqual(
      ack.missed.map((m) => m.type),
      ['comment.created', 'comment.created', 'comment.created'],
    );
    assert.equal(ack.seq, start + 4);
    await post(alice, { body: 'after the catch-up' });
    // An event committed before the catch-up may still be on its way live (the adapter delivers after a NOTIFY round
    // trip): a client drops what it already holds (seq ≤ ack.seq), as the event map says. After that: no gap.
    const deadline = Date.now() + 5_000;
    const live = () => again.events('comment.created').filter((e) => (e.payload.seq as number) > ack.seq);
    while (live().length === 0 && Date.now() < deadline) await sleep(20);
    assert.equal(live()[0]?.payload.seq, ack.seq + 1);
    for (const early of again.events('comment.created').filter((e) => (e.payload.seq as number) <= ack.seq)) {
      assert.ok(
        ack.missed.some((m) => m.seq === early.payload.seq),
        'anything early is a duplicate of the catch-up',
      );
    }
  });

  it('answers a join right after one’s own write with that write, while its announcement is still on its way', async () => {
    const room = await fx.newArticle();
    const watcher = await follower();
    const { seq } = (await watcher.join(room.slug)) as { seq: number };
    // This process's announcements of the database's events are held (as a slow listening connection would).
    const stream: { announced: (n: Notification) => void } = t.app.get<unknown>(ArticleStream) as never;
    const announced = stream.announced;
    const held: Notification[] = [];
    stream.announced = (notification) => held.push(notification);
    try {
      const mine = (await post(alice, { body: 'mine, just now' }, room.slug)).body as { id: string };
      const ack = (await (await follower()).join(room.slug, seq)) as { seq: number; missed: Record<string, unknown>[] };
      assert.deepEqual(
        ack.missed.map((m) => [m.seq, (m.comment as { id: string }).id]),
        [[seq + 1, mine.id]],
      );
      assert.equal(ack.seq, seq + 1);
      assert.ok(held.length > 0, 'its announcement was held');
    } finally {
      stream.announced = announced;
      for (const notification of held) announced.call(stream, notification);
    }
    const [live] = await watcher.waitFor(1, 'comment.created');
    assert.equal(live.payload.seq, seq + 1, 'released, the announcement reaches those already following');
  });

  it('sends no removed body in catch-up', async () => {
    const f = await follower();
    const { seq } = (await f.join(article.slug)) as { seq: number };
    const doomed = (await post(bob, { body: 'abusive words' })).body;
    await t.dataSource.query(`UPDATE comments SET status = 'removed' WHERE id = $1`, [doomed.id]);
    const ack = (await (await follower()).join(article.slug, seq)) as {
      missed: { comment: { id: string; body: unknown; status: string } }[];
    };
    const replay = ack.missed.find((m) => m.comment.id === doomed.id);
    assert.ok(replay);
    assert.equal(replay.comment.body, null);
    assert.equal(replay.comment.status, 'removed');
    assert.ok(!JSON.stringify(ack).includes('abusive words'));
  });

  it('asks for a resync when `since` is no longer held, or is ahead of the article', async () => {
    const f = await follower();
    const { seq } = (await f.join(article.slug)) as { seq: number };
    const ahead = await f.join(article.slug, seq + 50);
    assert.deepEqual([ahead.ok, ahead.seq, ahead.resync, ahead.missed], [true, seq, true, undefined]);
    await t.dataSource.query('DELETE FROM article_events WHERE article_id = $1 AND seq <= $2', [article.id, seq - 1]);
    const ack = await f.join(article.slug, 0);
    assert.equal(ack.resync, true);
    assert.equal(ack.seq, seq);
  });

  /** `count` comments of `body(i)` by alice, written as posting writes them (their events included), in one go. */
  const postMany = (room: ArticleFixture, count: number, body: (i: number) => string) =>
    fx.postComments(
      room,
      alice.id,
      Array.from({ length: count }, (_, i) => body(i)),
    );

  it(`answers a catch-up of at most ${MAX_CATCH_UP_BYTES} bytes of events; beyond, a resync instead of megabytes`, async () => {
    const room = await fx.newArticle();
    const { seq: start } = (await (await follower()).join(room.slug)) as { seq: number };
    // About 20 kB per event (the body and its html): 30 of them fit, 60 do not.
    const long = (i: number) => `${i} ${'word '.repeat(MAX_BODY / 5)}`.slice(0, MAX_BODY);
    await postMany(room, 30, long);
    const f = await follower();
    const fits = (await f.join(room.slug, start)) as { seq: number; missed: unknown[] };
    assert.equal(fits.missed.length, 30);
    await postMany(room, 30, long);
    const over = await f.join(room.slug, start);
    assert.deepEqual([over.ok, over.seq, over.resync, over.missed], [true, start + 60, true, undefined]);
    assert.ok(JSON.stringify(over).length < 200, 'the resync answer is small');
    const recent = (await f.join(room.slug, start + 30)) as { missed: unknown[] };
    assert.equal(recent.missed.length, 30, 'the last 30 still fit');
    assert.ok(JSON.stringify(recent).length < MAX_CATCH_UP_BYTES + 50_000, 'an answer stays near the budget');
  });

  it(`answers a catch-up of at most ${MAX_CATCH_UP_EVENTS} events; beyond, a resync`, async () => {
    const room = await fx.newArticle();
    const { seq: start } = (await (await follower()).join(room.slug)) as { seq: number };
    await postMany(room, MAX_CATCH_UP_EVENTS, (i) => `short ${i}`);
    const f = await follower();
    const all = (await f.join(room.slug, start)) as { missed: { seq: number }[] };
    assert.deepEqual(
      all.missed.map((e) => e.seq),
      Array.from({ length: MAX_CATCH_UP_EVENTS }, (_, i) => start + i + 1),
    );
    await post(alice, { body: 'one more' }, room.slug);
    const over = await f.join(room.slug, start);
    assert.deepEqual(
      [over.ok, over.seq, over.resync, over.missed],
      [true, start + MAX_CATCH_UP_EVENTS + 1, true, undefined],
    );
    const recent = (await f.join(room.slug, start + 1)) as { missed: unknown[] };
    assert.equal(recent.missed.length, MAX_CATCH_UP_EVENTS);
  });

  it('counts followers and announces presence', async () => {
    const room = await fx.newArticle();
    const a = await follower();
    const b = await follower();
    await a.join(room.slug);
    const ack = await b.join(room.slug);
    assert.equal(ack.presence, 2);
    const deadline = Date.now() + 3_000;
    while (!a.events('presence').some((p) => p.payload.count === 2) && Date.now() < deadline) await sleep(50);
    const presence = a.events('presence').at(-1);
    assert.deepEqual(presence?.payload, { article: room.slug, count: 2 });
    b.close();
    const gone = Date.now() + 3_000;
    while (a.events('presence').at(-1)?.payload.count !== 1 && Date.now() < gone) await sleep(50);
    assert.equal(a.events('presence').at(-1)?.payload.count, 1);
    assert.equal(a.events('presence')[0].payload.seq, undefined, 'presence is not numbered');
  });

  it('notifies the parent’s author of a reply, not of their own', async () => {
    const top = (await post(bob, { body: 'answer me' })).body;
    const bobs = await follower(bob.token);
    await post(alice, { body: 'an answer', parentId: top.id });
    await post(bob, { body: 'talking to myself', parentId: top.id });
    // A later reply by someone else is the barrier: bob's own, sent before it, would have arrived first.
    await post(alice, { body: 'a second answer', parentId: top.id });
    const bodyOf = (r: { payload: Record<string, unknown> }) => (r.payload.comment as { body: string }).body;
    await bobs.expectNoneBefore(
      (r) => r.event === 'reply.received' && bodyOf(r) === 'talking to myself',
      (r) => r.event === 'reply.received' && bodyOf(r) === 'a second answer',
      'bob was notified of his own reply',
    );
    assert.deepEqual(bobs.events('reply.received').map(bodyOf), ['an answer', 'a second answer']);
  });

  it('refuses a connection with an unknown token, and lets anonymous readers in', async () => {
    await assert.rejects(Follower.connect(t.baseUrl, 'not-a-real-token-but-long-enough'));
    const anonymous = await follower();
    assert.equal(anonymous.socket.connected, true);
  });
});

describe('live updates across two processes', () => {
  let t: TestApp;
  let second: AppProcess;

  before(async () => {
    t = await startTestApp();
    second = await startAppProcess({
      DATABASE_URL: t.databaseUrl,
      SEED_ON_START: 'false',
      ADMIN_PASSWORD: 'second-process-admin',
    });
  });

  after(async () => {
    await second.stop('SIGTERM');
    await t.close();
  });

  it('delivers what is posted through one process to a follower of the other, in order, with no gap', async () => {
    const fx = new Fixtures(t.app);
    const article = await fx.newArticle();
    const writer = await newUser(t, 'first_process');
    const f = await Follower.connect(second.baseUrl);
    try {
      await f.join(article.slug);
      const send = async (body: string) =>
        (
          await t.http
            .post(`/api/articles/${article.slug}/comments`)
            .set('Authorization', `Bearer ${writer.token}`)
            .send({ body })
            .expect(201)
        ).body as { id: string };
      // Instead of giving the adapters a moment: probes until one reaches the follower, so the path between the two
      // processes is shown to be open; the comments under test are numbered after the probe that arrived.
      let seq = -1;
      const deadline = Date.now() + 10_000;
      while (seq < 0) {
        const probe = await send('a probe');
        try {
          const heard = await f.waitUntil(
            (r) => r.event === 'comment.created' && (r.payload.comment as { id: string }).id === probe.id,
            'the probe',
            1_000,
          );
          seq = heard.payload.seq as number;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      for (let i = 0; i < 10; i++) await send(`from the first process ${i}`);
      await f.waitUntil((r) => r.event === 'comment.created' && r.payload.seq === seq + 10, 'the tenth comment');
      const events = f.events('comment.created').filter((e) => (e.payload.seq as number) > seq);
      assert.deepEqual(
        events.map((e) => e.payload.seq),
        Array.from({ length: 10 }, (_, i) => seq + 1 + i),
      );
      assert.deepEqual(
        events.map((e) => (e.payload.comment as { body: string }).body),
        Array.from({ length: 10 }, (_, i) => `from the first process ${i}`),
      );
    } finally {
      f.close();
    }
  });

  it('sends a notification to its recipient connected to the other process', async () => {
    const fx = new Fixtures(t.app);
    const article = await fx.newArticle();
    const [writer, recipient] = [await newUser(t, 'notify_writer'), await newUser(t, 'notify_recipient')];
    const f = await Follower.connect(second.baseUrl, recipient.token);
    try {
      const send = async (body: string, parentId?: string) =>
        (
          await t.http
            .post(`/api/articles/${article.slug}/comments`)
            .set('Authorization', `Bearer ${(parentId ? writer : recipient).token}`)
            .send(parentId ? { body, parentId } : { body })
            .expect(201)
        ).body as { id: string };
      const parent = await send('to be answered');
      // As above: replies until one's notification reaches the other process, then one more that must arrive too.
      const deadline = Date.now() + 10_000;
      for (let heard = false; !heard;) {
        const probe = await send('a probe', parent.id);
        try {
          await f.waitUntil(
            (r) =>
              r.event === 'notification' &&
              (r.payload.notification as { comment: { id: string } }).comment.id === probe.id,
            'the probe',
            1_000,
          );
          heard = true;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
      const reply = await send('the answer', parent.id);
      const heard = await f.waitUntil(
        (r) =>
          r.event === 'notification' && (r.payload.notification as { comment: { id: string } }).comment.id === reply.id,
        'the notification',
      );
      assert.equal((heard.payload.notification as { kind: string }).kind, 'reply');
      const inbox = await t.http.get('/api/notifications').set('Authorization', `Bearer ${recipient.token}`);
      assert.equal(heard.payload.unreadCount, (inbox.body as { unreadCount: number }).unreadCount);
    } finally {
      f.close();
    }
  });
});
