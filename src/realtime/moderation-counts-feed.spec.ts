import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { type ModerationSummary } from '../moderation/moderation-summary.js';
import { type LiveRouter } from './live-router.js';
import { MODERATION_COUNTS_INTERVAL_MS, ModerationCountsFeed } from './moderation-counts-feed.js';

const HELD = { articleId: '1', comment: {} as never, authorId: '2', isNew: true };

/** The feed with a summary that answers `pending: <number of reads so far>` and a router that records each emit. */
function setUp() {
  const emitted: { room: string; event: string; payload: Record<string, unknown> }[] = [];
  let reads = 0;
  const summary = {
    current: () => Promise.resolve({ pending: ++reads, reported: 0, removed: 0 }),
  } as unknown as ModerationSummary;
  const router = {
    emit: (room: string, event: string, payload: Record<string, unknown>) => emitted.push({ room, event, payload }),
  } as unknown as LiveRouter;
  return { feed: new ModerationCountsFeed(summary, router), emitted, reads: () => reads };
}

describe('ModerationCountsFeed', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date', 'setImmediate'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  async function flush(): Promise<void> {
    mock.timers.tick(0);
    await Promise.resolve();
    await Promise.resolve();
  }

  it('tells the moderators at once of the first change, with the counts read then', async () => {
    const { feed, emitted } = setUp();
    feed.held(HELD);
    await flush();
    assert.equal(emitted.length, 1);
    assert.equal(emitted[0].room, 'moderators');
    assert.equal(emitted[0].event, 'moderation.counts');
    assert.deepEqual(
      { ...emitted[0].payload, at: undefined },
      { seq: null, articleId: null, at: undefined, pending: 1, reported: 0, removed: 0 },
    );
    assert.equal(emitted[0].payload.at, new Date(1_000_000).toISOString());
  });

  it('folds the changes of the following second into one emit at its end, read at that moment', async () => {
    const { feed, emitted, reads } = setUp();
    feed.held(HELD);
    await flush();
    mock.timers.tick(200);
    feed.reported({ articleId: '1', comment: {} as never });
    feed.withdrawn({ articleId: '1', commentId: '3' });
    mock.timers.tick(300);
    feed.held(HELD);
    await flush();
    assert.equal(emitted.length, 1, 'nothing more within the second');
    assert.equal(reads(), 1, 'and no read either');
    mock.timers.tick(MODERATION_COUNTS_INTERVAL_MS - 500 - 1);
    await flush();
    assert.equal(emitted.length, 1);
    mock.timers.tick(1);
    await flush();
    assert.equal(emitted.length, 2);
    assert.equal(emitted[1].payload.pending, 2);
    assert.equal(emitted[1].payload.at, new Date(1_000_000 + MODERATION_COUNTS_INTERVAL_MS).toISOString());
  });

  it('tells a change at once again after a quiet second', async () => {
    const { feed, emitted } = setUp();
    feed.held(HELD);
    await flush();
    mock.timers.tick(MODERATION_COUNTS_INTERVAL_MS);
    feed.deleted({ type: 'comment.deleted', payload: { commentId: '3' }, articleId: '1', seq: 4, at: '' });
    await flush();
    assert.equal(emitted.length, 2);
  });

  it('sends nothing once the process is stopping, not even a change already waiting', async () => {
    const { feed, emitted, reads } = setUp();
    feed.held(HELD);
    await flush();
    feed.held(HELD);
    feed.beforeApplicationShutdown();
    mock.timers.tick(MODERATION_COUNTS_INTERVAL_MS * 2);
    feed.held(HELD);
    await flush();
    assert.equal(emitted.length, 1);
    assert.equal(reads(), 1);
  });

  it('a failed read is logged, and the next change is told as usual', async () => {
    const emitted: unknown[] = [];
    let fail = true;
    const summary = {
      current: () =>
        fail
          ? Promise.reject(new Error('connection terminated'))
          : Promise.resolve({ pending: 0, reported: 0, removed: 0 }),
    } as unknown as ModerationSummary;
    const router = { emit: (...args: unknown[]) => emitted.push(args) } as unknown as LiveRouter;
    const feed = new ModerationCountsFeed(summary, router);
    const warned = mock.method(feed['logger'], 'warn', () => undefined);
    feed.held(HELD);
    await flush();
    assert.equal(emitted.length, 0);
    assert.match(String(warned.mock.calls[0].arguments[0]), /connection terminated/);
    fail = false;
    mock.timers.tick(MODERATION_COUNTS_INTERVAL_MS);
    feed.held(HELD);
    await flush();
    assert.equal(emitted.length, 1);
  });
});
