import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerFailedQuestions } from './forum-io.adapter.js';

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
