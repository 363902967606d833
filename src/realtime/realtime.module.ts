import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { CommonModule } from '../common/common.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { EventsModule } from '../events/events.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ModerationSummaryModule } from '../moderation/moderation-summary.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ArticleStream } from './article-stream.js';
import { CatchUps } from './catch-up.js';
import { ConnectionAdmission } from './connection-admission.js';
import { Follows } from './follows.js';
import { JoinLimits } from './join-limits.js';
import { LiveRouter } from './live-router.js';
import { ModerationCountsFeed } from './moderation-counts-feed.js';
import { NotificationFanout } from './notification-fanout.js';
import { Presence } from './presence.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SocketAuthentication } from './socket-authentication.js';

/**
 * Live updates, on top of the domains: the router that listens to domain events and emits them to rooms, catch-up
 * from the event log, presence, and the gateway. Nothing imports this module but the app's.
 */
@Module({
  imports: [
    AuthModule,
    ArticlesModule,
    CommentsModule,
    CommonModule,
    RateLimitModule,
    EventsModule,
    MetricsModule,
    ModerationSummaryModule,
    NotificationsModule,
  ],
  providers: [
    LiveRouter,
    ModerationCountsFeed,
    ArticleStream,
    CatchUps,
    JoinLimits,
    Presence,
    NotificationFanout,
    RealtimeGateway,
    ConnectionAdmission,
    SocketAuthentication,
    Follows,
  ],
})
export class RealtimeModule {}
