import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { answerFailedQuestions, writeWaitingFramesTogether } from './forum-io.adapter.js';

/** An adapter as the Redis streams adapter behaves with Redis away: its question's first command fails. */
function adapterWhoseQuestionsFail(error: Error) {
  return () => ({
    serverSideEmit(packet: unknown[]): Promise<unknown> {
      packet.pop(); // it takes the acknowledgement first, then awaits PUBSUB NUMSUB, which rejects
      return Promise.reject(error);
    },
  });
}

describe('answerFailedQuestions', () => {
  it('answers a question that could not be asked at once, with no answers, and lets no rejection escape', async () => {
    const lost = new Error('Socket closed unexpectedly');
    const adapter = answerFailedQuestions(adapterWhoseQuestionsFail(lost))('/');
    const answered = new Promise<[unknown, unknown[]]>((resolve) => {
      void adapter.serverSideEmit([
        'presence.count',
        'article-1',
        (error: unknown, responses: unknown[]) => resolve([error, responses]),
      ]);
    });
    assert.deepEqual(await answered, [lost, []]);
  });

  it('lets a message without an acknowledgement fail quietly', async () => {
    const adapter = answerFailedQuestions(adapterWhoseQuestionsFail(new Error('ECONNRESET')))('/');
    assert.equal(await adapter.serverSideEmit(['notifications.created', {}]), undefined);
  });

  it('leaves a question that was asked alone', async () => {
    const adapter = answerFailedQuestions(() => ({
      serverSideEmit: (packet: unknown[]) => Promise.resolve(packet.length),
    }))('/');
    assert.equal(await adapter.serverSideEmit(['a', 'b']), 2);
  });

  it('is constructed as Socket.IO constructs an adapter, with new', async () => {
    const factory = answerFailedQuestions(adapterWhoseQuestionsFail(new Error('down')));
    const adapter = Reflect.construct(factory, ['/']) as ReturnType<typeof factory>;
    assert.equal(await adapter.serverSideEmit(['x']), undefined);
  });
});

/** The server side's TCP socket of a WebSocket connection, as engine.io and ws hold it. */
interface Tcp {
  _write: (...args: unknown[]) => void;
  _writev: (...args: unknown[]) => void;
}

/**
 * A real Socket.IO server and client over WebSocket on loopback: the server emits `count` events to the connection in
 * one turn of its loop; answers what the client received and how many writes reached the server's TCP socket.
 */
async function burst(count: number, batched: boolean): Promise<{ received: unknown[]; writes: number }> {
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  if (batched) writeWaitingFramesTogether(server);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const connected = new Promise<import('socket.io').Socket>((resolve) => server.once('connection', resolve));
  const client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  try {
    const socket = await connected;
    await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
    const received: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('n', (n: unknown) => {
        received.push(n);
        if (received.length === count) resolve();
      }),
    );
    const tcp = (socket.conn as unknown as { transport: { socket: { _socket: Tcp } } }).transport.socket._socket;
    let writes = 0;
    for (const method of ['_write', '_writev'] as const) {
      const write = tcp[method].bind(tcp);
      tcp[method] = (...args) => {
        writes += 1;
        write(...args);
      };
    }
    for (let n = 1; n <= count; n++) socket.emit('n', n);
    await all;
    return { received, writes };
  } finally {
    client.close();
    await server.close();
  }
}

describe('writeWaitingFramesTogether', () => {
  it('writes the frames that waited behind the first one in one system call, all of them, in order', async () => {
    const { received, writes } = await burst(6, true);
    assert.deepEqual(received, [1, 2, 3, 4, 5, 6]);
    // The first frame leaves at once; the five that waited for it, together.
    assert.equal(writes, 2);
  });

  it('is what makes the difference: without it, each frame is its own write', async () => {
    const { received, writes } = await burst(6, false);
    assert.deepEqual(received, [1, 2, 3, 4, 5, 6]);
    assert.equal(writes, 6);
  });

  it('writes a lone frame as before', async () => {
    const { received, writes } = await burst(1, true);
    assert.deepEqual(received, [1]);
    assert.equal(writes, 1);
  });
});
