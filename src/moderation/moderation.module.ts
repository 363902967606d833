import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { UsersModule } from '../users/users.module.js';
import { CommonModule } from '../common/common.module.js';
import { BanExpiry } from './ban-expiry.js';
import { AuditModule } from '../audit/audit.module.js';
import { BannedWordsModule } from '../banned-words/banned-words.module.js';
import { EventsModule } from '../events/events.module.js';
import { ModerationLogRepository } from './moderation-log.repository.js';
import { BansRepository } from './bans.repository.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationQueueRepository } from './moderation-queue.repository.js';
import { BansService } from './bans.service.js';
import { ModerationAdminService } from './moderation-admin.service.js';
import { ModerationService } from './moderation.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [ArticlesModule, CommentsModule, UsersModule, CommonModule, BannedWordsModule, AuditModule, EventsModule],
  controllers: [ReportsController, ModerationController],
  providers: [
    ReportsRepository,
    ModerationQueueRepository,
    BansRepository,
    ReportsService,
    ModerationService,
    BansService,
    ModerationAdminService,
    BanExpiry,
    ModerationLogRepository,
  ],
})
export class ModerationModule {}
