import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Arrivals, Reader } from '../../bench/support/live-reader.js';
import { type Cluster } from './cluster.js';

/**
 * Load for the multi-process suites: readers that follow one article through the load balancer by the web client's
 * seq rule (bench/soak/readers.ts: they reconnect by themselves, to whichever process the balancer picks, and join
 * again with `since`), and writers that post through it, retrying each comment with the same Idempotency-Key until it
 * is answered 201, as a client of a forum that is being restarted would.
 */

/** An answer of the API: its status and JSON body (a network error counts as status 0). */
export async function api(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const res = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    return { status: 0, body: {} };
  }
}

/** Signs the first admin in and publishes an essay through the balancer; answers its slug. */
export async function publishEssay(baseUrl: string, adminPassword: string): Promise<string> {
  const admin = await api(baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: adminPassword });
  assert.equal(admin.status, 200, JSON.stringify(admin.body));
  const article = await api(
    baseUrl,
    'POST',
    '/api/articles',
    { title: `Cluster ${randomBytes(3).toString('hex')}`, author: 'A. Writer', body: 'One paragraph.' },
    { authorization: `Bearer ${admin.body.token as string}` },
  );
  assert.equal(article.status, 201, JSON.stringify(article.body));
  return article.body.slug as string;
}

/** The article's latest event number, read through the balancer (retried while no process can answer). */
export async function latestSeq(baseUrl: string, slug: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await api(baseUrl, 'GET', `/api/articles/${slug}`);
    if (res.status === 200) return (res.body.article as { seq: number } | undefined)?.seq ?? (res.body.seq as number);
    if (Date.now() > deadline) throw new Error(`GET /api/articles/${slug} answered ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface LoadResult {
  /** Comments answered 201, each once whatever the retries. */
  accepted: string[];
  /** Requests that failed (status 0 or 5xx) and were sent again. */
  retries: number;
}

/**
 * Writers posting `perWriter` comments each through the balancer, one after another with a short pause; each comment
 * is sent again with the same Idempotency-Key until it is answered 201 (bounded: 60 s a comment).
 */
export async function writeComments(
  baseUrl: string,
  slug: string,
  writers: number,
  perWriter: number,
): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], retries: 0 };
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const registered = await retried(() =>
        api(baseUrl, 'POST', '/api/auth/register', {
          username: `w${w}_${randomBytes(4).toString('hex')}`,
          password: 'a long enough password',
        }),
      );
      const token = registered.body.token as string;
      for (let i = 0; i < perWriter; i++) {
        const key = randomUUID();
        const posted = await retried(
          () =>
            api(
              baseUrl,
              'POST',
              `/api/articles/${slug}/comments`,
              { body: `writer ${w}, comment ${i}` },
              { authorization: `Bearer ${token}`, 'idempotency-key': key },
            ),
          () => result.retries++,
        );
        result.accepted.push(posted.body.id as string);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }),
  );
  return result;
}

/** Sends again while the answer is a network error or a 5xx; a 4xx is a failure of the test. */
async function retried(
  send: () => Promise<{ status: number; body: Record<string, unknown> }>,
  onRetry: () => void = () => undefined,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await send();
    if (res.status >= 200 && res.status < 300) return res;
    assert.ok(res.status === 0 || res.status >= 500, `answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (Date.now() > deadline) throw new Error(`no 2xx within 60 s (last: ${res.status})`);
    onRetry();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Readers following the article through the balancer, and which comments each of them was given. */
export class Audience {
  private constructor(
    readonly readers: Reader[],
    readonly arrivals: Arrivals,
  ) {}

  static async open(baseUrl: string, slug: string, count: number): Promise<Audience> {
    const arrivals = new Arrivals(count);
    const readers: Reader[] = [];
    for (let i = 0; i < count; i++)
      readers.push(await Reader.open(baseUrl, slug, i, (reader, id) => arrivals.arrived(reader, id, Date.now())));
    return new Audience(readers, arrivals);
  }

  /** Waits until every reader has applied every event up to `seq` and holds nothing back; answers how long it took. */
  async current(seq: number, timeoutMs = 20_000): Promise<number> {
    const started = Date.now();
    while (!this.readers.every((r) => r.held === seq && r.settled)) {
      if (Date.now() - started > timeoutMs) {
        const behind = this.readers.map((r) => `${r.index}:${r.held}`).join(' ');
        throw new Error(`readers not current with seq ${seq} within ${timeoutMs} ms: ${behind}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Date.now() - started;
  }

  /** Joins the servers answered `{ ok: false }`, over all readers. */
  get joinRefusals(): number {
    return this.readers.reduce((sum, reader) => sum + reader.joinRefusals, 0);
  }

  /** Every comment answered 201 reached every reader exactly once; no number was lost; nothing came out of order. */
  assertComplete(accepted: string[]): void {
    for (const id of accepted) {
      const { missing, duplicated } = this.arrivals.of(id);
      assert.equal(missing, 0, `comment ${id}: ${missing} readers never got it`);
      assert.equal(duplicated, 0, `comment ${id}: ${duplicated} extra copies`);
    }
    for (const reader of this.readers) {
      assert.equal(reader.lost, 0, `reader ${reader.index} lost ${reader.lost} numbers`);
      assert.equal(reader.reorders, 0, `reader ${reader.index} got ${reader.reorders} events out of order`);
    }
  }

  close(): void {
    for (const reader of this.readers) reader.close();
  }
}

/** Readers and writers of `survives`. */
const READERS = 9;
const WRITERS = 3;

/**
 * The promise of live updates, kept by the deployed topology (3 app processes behind HAProxy, test/helpers/cluster.ts)
 * through faults: readers spread over the processes follow one essay through the balancer, writers post through it
 * (retrying with the same Idempotency-Key), and a fault happens meanwhile. Afterwards every reader holds every event
 * exactly once, in order, none out of order on any connection, and every comment answered 201 reached every reader
 * once; unless told otherwise, no join was refused. Answers how long the readers took to be current after the fault
 * ended (printed by the suites, not asserted: timing is the benchmark's business) and how many writes were sent again.
 */
export async function survives(
  cluster: Cluster,
  slug: string,
  fault: () => Promise<void>,
  options: { joinsMayBeRefused?: boolean } = {},
): Promise<{ catchUpMs: number; retries: number }> {
  const audience = await Audience.open(cluster.baseUrl, slug, READERS);
  try {
    const load = writeComments(cluster.baseUrl, slug, WRITERS, 15);
    await fault();
    const faultEnded = Date.now();
    const { accepted, retries } = await load;
    const seq = await latestSeq(cluster.baseUrl, slug);
    await audience.current(seq);
    audience.assertComplete(accepted);
    assert.equal(accepted.length, WRITERS * 15);
    // Only a database that is down may make a server refuse a join; a lost process or Redis never does.
    if (!options.joinsMayBeRefused) assert.equal(audience.joinRefusals, 0, 'joins refused');
    return { catchUpMs: Date.now() - faultEnded, retries };
  } finally {
    audience.close();
  }
}

/**
 * The pause between two requests of `statusesDuring`: a stream of some fifty reads a second still meets every moment
 * of a stop (a node leaves the rotation a second or more after its SIGTERM), where requests sent back to back kept
 * the machine's cores busy answering them and made the restarts under test several times slower.
 */
const PAUSE_BETWEEN_READS_MS = 10;

/**
 * Requests one after the other, a short pause apart, through the load balancer while `during` runs, and ten more
 * after it: the statuses of them all.
 */
export async function statusesDuring(cluster: Cluster, url: string, during: () => Promise<void>): Promise<number[]> {
  const statuses: number[] = [];
  let done = false;
  const load = (async () => {
    while (!done) {
      const response = await fetch(`${cluster.baseUrl}${url}`);
      await response.arrayBuffer();
      statuses.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_READS_MS));
    }
  })();
  try {
    await during();
    const countAfter = statuses.length;
    while (statuses.length < countAfter + 10) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    done = true;
    await load;
  }
  return statuses;
}
