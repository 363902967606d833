import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type Server } from 'socket.io';
import { ArticleStream } from './article-stream.js';
import { ConnectionAdmission } from './connection-admission.js';
import { type JoinAck } from './event-map.js';
import { Follows, type LeaveAck, REFUSED, type Refusal, refuse } from './follows.js';
import { type ForumSocket } from './forum-socket.js';
import { LiveRouter } from './live-router.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { NotificationFanout } from './notification-fanout.js';
import { Presence } from './presence.js';
import { SocketAuthentication } from './socket-authentication.js';

/**
 * The default namespace: wires the connection middlewares (admission per address, then authentication) and answers
 * join and leave from the follow service. Holds no business logic.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<Server>, OnGatewayConnection<ForumSocket> {
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
  }

  async handleConnection(socket: ForumSocket): Promise<void> {
    this.follows.open(socket);
    this.metrics.liveConnectionOpened();
    socket.once('disconnect', () => this.metrics.liveConnectionClosed());
    // Anything but join and leave: answered (when the client asked for an answer) instead of left to time out.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (event === 'join' || event === 'leave') return;
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (answer: Refusal) => void)(refuse(REFUSED.unknownEvent));
    });
    await this.authentication.joinOwnRooms(socket);
  }

  @SubscribeMessage('join')
  join(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<JoinAck> {
    return this.follows.join(socket, body);
  }

  @SubscribeMessage('leave')
  leave(@ConnectedSocket() socket: ForumSocket, @MessageBody() body: unknown): Promise<LeaveAck> {
    return this.follows.leave(socket, body);
  }
}
