import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import supertest from 'supertest';
import { createApp } from '../src/app.factory.js';
import { ArticleEventLog } from '../src/events/article-event-log.repository.js';
import { type Account, bearer, newUser } from './helpers/accounts.js';
import { Fixtures } from './helpers/fixtures.js';
import { Follower, type Received } from './helpers/sockets.js';
import { startTestApp, testConfig, type TestApp } from './helpers/test-app.js';

/** The numbered (room) events a follower received, in arrival order. */
const numbered = (f: Follower): Received[] => f.received.filter((r) => typeof r.payload.seq === 'number');

/** Waits until the follower holds `count` numbered events (bounded). */
async function waitForNumbered(f: Follower, count: number, timeoutMs = 10_000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  while (numbered(f).length < count) {
    if (Date.now() > deadline)
      throw new Error(
        `waited for ${count} numbered events, got ${numbered(f)
          .map((r) => r.payload.seq)
          .join(',')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return numbered(f);
}

/** Asserts the follower got exactly the numbers after `from`, each once, in order. */
function assertInOrder(f: Follower, from: number, count: number, who: string): void {
  const seqs = numbered(f).map((r) => r.payload.seq as number);
  assert.deepEqual(
    seqs,
    Array.from({ length: count }, (_, i) => from + i + 1),
    `${who}: every event once, in order`,
  );
}

/**
 * An article's live events reach every follower in `seq` order, whichever process wrote them and whichever process
 * the follower is connected to: two apps on one database, as two processes would run (each with its own listening
 * connection and its own ordered stream).
 */
describe('live events in order across processes', () => {
  let a: TestApp;
  let b: INestApplication;
  let bUrl: string;
  let writers: Account[];
  const open: Follower[] = [];

  before(async () => {
    a = await startTestApp();
    b = await createApp(testConfig(), a.databaseUrl);
    await b.listen(0, '127.0.0.1');
    bUrl = `http://127.0.0.1:${(b.getHttpServer().address() as { port: number }).port}`;
    writers = await Promise.all(Array.from({ length: 4 }, () => newUser(a)));
  });

  after(async () => {
    open.forEach((f) => f.close());
    await b.close();
    await a.close();
  });

  const follow = async (baseUrl: string, slug: string) => {
    const f = await Follower.connect(baseUrl);
    open.push(f);
    const ack = await f.join(slug);
    assert.equal(ack.ok, true);
    return { f, seq: ack.seq as number };
  };
  const through = (i: number) => (i % 2 === 0 ? a.http : supertest(b.getHttpServer()));

  it('gives every follower on either process every event once, in order, while writers post through both at once', async () => {
    const article = await new Fixtures(a.app).newArticle();
    const followers = await Promise.all([
      ...[0, 1, 2].map(() => follow(a.baseUrl, article.slug)),
      ...[0, 1, 2].map(() => follow(bUrl, article.slug)),
    ]);
    const perWriter = 12;
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 0; i < perWriter; i++) {
          const posted = await through(w + i)
            .post(`/api/articles/${article.slug}/comments`)
            .set('Authorization', bearer(writer.token))
            .send({ body: `writer ${w}, comment ${i}` });
          assert.equal(posted.status, 201, JSON.stringify(posted.body));
          // A vote through the other process: events of two kinds, from both processes, on one article.
          const voted = await through(w + i + 1)
            .put(`/api/comments/${posted.body.id as string}/vote`)
            .set('Authorization', bearer(writers[(w + 1) % writers.length].token))
            .send({ value: 1 });
          assert.equal(voted.status, 200, JSON.stringify(voted.body));
        }
      }),
    );
    const total = writers.length * perWriter * 2;
    for (const [index, { f, seq }] of followers.entries()) {
      await waitForNumbered(f, total);
      assertInOrder(f, seq, total, `follower ${index} on ${index < 3 ? 'A' : 'B'}`);
    }
  });

  it('delivers an event that its writer logged and then did nothing more for: the database announces it', async () => {
    const article = await new Fixtures(a.app).newArticle();
    const onA = await follow(a.baseUrl, article.slug);
    const onB = await follow(bUrl, article.slug);
    // Logged in a transaction of its own, straight through the log: no listener, no adapter, nothing after commit,
    // as if the process that wrote it had died the moment it committed.
    await a.dataSource.transaction((tx) =>
      a.app.get(ArticleEventLog).append(tx, article.id, 'article.updated', { article: { slug: article.slug } }),
    );
    for (const { f, seq } of [onA, onB]) {
      const [event] = await waitForNumbered(f, 1);
      assert.equal(event.event, 'article.updated');
      assert.equal(event.payload.seq, seq + 1);
      assert.equal(event.payload.articleId, article.id);
    }
  });

  it('keeps a large event ahead of the small ones written right after it', async () => {
    const article = await new Fixtures(a.app).newArticle();
    const onB = await follow(bUrl, article.slug);
    // Its announcement would pass NOTIFY's 8,000 bytes: it is announced by number and read from the log.
    const long = await a.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(writers[0].token))
      .send({ body: 'A long comment. '.repeat(600) });
    assert.equal(long.status, 201);
    for (const writer of writers.slice(1)) {
      await a.http
        .put(`/api/comments/${long.body.id as string}/vote`)
        .set('Authorization', bearer(writer.token))
        .send({ value: 1 })
        .expect(200);
    }
    const events = await waitForNumbered(onB.f, 1 + writers.length - 1);
    assertInOrder(onB.f, onB.seq, writers.length, 'the follower on B');
    assert.equal(events[0].event, 'comment.created');
    assert.equal((events[0].payload.comment as { id: string }).id, long.body.id);
  });

  it('counts the followers of every process in presence, each process answering with its own number', async () => {
    const article = await new Fixtures(a.app).newArticle();
    const onA = await follow(a.baseUrl, article.slug);
    await follow(bUrl, article.slug);
    await follow(bUrl, article.slug);
    const counted = await onA.f.waitUntil(
      (r) => r.event === 'presence' && r.payload.count === 3,
      'presence counting the two followers on B',
      10_000,
    );
    assert.deepEqual(counted.payload, { article: article.slug, count: 3 });
  });

  it('fills what a process missed while its listening connection was down, without the follower joining again', async () => {
    const article = await new Fixtures(a.app).newArticle();
    const onA = await follow(a.baseUrl, article.slug);
    const onB = await follow(bUrl, article.slug);
    // Both processes lose their article-event connection; comments are written before they are back.
    const killed: unknown[] = await a.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'essay-forum-article-events' AND datname = current_database()`,
    );
    assert.equal(killed.length, 2, 'one listening connection per process');
    for (let i = 0; i < 5; i++) {
      await a.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(writers[i % writers.length].token))
        .send({ body: `written while nobody listened, ${i}` })
        .expect(201);
    }
    for (const [who, { f, seq }] of [['A', onA] as const, ['B', onB] as const]) {
      await waitForNumbered(f, 5, 15_000);
      assertInOrder(f, seq, 5, `the follower on ${who}`);
      assert.equal(f.socket.connected, true, 'the same connection, never joined again');
    }
  });
});
