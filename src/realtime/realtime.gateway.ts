import { Logger } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { type Server } from 'socket.io';
import { ArticleStream } from './article-stream.js';
import { ConnectionAdmission } from './connection-admission.js';
import { Follows, REFUSED, type Refusal, refuse } from './follows.js';
import { type ForumSocket } from './forum-socket.js';
import { LiveRouter } from './live-router.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { NotificationFanout } from './notification-fanout.js';
import { Presence } from './presence.js';
import { SocketAuthentication } from './socket-authentication.js';

type Ack = (answer: unknown) => void;

/**
 * The default namespace: wires the connection middlewares (admission per address, then authentication) and answers
 * join and leave from the follow service. Holds no business logic.
 *
 * Each connection's events are taken by one listener of its own (`onAny`) rather than through Nest's
 * `@SubscribeMessage`: Nest's binding builds RxJS streams per connection and per message (about a tenth of a live
 * connection's CPU in the server, measured with 1,000 followers in bench:fanout), for handlers that use none of its
 * guards, pipes or filters (the follow service checks its own input and answers every failure itself).
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<Server> {
  private readonly logger = new Logger('Live');

  constructor(
    private readonly live: LiveRouter,
    private readonly stream: ArticleStream,
    private readonly presence: Presence,
    private readonly notifications: NotificationFanout,
    private readonly admission: ConnectionAdmission,
    private readonly authentication: SocketAuthentication,
    private readonly follows: Follows,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(server: Server): void {
    this.live.attach(server);
    this.stream.attach(server);
    this.presence.attach(server);
    this.notifications.attach(server);
    this.admission.attach(server);
    this.authentication.attach(server);
    server.on('connection', (socket: ForumSocket) => this.connected(socket));
  }

  private connected(socket: ForumSocket): void {
    this.follows.open(socket);
    this.metrics.liveConnectionOpened();
    socket.once('disconnect', () => this.metrics.liveConnectionClosed());
    socket.onAny((event: unknown, ...args: unknown[]) => this.received(socket, event, args));
    this.authentication.joinOwnRooms(socket).catch((error: unknown) => this.failed(socket, 'joining its rooms', error));
  }

  /**
   * join and leave, answered when the client asked for an answer; anything else is refused (answered instead of left
   * to time out). A message with more than one argument besides the acknowledgement is not a request: refused as one.
   */
  private received(socket: ForumSocket, event: unknown, args: unknown[]): void {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    if (event !== 'join' && event !== 'leave') {
      ack?.(refuse(REFUSED.unknownEvent));
      return;
    }
    const body = args.length === 1 ? args[0] : args;
    const answer = event === 'join' ? this.follows.join(socket, body) : this.follows.leave(socket, body);
    answer.then(
      (result) => ack?.(result),
      (error: unknown) => {
        this.failed(socket, event, error);
        ack?.(refuse(REFUSED.unavailable) satisfies Refusal);
      },
    );
  }

  private failed(socket: ForumSocket, what: string, error: unknown): void {
    this.logger.warn({
      msg: `${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      reqId: (socket.request as { id?: string }).id,
    });
  }
}
