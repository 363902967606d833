import { io } from 'socket.io-client';
import { type JoinAck } from '../../src/realtime/event-map.js';
import { Reader } from '../support/live-reader.js';
import { ARTICLE, CONNECT_BATCH, JOIN_TIMEOUT_MS } from './settings.js';
import { onStop } from './stopping.js';

/** Readers: one socket each, following the article by seq (bench/support/live-reader.ts). */

/** Opens `count` readers, CONNECT_BATCH at a time, each joined (acknowledged) before the next batch starts. */
export async function openReaders(
  url: string,
  count: number,
  onCreated: (reader: number, commentId: string) => void,
): Promise<Reader[]> {
  const readers: Reader[] = [];
  onStop('the readers', () => Promise.resolve(readers.forEach((r) => r.close())));
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, (_, j) =>
      Reader.open(url, ARTICLE, i + j, onCreated),
    );
    readers.push(...(await Promise.all(batch)));
  }
  return readers;
}

/** The article's latest seq, as a follower joining now is told it (its `event_seq`). */
export async function finalSeq(url: string): Promise<{ seq: number; presence: number }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('join', { article: ARTICLE })) as JoinAck;
    if (!ack.ok) throw new Error(`the final join answered ${JSON.stringify(ack)}`);
    return { seq: ack.seq, presence: ack.presence };
  } finally {
    socket.close();
  }
}
