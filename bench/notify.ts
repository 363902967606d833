import 'reflect-metadata';
import http from 'node:http';
import os from 'node:os';
import { type INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { UsersRepository } from '../src/users/users.repository.js';
import { Fixtures } from '../test/helpers/fixtures.js';
import { postComment } from './support/comment-post.js';
import { writeResults } from './support/results.js';
import { benchAppConfig } from './support/bench-config.js';
import { openScratchDatabase, postgresVersion, type ScratchDatabase } from './support/scratch-database.js';
import { type Figures, figures, ratio } from './support/stats.js';

/**
 * `npm run bench:notify`: what notifying costs the writer, in rotating rounds in one run, WRITERS posting at once.
 * Two comparisons: replies in a thread of an essay that 1,000 readers follow against replies in a thread of an essay
 * nobody follows (the case: essay followers hear of top-level comments only, so a reply notifies its parent's
 * author), and the worst case, top-level comments to the followed essay (each owes 1,000 `followed` notifications)
 * against top-level comments to the other. Notifying is asynchronous (a job queued in the post's
 * transaction, run after its commit), so the target is that posting with followers is at most 1.3× slower (median
 * latency) than without, and keeps at least 1/1.3 of the throughput; the time until every notification of a round is
 * in place is printed beside it.
 *
 * A benchmark: it prints figures and exits 0 whatever they are; it exits 1 only when something fails.
 */

const FOLLOWERS = 1_000;
const WRITERS = 8;
const ROUNDS = 5;
const PER_ROUND = 64;
const WARM_UP = 16;
const TARGET_RATIO = 1.3;
const DRAIN_TIMEOUT_MS = 120_000;
const BODY =
  'The essay treats the archive as neutral, but its own evidence shows that somebody chose what to keep. ' +
  'If the collection was curated by the institution whose history it records, silence is not evidence.';

interface Side {
  slug: string;
  articleId: string;
  /** Replies under this comment; null: top-level comments. */
  parentId: string | null;
  latencies: number[];
  /** Posts per second of each round. */
  throughputs: number[];
}

/** `count` posts by WRITERS writers at once; the latency of each and the round's posts per second. */
async function round(
  agent: http.Agent,
  port: number,
  slug: string,
  tokens: string[],
  count: number,
  parentId: string | null = null,
): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token) => {
      while (next < count) {
        next += 1;
        const sent = performance.now();
        await postComment(agent, port, slug, token, { body: `${BODY} (${next})`, parentId });
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { latencies, perSecond: count / ((performance.now() - started) / 1000) };
}

/** Waits until the essay's comments have all their `followed` notifications; how long that took from now. */
async function drained(dataSource: DataSource, articleId: string, comments: number): Promise<number> {
  const started = performance.now();
  const expected = comments * FOLLOWERS;
  for (;;) {
    const rows: { n: string }[] = await dataSource.query(
      `SELECT count(*) AS n FROM notifications n JOIN comments c ON c.id = n.comment_id
        WHERE c.article_id = $1 AND n.kind = 'followed'`,
      [articleId],
    );
    if (Number(rows[0].n) >= expected) return performance.now() - started;
    if (performance.now() - started > DRAIN_TIMEOUT_MS)
      throw new Error(`only ${rows[0].n} of ${expected} notifications after ${DRAIN_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  let scratch: ScratchDatabase | null = null;
  let app: INestApplication | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  try {
    scratch = await openScratchDatabase('bench_notify');
    const config = benchAppConfig();
    app = await createApp(config, scratch.databaseUrl);
    await app.listen(0, '127.0.0.1');
    const port = ((app.getHttpServer() as http.Server).address() as { port: number }).port;
    const dataSource = app.get(DataSource);
    const fixtures = new Fixtures(app);
    const followed = await fixtures.newArticle();
    const plain = await fixtures.newArticle();

    const users = app.get(UsersRepository);
    for (let i = 0; i < FOLLOWERS; i++)
      await users.ensureImportedUser(dataSource.manager, `follower-${i}`, `Follower ${i}`);
    await dataSource.query(
      `INSERT INTO follows (user_id, article_id) SELECT id, $1 FROM users WHERE username LIKE 'follower-%'`,
      [followed.id],
    );
    const tokens: string[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const answer = await fetch(`http://127.0.0.1:${port}/api/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: `writer${i}`, password: 'writer-password-1' }),
      });
      if (answer.status !== 201) throw new Error(`register answered ${answer.status}`);
      tokens.push(((await answer.json()) as { token: string }).token);
    }

    // Warm up every path (JIT, pools, the job queue's worker) before anything is timed.
    await round(agent, port, followed.slug, tokens, WARM_UP);
    await round(agent, port, plain.slug, tokens, WARM_UP);
    let posted = WARM_UP;
    await drained(dataSource, followed.id, posted);
    // The thread the replies go to: a top-level comment of the followed essay (its 1,000 notifications counted too).
    await postComment(agent, port, followed.slug, tokens[0], { body: BODY });
    posted += 1;
    const threadRows: { id: string }[] = await dataSource.query(
      'SELECT id FROM comments WHERE article_id = $1 AND parent_id IS NULL ORDER BY id DESC LIMIT 1',
      [followed.id],
    );
    const thread = threadRows[0].id;
    await round(agent, port, followed.slug, tokens, WARM_UP, thread);
    // And its baseline: replies in a thread of the essay nobody follows, by the same author.
    await postComment(agent, port, plain.slug, tokens[0], { body: BODY });
    const plainRows: { id: string }[] = await dataSource.query(
      'SELECT id FROM comments WHERE article_id = $1 AND parent_id IS NULL ORDER BY id DESC LIMIT 1',
      [plain.id],
    );
    const plainThread = plainRows[0].id;
    await round(agent, port, plain.slug, tokens, WARM_UP, plainThread);

    type Name = 'followed' | 'reply' | 'plain' | 'plainReply';
    const sides: Record<Name, Side> = {
      followed: { slug: followed.slug, articleId: followed.id, parentId: null, latencies: [], throughputs: [] },
      reply: { slug: followed.slug, articleId: followed.id, parentId: thread, latencies: [], throughputs: [] },
      plain: { slug: plain.slug, articleId: plain.id, parentId: null, latencies: [], throughputs: [] },
      plainReply: { slug: plain.slug, articleId: plain.id, parentId: plainThread, latencies: [], throughputs: [] },
    };
    const orders: Name[][] = [
      ['followed', 'reply', 'plain', 'plainReply'],
      ['plainReply', 'followed', 'reply', 'plain'],
      ['plain', 'plainReply', 'followed', 'reply'],
      ['reply', 'plain', 'plainReply', 'followed'],
    ];
    const drains: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate which side goes first, so none always runs on a warmer (or more loaded) machine.
      for (const name of orders[r % orders.length]) {
        const side = sides[name];
        const result = await round(agent, port, side.slug, tokens, PER_ROUND, side.parentId);
        side.latencies.push(...result.latencies);
        side.throughputs.push(result.perSecond);
        if (name === 'followed') {
          posted += PER_ROUND;
          drains.push(await drained(dataSource, followed.id, posted));
        }
      }
    }

    const withFollowers: Figures = figures(sides.followed.latencies);
    const replies: Figures = figures(sides.reply.latencies);
    const without: Figures = figures(sides.plain.latencies);
    const throughputWith = median(sides.followed.throughputs);
    const throughputReplies = median(sides.reply.throughputs);
    const throughputWithout = median(sides.plain.throughputs);
    const latencyRatio = ratio(withFollowers.median, without.median);
    const p99Ratio = ratio(withFollowers.p99, without.p99);
    const throughputRatio = ratio(throughputWithout, throughputWith);
    const repliesWithout: Figures = figures(sides.plainReply.latencies);
    const throughputRepliesWithout = median(sides.plainReply.throughputs);
    const replyLatencyRatio = ratio(replies.median, repliesWithout.median);
    const replyThroughputRatio = ratio(throughputRepliesWithout, throughputReplies);
    const drain = figures(drains);
    console.log(
      `\nPosting a top-level comment, ${WRITERS} writers at once, ${ROUNDS} rounds of ${PER_ROUND} posts per side ` +
        `(${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${await postgresVersion(scratch.databaseUrl)})`,
    );
    console.log(
      `  to an essay ${FOLLOWERS.toLocaleString('en-US')} readers follow: median ${withFollowers.median} ms, p99 ${withFollowers.p99} ms, ${throughputWith.toFixed(1)} posts/s`,
    );
    console.log(
      `  a reply in a thread of that essay (notifies its parent's author; essay followers hear of top-level comments only): median ${replies.median} ms, p99 ${replies.p99} ms, ${throughputReplies.toFixed(1)} posts/s`,
    );
    console.log(
      `  a reply in a thread of the essay nobody follows: median ${repliesWithout.median} ms, p99 ${repliesWithout.p99} ms, ${throughputRepliesWithout.toFixed(1)} posts/s`,
    );
    console.log(
      `  to an essay nobody follows:     median ${without.median} ms, p99 ${without.p99} ms, ${throughputWithout.toFixed(1)} posts/s`,
    );
    console.log(
      `  every notification of a round in place ${drain.median} ms (median; max ${drain.max} ms) after its last post`,
    );
    console.log(
      `\n  top-level comment, latency with/without followers: median ${latencyRatio}× (target ≤ ${TARGET_RATIO}×), ` +
        `p99 ${p99Ratio}×; throughput without/with ${throughputRatio}× (target ≤ ${TARGET_RATIO}×)`,
    );
    console.log(
      `  reply in the followed essay, against a reply in the other: median ${replyLatencyRatio}× (target ≤ ${TARGET_RATIO}×); ` +
        `throughput ${replyThroughputRatio}× (target ≤ ${TARGET_RATIO}×)`,
    );
    await writeResults('notify', {
      followers: FOLLOWERS,
      writers: WRITERS,
      rounds: ROUNDS,
      perRound: PER_ROUND,
      withFollowers,
      replies,
      repliesWithout,
      without,
      throughputReplies,
      throughputRepliesWithout,
      replyLatencyRatio,
      replyThroughputRatio,
      throughputWith,
      throughputWithout,
      latencyRatio,
      p99Ratio,
      throughputRatio,
      drainMs: drain,
      target: TARGET_RATIO,
    });
  } finally {
    agent.destroy();
    await app?.close();
    await scratch?.close();
  }
}

function median(values: number[]): number {
  return figures(values).median;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench:notify failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
