import { Global, Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsRepository } from './events.repository.js';
import { LiveEvents } from './live-events.service.js';
import { LiveFanoutStatus } from './live-fanout-status.js';
import { Presence } from './presence.js';
import { RealtimeGateway } from './realtime.gateway.js';

/** Live updates: the event log, the publisher services use, presence, the gateway and the fan-out's state. */
@Global()
@Module({
  imports: [AuthModule, ArticlesModule, CommentsModule],
  providers: [EventsRepository, LiveEvents, LiveFanoutStatus, Presence, RealtimeGateway],
  exports: [LiveEvents, LiveFanoutStatus],
})
export class RealtimeModule {}
