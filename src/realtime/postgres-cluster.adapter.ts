import { PostgresAdapter } from '@socket.io/postgres-adapter';
import type { Namespace } from 'socket.io';
import type { ClusterAdapterOptions, ClusterMessage, ClusterResponse, Offset, ServerId } from 'socket.io-adapter';
import { type FanoutReceiver, type PostgresFanout } from './postgres-fanout.js';

type LibraryClient = ConstructorParameters<typeof PostgresAdapter>[2];

/**
 * The cluster adapter of `@socket.io/postgres-adapter` (socket.io-adapter's ClusterAdapterWithHeartbeat: rooms,
 * broadcasts, fetchSockets and heartbeats across processes) with our own transport, {@link PostgresFanout}, in place
 * of the library's. The base class awaits the publish before it emits to this process's sockets; our publish only
 * queues the message and resolves at once, so local followers get every event whatever the database does.
 */
export class PostgresClusterAdapter extends PostgresAdapter implements FanoutReceiver {
  private readonly namespace: string;

  constructor(
    nsp: Namespace,
    options: ClusterAdapterOptions,
    private readonly fanout: PostgresFanout,
  ) {
    // The library's own client is never used: both publishing methods are ours.
    super(nsp, options, fanout as unknown as LibraryClient);
    this.namespace = nsp.name;
  }

  get serverId(): ServerId {
    return this.uid;
  }

  onClusterMessage(message: ClusterMessage | ClusterResponse): void {
    this.onMessage(message as ClusterMessage);
  }

  onReconnected(): void {
    // INITIAL_HEARTBEAT: every peer answers, so the peers forgotten during the outage are counted again at once.
    this.init();
  }

  /** While the fan-out is down no peer can answer: this process's sockets at once, rather than a wait for a timeout. */
  override fetchSockets(
    opts: Parameters<PostgresAdapter['fetchSockets']>[0],
  ): ReturnType<PostgresAdapter['fetchSockets']> {
    return super.fetchSockets(this.fanout.listening ? opts : { ...opts, flags: { ...opts.flags, local: true } });
  }

  /** The same for a question to the other processes (presence's count): no answer can come, so none is waited for. */
  override serverSideEmit(packet: unknown[]): Promise<unknown> {
    const ack = packet.at(-1);
    if (!this.fanout.listening && typeof ack === 'function') {
      (ack as (error: Error | null, responses: unknown[]) => void)(null, []);
      return Promise.resolve();
    }
    return super.serverSideEmit(packet);
  }

  protected override doPublish(message: ClusterMessage): Promise<Offset> {
    this.fanout.publish(message);
    return Promise.resolve('');
  }

  protected override doPublishResponse(_requesterUid: ServerId, response: ClusterResponse): Promise<void> {
    this.fanout.publish(response);
    return Promise.resolve();
  }

  override close(): void {
    super.close(); // publishes ADAPTER_CLOSE first
    this.fanout.removeReceiver(this.namespace, this);
  }
}

/** The factory Socket.IO calls (with `new`) for each namespace. */
export function postgresClusterAdapter(fanout: PostgresFanout, options: ClusterAdapterOptions) {
  return function createAdapter(nsp: Namespace): PostgresClusterAdapter {
    const adapter = new PostgresClusterAdapter(nsp, options, fanout);
    fanout.addReceiver(nsp.name, adapter);
    return adapter;
  };
}
