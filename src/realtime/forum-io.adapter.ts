import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import { type Server, type ServerOptions } from 'socket.io';

/**
 * The largest message (or long-polling request) a client may send, in bytes. A join is well under 1 kB; Socket.IO's
 * default is 1 MB, which only lets a client make the server buffer and parse that much per message. Over it, the
 * server closes the connection. Clients learn it in the handshake (`maxPayload`) and split their polling batches by it.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024;

/**
 * Socket.IO across processes through an existing engine: the PostgreSQL adapter over the database we already run
 * (NOTIFY/LISTEN), or the Redis streams adapter when REDIS_URL is set.
 */
export class ForumIoAdapter extends IoAdapter {
  private readonly log = new Logger('Realtime');
  private adapterFactory?: ReturnType<typeof createPostgresAdapter>;
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly options: { databaseUrl: string; redisUrl: string | null },
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    if (this.options.redisUrl) {
      const client = createClient({ url: this.options.redisUrl });
      client.on('error', (error: Error) => this.log.warn(`redis: ${error.message}`));
      await client.connect();
      this.closers.push(() => client.quit());
      this.adapterFactory = createRedisStreamsAdapter(client) as unknown as ReturnType<typeof createPostgresAdapter>;
      this.log.log('Socket.IO fans out through Redis streams');
      return;
    }
    const pool = new pg.Pool({ connectionString: this.options.databaseUrl, max: 2, application_name: 'essay-forum-socket.io' });
    pool.on('error', (error: Error) => this.log.warn(`socket.io adapter pool: ${error.message}`));
    // The adapter keeps one client checked out for LISTEN and listens for its 'end' (to reconnect) but not its
    // 'error': without this, a database restart would crash the process instead of letting the adapter reconnect.
    pool.on('connect', (client) => client.on('error', (error: Error) => this.log.warn(`socket.io adapter connection: ${error.message}`)));
    this.closers.push(() => pool.end());
    this.adapterFactory = createPostgresAdapter(pool, { tableName: 'socket_io_attachments', heartbeatInterval: 5_000, heartbeatTimeout: 10_000 });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    } as ServerOptions);
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    while (this.closers.length > 0) await (this.closers.pop() as () => Promise<unknown>)().catch(() => undefined);
  }
}
