import { type DynamicModule, Module } from '@nestjs/common';
import { AccountDataModule } from './account-data/account-data.module.js';
import { ArticlesApiModule } from './articles/articles-api.module.js';
import { CommentsApiModule } from './comments/comments-api.module.js';
import { type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { UsersModule } from './users/users.module.js';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from './auth/auth.module.js';
import { HttpShutdown } from './common/http-shutdown.js';
import { DatabaseThrottlerStorage } from './common/rate-limit/database-throttler-storage.js';
import { rateLimitOptions } from './common/rate-limit/rate-limit.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { DatabaseToolsModule } from './database/database-tools.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { VotesModule } from './votes/votes.module.js';
import { VotesRepository } from './votes/votes.repository.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { HealthModule } from './health/health.module.js';
import { FeedsModule } from './feeds/feeds.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import { LoggerModule } from 'nestjs-pino';
import { type Logger } from 'pino';
import { createLogger, nestPinoParams } from './common/logging/logger.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { FollowsRepository } from './notifications/follows.repository.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { SearchModule } from './search/search.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** The process's pino logger, which Nest's own log lines go through too (default: a new one, createLogger). */
  logger?: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(nestPinoParams(logger ?? createLogger(config))),
        DatabaseModule.forRoot(databaseUrl, config.databasePoolSize),
        DatabaseToolsModule,
        // The counters live in PostgreSQL: one limit for a client, whichever process answers it.
        ThrottlerModule.forRootAsync({
          imports: [RateLimitModule],
          inject: [DatabaseThrottlerStorage],
          useFactory: (storage: DatabaseThrottlerStorage) => ({ ...rateLimitOptions(config), storage }),
        }),
        UsersModule,
        AuthModule,
        // Reading an essay or a thread (or a moderator's answer) shows the viewer's own votes and follows: articles and
        // comments declare the ports, the votes and notifications domains (above them) implement them.
        ArticlesApiModule.forRoot({ viewerFollows: { module: NotificationsModule, provider: FollowsRepository } }),
        CommentsApiModule.forRoot({
          viewerVotes: { module: VotesModule, provider: VotesRepository },
          viewerFollows: { module: NotificationsModule, provider: FollowsRepository },
        }),
        VotesModule,
        ProfilesModule.forRoot({
          viewerVotes: { module: VotesModule, provider: VotesRepository },
          viewerFollows: { module: NotificationsModule, provider: FollowsRepository },
        }),
        SearchModule.forRoot({
          viewerVotes: { module: VotesModule, provider: VotesRepository },
          viewerFollows: { module: NotificationsModule, provider: FollowsRepository },
        }),
        ModerationModule.forRoot({ viewerFollows: { module: NotificationsModule, provider: FollowsRepository } }),
        NotificationsModule,
        AccountDataModule,
        MetricsModule,
        RealtimeModule,
        HealthModule,
        FeedsModule,
        SeedingModule,
      ],
      providers: [HttpShutdown],
    };
  }
}
