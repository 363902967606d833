import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { ViewerFollows } from '../comments/viewer-follows.js';
import { UsersModule } from '../users/users.module.js';
import { CommonModule } from '../common/common.module.js';
import { BanExpiry } from './ban-expiry.js';
import { AuditModule } from '../audit/audit.module.js';
import { BannedWordsModule } from '../banned-words/banned-words.module.js';
import { EventsModule } from '../events/events.module.js';
import { ModerationLogRepository } from './moderation-log.repository.js';
import { BansRepository } from './bans.repository.js';
import { ModerationController } from './moderation.controller.js';
import { BansService } from './bans.service.js';
import { ModerationAdminService } from './moderation-admin.service.js';
import { ModerationService } from './moderation.service.js';
import { ModerationSummaryModule } from './moderation-summary.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

export interface ModerationOptions {
  /** The module that exports the implementation of ViewerFollows (comments' port), and that implementation. */
  viewerFollows: { module: Type; provider: Type<ViewerFollows> };
}

/**
 * Reports, the queues, moderators' decisions and bans. Its answers carry Comments, whose `following` the
 * notifications domain (above moderation) knows: the composition root passes it in, as for CommentsApiModule.
 */
@Module({})
export class ModerationModule {
  static forRoot(options: ModerationOptions): DynamicModule {
    return {
      module: ModerationModule,
      imports: [
        ArticlesModule,
        CommentsModule,
        UsersModule,
        CommonModule,
        BannedWordsModule,
        AuditModule,
        EventsModule,
        ModerationSummaryModule,
        options.viewerFollows.module,
      ],
      controllers: [ReportsController, ModerationController],
      providers: [
        ReportsRepository,
        BansRepository,
        ReportsService,
        ModerationService,
        BansService,
        ModerationAdminService,
        BanExpiry,
        ModerationLogRepository,
        { provide: ViewerFollows, useExisting: options.viewerFollows.provider },
      ],
    };
  }
}
