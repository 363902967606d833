import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { CommonModule } from '../common/common.module.js';
import { EventsModule } from '../events/events.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { FollowsRepository } from './follows.repository.js';
import { FollowsService } from './follows.service.js';
import { NotificationMails } from './notification-mails.js';
import { NotificationTriggers } from './notification-triggers.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

/**
 * Follows and the inbox. FollowsRepository also answers the viewer's `following` to articles and comments, through
 * the ports they own (bound in app.module.ts). The fan-out hears the domains' events durably (through the job queue);
 * NotificationMails mails what it notified, instantly or in a daily digest.
 */
@Module({
  imports: [CommonModule, EventsModule, JobsModule, MailModule, UsersModule, ArticlesModule, CommentsModule],
  controllers: [NotificationsController],
  providers: [
    FollowsRepository,
    FollowsService,
    NotificationsRepository,
    NotificationsService,
    NotificationTriggers,
    NotificationMails,
  ],
  exports: [FollowsRepository, FollowsService, NotificationsService],
})
export class NotificationsModule {}
