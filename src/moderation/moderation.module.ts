import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { UsersModule } from '../users/users.module.js';
import { CommonModule } from '../common/common.module.js';
import { BanExpiry } from './ban-expiry.js';
import { BansRepository } from './bans.repository.js';
import { BannedWordsModule } from './banned-words.module.js';
import { ModerationController } from './moderation.controller.js';
import { ModerationQueueRepository } from './moderation-queue.repository.js';
import { ModerationService } from './moderation.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [ArticlesModule, CommentsModule, UsersModule, CommonModule, BannedWordsModule],
  controllers: [ReportsController, ModerationController],
  providers: [ReportsRepository, ModerationQueueRepository, BansRepository, ReportsService, ModerationService, BanExpiry],
})
export class ModerationModule {}
