import { type DynamicModule, Module } from '@nestjs/common';
import { ArticlesModule } from './articles/articles.module.js';
import { CommentsModule } from './comments/comments.module.js';
import { type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { UsersModule } from './users/users.module.js';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from './auth/auth.module.js';
import { rateLimitOptions } from './common/rate-limit.js';
import { DatabaseToolsModule } from './database/database-tools.module.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { VotesModule } from './votes/votes.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { AuditModule } from './moderation/audit.module.js';
import { SeedsModule } from '../seeds/seeds.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        DatabaseToolsModule,
        AuditModule,
        ThrottlerModule.forRoot(rateLimitOptions(config)),
        UsersModule,
        AuthModule,
        ArticlesModule,
        CommentsModule,
        VotesModule,
        ModerationModule,
        RealtimeModule,
        SeedsModule,
      ],
    };
  }
}
