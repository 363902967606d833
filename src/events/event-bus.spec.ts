import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Injectable, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { untilJobsDone } from '../../test/helpers/jobs.js';
import { newTestDatabase } from '../../test/helpers/test-app.js';
import { DatabaseToolsModule } from '../database/database-tools.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { type DomainEvents, type NumberedArticleEvent } from './domain-events.js';
import { EventBus } from './event-bus.js';
import { EventsModule } from './events.module.js';
import { OnArticleEvent, OnDomainEvent } from './on-event.decorator.js';

/** A listener as any module would write one: what it heard, in order. */
@Injectable()
class Heard {
  readonly log: string[] = [];
  failNext = false;

  @OnArticleEvent()
  anyArticleEvent(event: NumberedArticleEvent): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('listener failure');
    }
    this.log.push(`article ${event.type} #${event.seq} of ${event.articleId}`);
  }

  @OnArticleEvent('article.updated')
  onlySettings(event: NumberedArticleEvent<'article.updated'>): void {
    this.log.push(`settings #${event.seq}`);
  }

  @OnDomainEvent('session.ended')
  sessionEnded({ sessionId }: DomainEvents['session.ended']): void {
    this.log.push(`session ${sessionId}`);
  }
}

/** A durable listener: it hears through the job queue, and may be told to fail to see the job retried. */
@Injectable()
class DurablyHeard {
  readonly log: string[] = [];
  failuresLeft = 0;
  private readonly waiting = new Map<string, () => void>();

  @OnDomainEvent('user.unbanned', { durable: true })
  unbanned({ userId }: DomainEvents['user.unbanned']): void {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      this.log.push(`failed ${userId}`);
      throw new Error('durable listener failure');
    }
    this.log.push(userId);
    this.waiting.get(userId)?.();
  }

  /** Resolves once the listener has heard of `userId` (or at once if it has). */
  heardOf(userId: string): Promise<void> {
    if (this.log.includes(userId)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(userId, resolve));
  }
}

@Module({ providers: [Heard, DurablyHeard] })
class ListenerModule {}

describe('EventBus (on the real database)', () => {
  let context: INestApplicationContext;
  let drop: () => Promise<void>;
  let sut: EventBus;
  let uow: UnitOfWork;
  let heard: Heard;
  let articleId: string;

  before(async () => {
    const database = await newTestDatabase();
    drop = () => database.drop();
    @Module({ imports: [DatabaseModule.forRoot(database.url), DatabaseToolsModule, EventsModule, ListenerModule] })
    class SpecModule {}
    context = await NestFactory.createApplicationContext(SpecModule, { logger: false });
    sut = context.get(EventBus);
    uow = context.get(UnitOfWork);
    heard = context.get(Heard);
    const rows: { id: string }[] = await context
      .get(DataSource)
      .query(
        `INSERT INTO articles (slug, title, author, listed_at, excerpt, tags) VALUES ('bus', 'Bus', 'A', now(), '', '{}') RETURNING id`,
      );
    articleId = rows[0].id;
  });

  after(async () => {
    await context?.close();
    await drop?.();
  });

  beforeEach(() => {
    heard.log.length = 0;
  });

  const vote = { type: 'comment.voted', payload: { commentId: '1', score: 1, upvotes: 1, downvotes: 0 } } as const;

  it('numbers an article event in the transaction and hands it on only after commit', async () => {
    const numbered = await uow.run(async (tx) => {
      const recorded = await sut.recordForArticle(tx, articleId, vote);
      assert.deepEqual(heard.log, [], 'nobody hears of an event before its transaction commits');
      return recorded;
    });
    assert.deepEqual(heard.log, [`article comment.voted #${numbered.seq} of ${articleId}`]);
    assert.ok(!Number.isNaN(Date.parse(numbered.at)));
  });

  it('hands on nothing of a transaction that rolls back, and gives its number to the next event', async () => {
    const { seq: before } = await uow.run((tx) => sut.recordForArticle(tx, articleId, vote));
    heard.log.length = 0;
    await assert.rejects(
      uow.run(async (tx) => {
        await sut.recordForArticle(tx, articleId, vote);
        sut.record(tx, { type: 'session.ended', payload: { sessionId: 'rolled-back' } });
        throw new Error('the write fails');
      }),
      /the write fails/,
    );
    const next = await uow.run((tx) => sut.recordForArticle(tx, articleId, vote));
    assert.equal(next.seq, before + 1, 'the rolled-back number is taken again: no gap');
    assert.deepEqual(
      heard.log,
      [`article comment.voted #${before + 1} of ${articleId}`],
      'the rolled-back events were never heard',
    );
  });

  it('hands one transaction’s events on in the order they were recorded, to the listeners of each type', async () => {
    const settings = { locked: true, premoderation: false, slowModeSeconds: 0 };
    const first = await uow.run(async (tx) => {
      const voted = await sut.recordForArticle(tx, articleId, vote);
      sut.record(tx, { type: 'session.ended', payload: { sessionId: 's1' } });
      await sut.recordForArticle(tx, articleId, { type: 'article.updated', payload: { settings } });
      return voted.seq;
    });
    assert.deepEqual(heard.log, [
      `article comment.voted #${first} of ${articleId}`,
      'session s1',
      `article article.updated #${first + 1} of ${articleId}`,
      `settings #${first + 1}`,
    ]);
  });

  it('hands a domain event recorded alongside an article event on after it', async () => {
    const seq = await uow.run(
      async (tx) =>
        (await sut.recordForArticle(tx, articleId, vote, { type: 'session.ended', payload: { sessionId: 's2' } })).seq,
    );
    assert.deepEqual(heard.log, [`article comment.voted #${seq} of ${articleId}`, 'session s2']);
  });

  it('numbers an event in the round trip that commits: the article row stays unlocked until then', async () => {
    const dataSource = context.get(DataSource);
    const [{ latest }]: { latest: string }[] = await dataSource.query(
      'SELECT event_seq AS latest FROM articles WHERE id = $1',
      [articleId],
    );
    // Values that a literal must carry intact: quotes, a backslash, a placeholder's look, a line break, non-ASCII.
    const settings = { locked: true, premoderation: false, slowModeSeconds: 0, note: `it's \\ "$1" \n naïve ✓` };
    await uow.run(async (tx) => {
      sut.recordForArticleAtCommit(tx, articleId, {
        type: 'article.updated',
        payload: { settings },
      });
      const locked: unknown[] = await dataSource.query('SELECT id FROM articles WHERE id = $1 FOR UPDATE NOWAIT', [
        articleId,
      ]);
      assert.equal(locked.length, 1, 'another transaction takes the row lock at once: the event is not numbered yet');
      assert.deepEqual(heard.log, []);
    });
    const seq = Number(latest) + 1;
    assert.deepEqual(heard.log, [`article article.updated #${seq} of ${articleId}`, `settings #${seq}`]);
    const stored: { payload: { settings: typeof settings } }[] = await dataSource.query(
      'SELECT payload FROM article_events WHERE article_id = $1 AND seq = $2',
      [articleId, seq],
    );
    assert.deepEqual(stored[0].payload.settings, settings);
  });

  it('rolls the whole transaction back when the statement sent with COMMIT fails', async () => {
    const dataSource = context.get(DataSource);
    const titleOf = async () =>
      (await dataSource.query<{ title: string }[]>('SELECT title FROM articles WHERE id = $1', [articleId]))[0].title;
    const title = await titleOf();
    await assert.rejects(
      uow.run(async (tx) => {
        await tx.query(`UPDATE articles SET title = 'changed' WHERE id = $1`, [articleId]);
        sut.record(tx, { type: 'session.ended', payload: { sessionId: 'never' } });
        // No such article: the event cannot be numbered, and nothing of the transaction may commit without it.
        sut.recordForArticleAtCommit(tx, '999999999', vote);
      }),
    );
    assert.equal(await titleOf(), title);
    assert.deepEqual(heard.log, []);
    const next = await uow.run((tx) => sut.recordForArticle(tx, articleId, vote));
    assert.deepEqual(heard.log, [`article comment.voted #${next.seq} of ${articleId}`]);
  });

  it('keeps the write and the other listeners when one listener fails', async () => {
    heard.failNext = true;
    const numbered = await uow.run((tx) =>
      sut.recordForArticle(tx, articleId, {
        type: 'article.updated',
        payload: { settings: { locked: false, premoderation: false, slowModeSeconds: 0 } },
      }),
    );
    assert.deepEqual(heard.log, [`settings #${numbered.seq}`]);
    const stored: { seq: string }[] = await context
      .get(DataSource)
      .query('SELECT seq FROM article_events WHERE article_id = $1 AND seq = $2', [articleId, numbered.seq]);
    assert.equal(stored.length, 1, 'the event stays in the log');
  });

  describe('durable listeners', () => {
    const unbanned = (userId: string) => ({ type: 'user.unbanned', payload: { userId, role: 'reader' } }) as const;

    it('hands the event on through the job queue, queued in the transaction, heard after commit', async () => {
      const durable = context.get(DurablyHeard);
      await uow.run((tx) => {
        sut.record(tx, unbanned('durable-1'));
        assert.deepEqual(durable.log, [], 'nobody hears of an event before its transaction commits');
        return Promise.resolve();
      });
      await durable.heardOf('durable-1');
      assert.deepEqual(durable.log, ['durable-1']);
    });

    it('queues nothing for a transaction that rolls back', async () => {
      const durable = context.get(DurablyHeard);
      durable.log.length = 0;
      await assert.rejects(
        uow.run((tx) => {
          sut.record(tx, unbanned('rolled-back'));
          return Promise.reject(new Error('the write fails'));
        }),
        /the write fails/,
      );
      await uow.run((tx) => Promise.resolve(sut.record(tx, unbanned('committed'))));
      await durable.heardOf('committed');
      // Every job that exists has run: had the rolled-back transaction queued one, it would have been heard by now.
      await untilJobsDone(context.get(DataSource));
      assert.deepEqual(durable.log, ['committed']);
    });

    it('queues the jobs of an event alongside one numbered at commit in the round trip that commits', async () => {
      const durable = context.get(DurablyHeard);
      durable.log.length = 0;
      await uow.run(async (tx) => {
        sut.recordForArticleAtCommit(tx, articleId, vote, unbanned('at-commit'));
        const queued: unknown[] = await tx.query(
          `SELECT id FROM graphile_worker._private_jobs WHERE payload->>'userId' = 'at-commit'`,
        );
        assert.equal(queued.length, 0, 'no statement of its own before the transaction closes');
      });
      await durable.heardOf('at-commit');
      await assert.rejects(
        uow.run((tx) => {
          // No such article: the closing round trip fails, and the job queued in it with it.
          sut.recordForArticleAtCommit(tx, '999999999', vote, unbanned('never-numbered'));
          return Promise.resolve();
        }),
      );
      await uow.run((tx) => Promise.resolve(sut.record(tx, unbanned('after'))));
      await durable.heardOf('after');
      await untilJobsDone(context.get(DataSource));
      assert.deepEqual(durable.log, ['at-commit', 'after']);
    });

    it('hears the event again when the listener failed: the job is retried', { timeout: 30_000 }, async () => {
      const durable = context.get(DurablyHeard);
      durable.log.length = 0;
      durable.failuresLeft = 1;
      await uow.run((tx) => Promise.resolve(sut.record(tx, unbanned('retried'))));
      await durable.heardOf('retried');
      assert.deepEqual(durable.log, ['failed retried', 'retried']);
    });
  });
});
