import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Logger } from '@nestjs/common';
import { PostgresFanout } from './postgres-fanout.js';

/** A "database" that accepts connections and never answers: what a hung server or a cut network looks like. */
describe('PostgresFanout against a database that does not answer', () => {
  let blackhole: Server;
  let url: string;
  const sockets: Socket[] = [];

  before(async () => {
    Logger.overrideLogger(false); // the reconnection warnings are expected here
    blackhole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    url = `postgres://nobody:secret@127.0.0.1:${(blackhole.address() as { port: number }).port}/none`;
  });

  after(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => blackhole.close(resolve));
  });

  it('publishes without waiting, reports that it is not listening, and closes within its deadline', async () => {
    const sut = new PostgresFanout({ databaseUrl: url, connectTimeoutMs: 300, queryTimeoutMs: 300, closeTimeoutMs: 500, reconnectMs: { min: 50, max: 200 } });
    await sut.start();
    assert.equal(sut.state().status, 'reconnecting', 'a connection that does not answer is given up after its timeout');
    assert.equal(sut.listening, false);

    const started = Date.now();
    for (let i = 0; i < 100; i++) sut.publish({ uid: 'me', nsp: '/', type: 3, data: { packet: { type: 2, data: ['event', i] }, opts: { rooms: [], except: [] } } } as never);
    assert.ok(Date.now() - started < 50, 'publishing never waits for the database');

    const closing = Date.now();
    await sut.close();
    assert.ok(Date.now() - closing < 1_500, `closed in ${Date.now() - closing} ms`);
    assert.equal(sut.state().status, 'closed');
  });

  it('keeps trying with growing delays, capped, until closed', async () => {
    const sut = new PostgresFanout({ databaseUrl: url, connectTimeoutMs: 100, reconnectMs: { min: 50, max: 200 }, closeTimeoutMs: 300 });
    const connectionsBefore = sockets.length;
    await sut.start();
    // 100 ms per attempt plus 50, 100, 200, 200, ... between them: at least 4 attempts in 1.5 s, at most ~11.
    const deadline = Date.now() + 1_500;
    while (Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const attempts = sockets.length - connectionsBefore;
    assert.ok(attempts >= 4 && attempts <= 12, `${attempts} attempts`);
    await sut.close();
    const afterClose = sockets.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(sockets.length <= afterClose + 1, 'no new attempt after close');
  });
});
