import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { reconnectDelay } from './pg-listener.js';
import { PostgresFanout } from './postgres-fanout.js';

describe('reconnectDelay', () => {
  const limits = { min: 500, max: 10_000 };

  it('doubles from the minimum while attempts keep failing, up to the cap', () => {
    const highest = (attempt: number) => reconnectDelay(attempt, limits, () => 1);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map(highest), [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('waits at least half of it, the rest at random, so processes do not all come back at once', () => {
    assert.equal(
      reconnectDelay(2, limits, () => 0),
      1_000,
    );
    assert.equal(
      reconnectDelay(2, limits, () => 0.5),
      1_500,
    );
    assert.equal(
      reconnectDelay(9, limits, () => 0),
      5_000,
    );
  });
});

/** A "database" that accepts connections and never answers: what a hung server or a cut network looks like. */
class Blackhole {
  readonly sockets: Socket[] = [];
  private readonly server: Server = createServer((socket) => this.sockets.push(socket));

  async open(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `postgres://nobody:secret@127.0.0.1:${(this.server.address() as { port: number }).port}/none`;
  }

  /** Resolves once `count` connection attempts have reached it. */
  async attempts(count: number): Promise<void> {
    while (this.sockets.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The tests' own timeouts only keep a hang from holding the run: the fan-out's deadlines are far shorter. */
const HANG_GUARD = { timeout: 20_000 };

describe('PostgresFanout against a database that does not answer', () => {
  const database = new Blackhole();
  const barrier = new Blackhole();
  let url: string;
  let barrierUrl: string;

  before(async () => {
    Logger.overrideLogger(false); // the reconnection warnings are expected here
    url = await database.open();
    barrierUrl = await barrier.open();
  });

  after(async () => {
    await database.close();
    await barrier.close();
  });

  it(
    'publishes without waiting, reports that it is not listening, and closes within its deadline',
    HANG_GUARD,
    async () => {
      const sut = new PostgresFanout({
        databaseUrl: url,
        connectTimeoutMs: 300,
        queryTimeoutMs: 300,
        closeTimeoutMs: 500,
        reconnectMs: { min: 50, max: 200 },
      });
      try {
        await sut.start();
        assert.equal(
          sut.state().status,
          'reconnecting',
          'a connection that does not answer is given up after its timeout',
        );
        assert.equal(sut.listening, false);
        for (let i = 0; i < 100; i++) {
          const returned: unknown = sut.publish({
            uid: 'me',
            nsp: '/',
            type: 3,
            data: { packet: { type: 2, data: ['event', i] }, opts: { rooms: [], except: [] } },
          } as never);
          assert.equal(returned, undefined, 'publishing hands back nothing to wait for');
        }
      } finally {
        await sut.close();
      }
      assert.equal(sut.state().status, 'closed');
    },
  );

  it('keeps trying until closed, and never after', HANG_GUARD, async () => {
    const sut = new PostgresFanout({
      databaseUrl: url,
      connectTimeoutMs: 100,
      reconnectMs: { min: 20, max: 100 },
      closeTimeoutMs: 300,
    });
    const before = database.sockets.length;
    try {
      await sut.start();
      await database.attempts(before + 3);
    } finally {
      await sut.close();
    }
    const atClose = database.sockets.length;
    // The barrier: another fan-out, started after the close, makes four attempts (each waits out a 100 ms connect
    // timeout, more than the closed one's longest delay of 100 ms plus its own connect) at a second database.
    const witness = new PostgresFanout({
      databaseUrl: barrierUrl,
      connectTimeoutMs: 100,
      reconnectMs: { min: 1, max: 1 },
      closeTimeoutMs: 300,
    });
    try {
      await witness.start();
      await barrier.attempts(4);
    } finally {
      await witness.close();
    }
    assert.ok(database.sockets.length <= atClose + 1, 'no new attempt after close (one may have been under way)');
  });
});
