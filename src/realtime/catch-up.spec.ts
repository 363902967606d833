import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ReaderViews } from '../comments/reader-views.js';
import { type CommentDto } from '../comments/dto/comment.dto.js';
import { type ArticleEventLog, type StoredEvent } from '../events/article-event-log.repository.js';
import { CatchUps, MAX_CATCH_UP_EVENTS } from './catch-up.js';

const AT = new Date('2026-12-02T10:00:00.000Z');

/** An article's event log in memory: numbers 1..latest, of which those from `oldest` on are kept. */
class FakeLog {
  constructor(
    readonly events: StoredEvent[],
    readonly latest: number,
    /** How many of the asked-for events fit the byte budget (all by default). */
    readonly fitting = Infinity,
  ) {}

  bounds(): Promise<{ latest: number; oldest: number | null }> {
    return Promise.resolve({ latest: this.latest, oldest: this.events[0]?.seq ?? null });
  }

  findAfter(_articleId: string, since: number, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(this.events.filter((e) => e.seq > since).slice(0, Math.min(limit, this.fitting)));
  }
}

/** Comments readers can no longer read, with the placeholder they are shown. */
class FakeReaderViews {
  asked: string[][] = [];
  constructor(private readonly hidden: Record<string, CommentDto>) {}

  placeholdersOfHidden(ids: string[]): Promise<Map<string, CommentDto>> {
    this.asked.push(ids);
    return Promise.resolve(new Map(ids.filter((id) => this.hidden[id]).map((id) => [id, this.hidden[id]])));
  }
}

const created = (seq: number, id: string, body = `comment ${id}`): StoredEvent => ({
  seq,
  type: 'comment.created',
  payload: { comment: { id, body } },
  at: AT,
});
const voted = (seq: number, id: string): StoredEvent => ({
  seq,
  type: 'comment.voted',
  payload: { commentId: id, score: 1 },
  at: AT,
});

function sutWith(log: FakeLog, views = new FakeReaderViews({})): CatchUps {
  return new CatchUps(log as unknown as ArticleEventLog, views as unknown as ReaderViews);
}

describe('CatchUps.since', () => {
  const log = new FakeLog([created(3, '10'), voted(4, '10'), created(5, '11')], 5);

  it('answers only the latest number to a first join (no since)', async () => {
    assert.deepEqual(await sutWith(log).since('1', undefined), { seq: 5, missed: [] });
  });

  it('hands over what came after since, in order, with each event’s envelope', async () => {
    const answer = await sutWith(log).since('1', 3);
    assert.deepEqual(answer, {
      seq: 5,
      missed: [
        { type: 'comment.voted', seq: 4, articleId: '1', at: AT.toISOString(), commentId: '10', score: 1 },
        {
          type: 'comment.created',
          seq: 5,
          articleId: '1',
          at: AT.toISOString(),
          comment: { id: '11', body: 'comment 11' },
        },
      ],
    });
  });

  it('hands over nothing to a follower that is up to date', async () => {
    assert.deepEqual(await sutWith(log).since('1', 5), { seq: 5, missed: [] });
  });

  it('asks a follower from the future, or from before what is kept, to resync', async () => {
    assert.deepEqual(await sutWith(log).since('1', 6), { seq: 5, resync: true });
    assert.deepEqual(await sutWith(log).since('1', 1), { seq: 5, resync: true });
    const fromJustBeforeTheOldest = await sutWith(log).since('1', 2);
    assert.ok(
      'missed' in fromJustBeforeTheOldest && fromJustBeforeTheOldest.missed.length === 3,
      'since = oldest - 1 is still served',
    );
  });

  it('asks for a resync rather than hand over more than one answer may carry', async () => {
    const many = Array.from({ length: MAX_CATCH_UP_EVENTS + 1 }, (_, i) => voted(i + 1, '10'));
    assert.deepEqual(await sutWith(new FakeLog(many, many.length)).since('1', 0), { seq: many.length, resync: true });
    const overBudget = new FakeLog([created(1, '10'), created(2, '11'), created(3, '12')], 3, 2);
    assert.deepEqual(await sutWith(overBudget).since('1', 0), { seq: 3, resync: true });
  });

  it('sends a comment readers can no longer read as the placeholder they are shown now, not as it was logged', async () => {
    const placeholder = { id: '10', status: 'removed', body: '', html: '' } as unknown as CommentDto;
    const views = new FakeReaderViews({ '10': placeholder });
    const answer = await sutWith(log, views).since('1', 2);
    assert.ok('missed' in answer);
    assert.deepEqual(answer.missed[0], {
      type: 'comment.created',
      seq: 3,
      articleId: '1',
      at: AT.toISOString(),
      comment: placeholder,
    });
    assert.deepEqual(answer.missed[2], {
      type: 'comment.created',
      seq: 5,
      articleId: '1',
      at: AT.toISOString(),
      comment: { id: '11', body: 'comment 11' },
    });
    assert.deepEqual(views.asked, [['10', '11']], 'each comment is looked up once, whatever the number of its events');
  });
});
