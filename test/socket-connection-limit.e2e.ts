import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const LIMIT = 5;
const REFUSED = `too many live connections from one address (at most ${LIMIT})`;

/** Connects (websocket only, no retries) and says how it went. */
function attempt(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<{ socket: Socket } | { refused: string }> {
  const socket = io(baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ refused: error.message });
    });
  });
}

describe('live connections per client address', () => {
  let t: TestApp;
  const open: Socket[] = [];

  before(async () => {
    // Behind a (pretend) proxy: X-Forwarded-For names the client.
    t = await startTestApp({ env: { LIVE_CONNECTIONS_PER_ADDRESS: String(LIMIT), TRUST_PROXY: 'true' } });
  });

  after(async () => {
    for (const socket of open) socket.close();
    await t.close();
  });

  async function connect(headers: Record<string, string> = {}): Promise<Socket> {
    const outcome = await attempt(t.baseUrl, headers);
    assert.ok('socket' in outcome, `refused: ${'refused' in outcome ? outcome.refused : ''}`);
    open.push(outcome.socket);
    return outcome.socket;
  }

  it(`lets one address hold ${LIMIT} connections, refuses the next with a clear message, and gives a place back on close`, async () => {
    const client = { 'X-Forwarded-For': '203.0.113.10' };
    const held: Socket[] = [];
    for (let i = 0; i < LIMIT; i++) held.push(await connect(client));
    assert.deepEqual(await attempt(t.baseUrl, client), { refused: REFUSED });
    // Another address has places of its own, and the held connections still work.
    await connect({ 'X-Forwarded-For': '203.0.113.11' });
    const ack = (await held[0].timeout(5_000).emitWithAck('join', { article: 'no-such-article' })) as { ok: boolean };
    assert.equal(ack.ok, false);
    // Closing one frees its place (once the server has seen the close).
    held[0].close();
    const deadline = Date.now() + 5_000;
    for (;;) {
      const outcome = await attempt(t.baseUrl, client);
      if ('socket' in outcome) {
        open.push(outcome.socket);
        break;
      }
      assert.equal(outcome.refused, REFUSED);
      assert.ok(Date.now() < deadline, 'the place came back within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(await attempt(t.baseUrl, client), { refused: REFUSED }, 'and the limit holds again');
  });

  it('counts refused handshakes (a bad token) for nothing once they are closed', async () => {
    const client = { 'X-Forwarded-For': '203.0.113.20' };
    for (let i = 0; i < LIMIT * 3; i++) {
      const socket = io(t.baseUrl, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: client,
        auth: { token: 'x'.repeat(43) },
      });
      const message = await new Promise<string>((resolve) => socket.once('connect_error', (e) => resolve(e.message)));
      socket.close();
      assert.match(message, /unauthorized|too many/);
    }
    // Once those transports are closed, the address has all its places.
    const deadline = Date.now() + 5_000;
    let connected = 0;
    while (connected < LIMIT) {
      const outcome = await attempt(t.baseUrl, client);
      if ('socket' in outcome) {
        open.push(outcome.socket);
        connected++;
      } else {
        assert.ok(Date.now() < deadline, `only ${connected} places came back: ${outcome.refused}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
});
