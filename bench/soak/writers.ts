import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { HttpStats, request } from './http.js';
import {
  ARTICLE,
  MAX_PAUSE_MS,
  MIN_PAUSE_MS,
  now,
  pick,
  sentence,
  SHARE_COMMENT,
  SHARE_EDIT,
  SHARE_QUOTED,
  SHARE_REPLY,
  sleep,
  STANCES,
} from './settings.js';

/** Writers: registered accounts acting at a steady pace. */

export interface Block {
  id: string;
  text: string;
}

/** A comment of the article that writers may answer or vote on; `author` is the writer's index, -1 for the seed. */
export interface Known {
  id: string;
  author: number;
}

/** A comment a writer got 201 for: when the POST was sent, and its id. */
export interface Accepted {
  id: string;
  sentAt: number;
}

export class Writer {
  readonly own: string[] = [];
  /** This writer's current vote per comment: a PUT with the same value changes nothing and numbers no event. */
  readonly votes = new Map<string, number>();
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly index: number,
    readonly token: string,
  ) {}
}

export class Load {
  readonly http = new HttpStats();
  readonly accepted: Accepted[] = [];
  /** Room events the 2xx answers imply: one per comment, per edit, per vote that changed the writer's vote. */
  expectedEvents = 0;
  private serial = 0;
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly blocks: Block[],
    private readonly known: Known[],
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /** Acts until `deadline` (or stop), one action at a time, starting one every 250-500 ms. */
  async run(writer: Writer, deadline: number): Promise<void> {
    let next = now() + Math.random() * MAX_PAUSE_MS; // the writers do not all start at once
    while (!this.stopping) {
      const wait = next - now();
      if (wait > 0) await sleep(wait);
      if (this.stopping || now() >= deadline) break;
      await this.act(writer);
      // Behind schedule (a slow answer): go on at once, but never in a burst to catch up.
      next = Math.max(next + MIN_PAUSE_MS + Math.random() * (MAX_PAUSE_MS - MIN_PAUSE_MS), now());
    }
  }

  private act(writer: Writer): Promise<void> {
    const roll = Math.random();
    if (roll < SHARE_COMMENT) return this.post(writer, null);
    if (roll < SHARE_REPLY) return this.post(writer, this.known.length > 0 ? pick(this.recent()).id : null);
    if (roll < SHARE_EDIT && writer.own.length > 0) return this.edit(writer);
    const candidates = this.known.filter((k) => k.author !== writer.index);
    return candidates.length > 0 ? this.vote(writer, pick(candidates).id) : this.post(writer, null);
  }

  /** Replies go to one of the latest 200 comments, as in a live discussion. */
  private recent(): Known[] {
    return this.known.slice(-200);
  }

  private async post(writer: Writer, parentId: string | null): Promise<void> {
    const body: Record<string, unknown> = {
      body: `soak ${writer.index}-${++this.serial}: ${sentence(15 + Math.floor(Math.random() * 50))}.`,
    };
    if (parentId) body.parentId = parentId;
    if (Math.random() < 0.5) body.stance = pick(STANCES);
    if (this.blocks.length > 0 && Math.random() < SHARE_QUOTED) {
      const block = pick(this.blocks);
      body.quote = { source: 'article', blockId: block.id, text: block.text };
    }
    const sentAt = now();
    const answer = await request(writer.agent, `${this.url}/api/articles/${ARTICLE}/comments`, 'POST', {
      body,
      token: writer.token,
      idempotencyKey: randomUUID(),
    });
    if (!this.http.record(parentId ? 'reply' : 'comment', answer, 201)) return;
    const id = (answer.body as { id: string }).id;
    this.accepted.push({ id, sentAt });
    this.known.push({ id, author: writer.index });
    writer.own.push(id);
    this.expectedEvents += 1;
  }

  private async edit(writer: Writer): Promise<void> {
    const id = pick(writer.own);
    const answer = await request(writer.agent, `${this.url}/api/comments/${id}`, 'PATCH', {
      body: { body: `soak ${writer.index}, edited: ${sentence(20)}.` },
      token: writer.token,
    });
    if (this.http.record('edit', answer, 200)) this.expectedEvents += 1;
  }

  private async vote(writer: Writer, id: string): Promise<void> {
    const value = pick([1, 1, -1, 0]);
    const answer = await request(writer.agent, `${this.url}/api/comments/${id}/vote`, 'PUT', {
      body: { value },
      token: writer.token,
    });
    if (!this.http.record('vote', answer, 200)) return;
    if ((writer.votes.get(id) ?? 0) !== value) this.expectedEvents += 1;
    writer.votes.set(id, value);
  }
}
