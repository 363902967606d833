import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { type ArticleIds } from '../articles/article-ids.js';
import { type MetricsService } from '../metrics/metrics.service.js';
import { type JoinAck } from './event-map.js';
import { Follows, MAX_FOLLOWED_ARTICLES, MAX_JOINS_IN_FLIGHT, REFUSED } from './follows.js';
import { type ForumSocket } from './forum-socket.js';
import { type JoinLimits } from './join-limits.js';
import { type ArticleStream } from './article-stream.js';
import { type CatchUp, type CatchUps } from './catch-up.js';
import { type Presence } from './presence.js';

/** A connection as the service sees it: its data, the rooms it is in, its disconnecting handler. */
function fakeSocket() {
  const rooms = new Set<string>();
  let disconnecting = (): void => undefined;
  const socket = {
    data: { address: '203.0.113.7' },
    // The handshake request, with the id it was given (forum-io.adapter.ts).
    request: { id: 'handshake-request-1' },
    join: (room: string) => void rooms.add(room),
    leave: (room: string) => void rooms.delete(room),
    on: (event: string, handler: () => void) => {
      if (event === 'disconnecting') disconnecting = handler;
    },
  };
  return { socket: socket as unknown as ForumSocket, rooms, disconnect: () => disconnecting() };
}

/** The service with simple fakes: articles named `essay-N` exist (id `id-N`); lookups wait for `lookups.gate`. */
function setUp(options: { allow?: boolean; catchUp?: CatchUp; failLookup?: boolean; lastSent?: number } = {}) {
  const changes: string[] = [];
  const lookups = { count: 0, gate: Promise.resolve() };
  const articleIds = {
    of: async (slug: string) => {
      lookups.count++;
      await lookups.gate;
      if (options.failLookup) throw new Error('connection terminated');
      const n = /^essay-(\d+)$/.exec(slug)?.[1];
      return n ? `id-${n}` : null;
    },
  };
  const reads: (number | undefined)[] = [];
  const catchUps = {
    since: (_id: string, since?: number) => {
      reads.push(since);
      return Promise.resolve(options.catchUp ?? { seq: since ?? 7, missed: [] });
    },
  };
  // What the stream says it last sent to the article's room, asked once the connection is in that room.
  const stream = {
    followed: () => undefined,
    lastSent: () => (connection.rooms.size > 0 ? (options.lastSent ?? null) : 'asked before joining the room'),
  };
  const presence = {
    known: () => 3,
    changed: (id: string, slug: string) => void changes.push(`${id}:${slug}`),
  };
  const limits = { allow: () => Promise.resolve(options.allow ?? true) };
  const counted = { failures: 0, rejoins: 0 };
  const metrics = { liveJoinFailed: () => counted.failures++, liveRejoined: () => counted.rejoins++ };
  const sut = new Follows(
    catchUps as unknown as CatchUps,
    presence as unknown as Presence,
    articleIds as unknown as ArticleIds,
    limits as unknown as JoinLimits,
    stream as unknown as ArticleStream,
    metrics as unknown as MetricsService,
  );
  const connection = fakeSocket();
  sut.open(connection.socket);
  return { sut, ...connection, changes, lookups, counted, reads };
}

const refused = (error: string): JoinAck => ({ ok: false, error });

describe('Follows', () => {
  it('joins an article: its room, the catch-up and the follower count in the answer, a presence change', async () => {
    const { sut, socket, rooms, changes } = setUp();

    assert.deepEqual(await sut.join(socket, { article: 'essay-1', since: 4 }), {
      ok: true,
      seq: 4,
      presence: 3,
      missed: [],
    });
    assert.deepEqual([...rooms], ['article:id-1']);
    assert.deepEqual(changes, ['id-1:essay-1']);
  });

  it('counts the joins that carry since, and the joins it refuses, for the metrics', async () => {
    const { sut, socket, counted } = setUp();
    await sut.join(socket, { article: 'essay-1' });
    await sut.join(socket, { article: 'essay-1', since: 2 });
    await sut.join(socket, { article: 'no such slug!' });
    await sut.join(socket, { article: 'essay-999x' });
    assert.deepEqual(counted, { failures: 2, rejoins: 1 });
  });

  it('answers resync when the catch-up says so', async () => {
    const { sut, socket } = setUp({ catchUp: { seq: 900, resync: true } });

    assert.deepEqual(await sut.join(socket, { article: 'essay-1', since: 1 }), {
      ok: true,
      seq: 900,
      presence: 3,
      resync: true,
    });
  });

  it('refuses what is not an article slug, or a since that is not a non-negative integer, before any lookup', async () => {
    const { sut, socket, lookups } = setUp();

    for (const body of [null, 'essay-1', [], {}, { article: 42 }, { article: 'Essay-1' }, { article: '../essay-1' }]) {
      assert.deepEqual(await sut.join(socket, body), refused(REFUSED.slug), JSON.stringify(body));
      assert.deepEqual(await sut.leave(socket, body), refused(REFUSED.slug), JSON.stringify(body));
    }
    for (const since of [-1, 1.5, '3', null, 2 ** 53, Number.NaN]) {
      assert.deepEqual(await sut.join(socket, { article: 'essay-1', since }), refused(REFUSED.since), String(since));
    }
    assert.equal(lookups.count, 0);
  });

  it('answers No such article for a slug that names none', async () => {
    const { sut, socket, rooms } = setUp();

    assert.deepEqual(await sut.join(socket, { article: 'nothing-here' }), refused(REFUSED.noArticle));
    assert.equal(rooms.size, 0);
  });

  it(`follows at most ${MAX_FOLLOWED_ARTICLES} articles; joining one again is no more, leaving one makes room`, async () => {
    const { sut, socket, rooms } = setUp();
    for (let n = 1; n <= MAX_FOLLOWED_ARTICLES; n++)
      assert.equal((await sut.join(socket, { article: `essay-${n}` })).ok, true);

    assert.deepEqual(await sut.join(socket, { article: 'essay-99' }), refused(REFUSED.followsTooMany));
    assert.equal((await sut.join(socket, { article: 'essay-1' })).ok, true, 'one already followed');
    assert.deepEqual(await sut.leave(socket, { article: 'essay-1' }), { ok: true });
    assert.equal((await sut.join(socket, { article: 'essay-99' })).ok, true);
    assert.equal(rooms.size, MAX_FOLLOWED_ARTICLES);
    assert.ok(!rooms.has('article:id-1'));
  });

  it(`answers at most ${MAX_JOINS_IN_FLIGHT} joins at once and refuses the rest; a place frees when one is answered`, async () => {
    const { sut, socket, lookups } = setUp();
    let open = (): void => undefined;
    lookups.gate = new Promise((resolve) => (open = resolve));
    const pending = Array.from({ length: MAX_JOINS_IN_FLIGHT }, (_, i) => sut.join(socket, { article: `essay-${i}` }));

    assert.deepEqual(await sut.join(socket, { article: 'essay-9' }), refused(REFUSED.tooManyAtOnce));
    open();
    for (const answer of await Promise.all(pending)) assert.equal(answer.ok, true);
    assert.equal((await sut.join(socket, { article: 'essay-9' })).ok, true);
  });

  it('refuses a join the join limits refuse, without looking the article up', async () => {
    const { sut, socket, lookups } = setUp({ allow: false });

    assert.deepEqual(await sut.join(socket, { article: 'essay-1' }), refused(REFUSED.tooOften));
    assert.equal(lookups.count, 0);
  });

  it('answers a fixed refusal when the lookup fails, logs why, and gives its place back', async () => {
    const { sut, socket } = setUp({ failLookup: true });
    const warnings: { msg: string; reqId?: string }[] = [];
    Logger.overrideLogger({
      log: () => undefined,
      error: () => undefined,
      warn: (message: { msg: string; reqId?: string }) => void warnings.push(message),
    });
    try {
      for (let i = 0; i <= MAX_JOINS_IN_FLIGHT; i++) {
        assert.deepEqual(await sut.join(socket, { article: 'essay-1' }), refused(REFUSED.unavailable));
      }
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    assert.equal(warnings.length, MAX_JOINS_IN_FLIGHT + 1);
    assert.deepEqual(warnings[0], { msg: 'join failed: connection terminated', reqId: 'handshake-request-1' });
  });

  it('leaves: out of the room with a presence change; leaving what it does not follow is fine', async () => {
    const { sut, socket, rooms, changes } = setUp();
    await sut.join(socket, { article: 'essay-1' });

    assert.deepEqual(await sut.leave(socket, { article: 'essay-1' }), { ok: true });
    assert.deepEqual(await sut.leave(socket, { article: 'essay-2' }), { ok: true });
    assert.equal(rooms.size, 0);
    assert.deepEqual(changes, ['id-1:essay-1', 'id-1:essay-1']);
  });

  it('counts one follower less for every article a closing connection followed', async () => {
    const { sut, socket, changes, disconnect } = setUp();
    await sut.join(socket, { article: 'essay-1' });
    await sut.join(socket, { article: 'essay-2' });
    changes.length = 0;

    disconnect();

    assert.deepEqual(changes.sort(), ['id-1:essay-1', 'id-2:essay-2']);
  });
  it('starts a follower at the number the stream last sent, without reading the log, when that is all it asks for', async () => {
    const { sut, socket, reads } = setUp({ lastSent: 12, catchUp: { seq: 14, missed: [] } });

    assert.deepEqual(await sut.join(socket, { article: 'essay-1' }), { ok: true, seq: 12, presence: 3, missed: [] });
    assert.deepEqual(await sut.join(socket, { article: 'essay-1', since: 12 }), {
      ok: true,
      seq: 12,
      presence: 3,
      missed: [],
    });
    assert.deepEqual(reads, []);
    // Behind or ahead of what was sent here: only the log can tell what was missed, or that it is from the future.
    await sut.join(socket, { article: 'essay-1', since: 11 });
    await sut.join(socket, { article: 'essay-1', since: 13 });
    assert.deepEqual(reads, [11, 13]);
  });

  it('reads the log when the stream cannot vouch for a number', async () => {
    const { sut, socket, reads } = setUp({ catchUp: { seq: 14, missed: [] } });

    assert.deepEqual(await sut.join(socket, { article: 'essay-1' }), { ok: true, seq: 14, presence: 3, missed: [] });
    assert.deepEqual(reads, [undefined]);
  });
});
