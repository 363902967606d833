import { Global, Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { CommonModule } from '../common/common.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { ConnectionAdmission } from './connection-admission.js';
import { EventsRepository } from './events.repository.js';
import { Follows } from './follows.js';
import { JoinLimits } from './join-limits.js';
import { LiveEvents } from './live-events.service.js';
import { Presence } from './presence.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SocketAuthentication } from './socket-authentication.js';

/** Live updates: the event log, the publisher services use, presence and the gateway. */
@Global()
@Module({
  imports: [AuthModule, ArticlesModule, CommentsModule, CommonModule, RateLimitModule],
  providers: [EventsRepository, JoinLimits, LiveEvents, Presence, RealtimeGateway, ConnectionAdmission, SocketAuthentication, Follows],
  exports: [LiveEvents],
})
export class RealtimeModule {}
