import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ReportsRepository } from '../moderation/reports.repository.js';
import { UsersModule } from '../users/users.module.js';
import { VotesModule } from '../votes/votes.module.js';
import { AccountDataController } from './account-data.controller.js';
import { AccountDataService } from './account-data.service.js';

/**
 * A user's own data across the domains: its export and the deletion of the account. Moderation is composed at the
 * root with its ports, so its reports repository (queries only) is provided here for the export.
 */
@Module({
  imports: [AuthModule, UsersModule, CommentsModule, VotesModule, NotificationsModule],
  controllers: [AccountDataController],
  providers: [AccountDataService, ReportsRepository],
})
export class AccountDataModule {}
