import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { type Server, type ServerOptions } from 'socket.io';
import { type LiveFanoutStatus } from '../common/live-fanout-status.js';
import { assignRequestId } from '../common/logging/request-id.js';
import { postgresClusterAdapter } from './postgres-cluster.adapter.js';
import { PostgresFanout } from './postgres-fanout.js';

/**
 * The largest message (or long-polling request) a client may send, in bytes. A join is well under 1 kB; Socket.IO's
 * default is 1 MB, which only lets a client make the server buffer and parse that much per message. Over it, the
 * server closes the connection. Clients learn it in the handshake (`maxPayload`) and split their polling batches by it.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024;

/** How long the adapter's own resources may take to close (after Socket.IO's server has closed). */
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * Socket.IO across processes through an existing engine: PostgreSQL NOTIFY/LISTEN over the database we already run
 * (our {@link PostgresFanout} under the cluster adapter of `@socket.io/postgres-adapter`: local delivery never waits
 * for the database, the LISTEN connection comes back by itself), or the Redis streams adapter when REDIS_URL is set.
 * Either way its state is attached to {@link LiveFanoutStatus} for readiness.
 */
export class ForumIoAdapter extends IoAdapter {
  private readonly log = new Logger('Realtime');
  private adapterFactory?: ServerOptions['adapter'];
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly options: { databaseUrl: string; redisUrl: string | null; status: LiveFanoutStatus },
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    if (this.options.redisUrl) {
      // Loaded only in Redis mode: the Redis client is about an eighth of a start's module loading.
      const [{ createClient }, { createAdapter: createRedisStreamsAdapter }] = await Promise.all([
        import('redis'),
        import('@socket.io/redis-streams-adapter'),
      ]);
      const client = createClient({ url: this.options.redisUrl });
      let since = new Date();
      let up = false;
      let lost = false;
      const mark = (now: boolean) => {
        if (now === up) return;
        [up, since] = [now, new Date()];
        if (!now) lost = true;
        else if (lost) this.options.status.recovered();
      };
      client.on('ready', () => mark(true));
      client.on('end', () => mark(false));
      client.on('reconnecting', () => mark(false));
      client.on('error', (error: Error) => {
        mark(client.isReady);
        this.log.warn(`redis: ${error.message}`);
      });
      await client.connect();
      handlePublishFailures(client);
      this.options.status.attach(() => ({ mode: 'redis', up: up && client.isReady, since }));
      this.closers.push(() => client.quit());
      this.adapterFactory = answerFailedQuestions(
        createRedisStreamsAdapter(client),
      ) as unknown as ServerOptions['adapter'];
      this.log.log('Socket.IO fans out through Redis streams');
      return;
    }
    const fanout = new PostgresFanout({
      databaseUrl: this.options.databaseUrl,
      onRecovered: () => this.options.status.recovered(),
    });
    this.options.status.attach(() => {
      const { status, since } = fanout.state();
      return { mode: 'postgres', up: status === 'listening', since };
    });
    this.closers.push(() => fanout.close());
    await fanout.start();
    this.adapterFactory = postgresClusterAdapter(fanout, { heartbeatInterval: 5_000, heartbeatTimeout: 10_000 });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    } as ServerOptions);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    identifyTransportRequests(server, this.log);
    return server;
  }

  /**
   * The gateway takes its connections' events itself (RealtimeGateway): with no handler to bind, Nest's binding would
   * still build a disconnect stream for every connection.
   */
  override bindMessageHandlers(...args: Parameters<IoAdapter['bindMessageHandlers']>): void {
    if (args[1].length > 0) super.bindMessageHandlers(...args);
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    while (this.closers.length > 0) {
      const close = this.closers.pop() as () => Promise<unknown>;
      // Bounded whatever the engine does: a database or Redis that does not answer never holds the stop.
      await Promise.race([
        close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
      ]);
    }
  }
}

/**
 * The Redis streams adapter sends its server-side events (presence's question, a notification fan-out's ids) with a
 * PUBLISH whose promise it drops: when Redis goes away with one in flight, the promise rejects with nobody to hear it,
 * and Node ends the process (seen when Redis restarted under load). Every PUBLISH promise gets a handler here; a
 * caller that awaits one still sees its failure. A lost server-side event is what a Redis outage costs anyway.
 */
/** What the adapter option is called with: the namespace, for its own adapter. */
type AdapterFactory = (namespace: unknown) => { serverSideEmit(packet: unknown[]): Promise<unknown> };

/**
 * A question to the other processes (presence's count: `serverSideEmit` with an acknowledgement) first asks Redis how
 * many processes listen (`PUBSUB NUMSUB`). With Redis away that command fails, and the adapter drops the rejected
 * promise: the question was never answered (a join waited on it) and Node ended the process (seen when Redis
 * restarted). Here a failed question is answered at once with no answers, as when no other process exists.
 */
export function answerFailedQuestions(factory: AdapterFactory): AdapterFactory {
  // A function, not an arrow: Socket.IO calls the adapter option with `new`.
  return function adapterFor(namespace: unknown) {
    const adapter = factory(namespace);
    const ask = adapter.serverSideEmit.bind(adapter);
    adapter.serverSideEmit = (packet) => {
      const ack = packet.at(-1);
      return ask(packet).catch((error: unknown) => {
        if (typeof ack === 'function') (ack as (error: unknown, responses: unknown[]) => void)(error, []);
      });
    };
    return adapter;
  };
}

function handlePublishFailures(client: { publish: (...args: never[]) => Promise<unknown> }): void {
  const publish = client.publish.bind(client);
  client.publish = (...args: never[]) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  };
}

/**
 * Socket.IO answers its own HTTP requests (the handshake, long-polling, the WebSocket upgrade) before the app's
 * middlewares see them: they get a request id here as every other request does (the client's plain `X-Request-Id`
 * or a new one), on the answer (the upgrade's `101` and a refusal's `400` too) and on `socket.request.id`, which the
 * log lines about a connection carry. A request Socket.IO refuses (an unknown or expired session after a restart, a
 * transport it does not serve) is logged with its id, as an answered HTTP request is; the rest are not logged one by
 * one: a long-polling client sends one every few seconds.
 */
function identifyTransportRequests(server: Server, log: Logger): void {
  server.engine.use(assignRequestId);
  server.engine.on('connection_error', (error: { req: { id?: string; method?: string }; message: string }) => {
    const { req } = error;
    log.log({ msg: `Socket.IO refused a ${req.method ?? ''} request: ${error.message}`, reqId: req.id });
  });
}
