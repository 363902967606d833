import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommonModule } from '../common/common.module.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentWritesService } from './comment-writes.service.js';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { BannedWordsModule } from '../banned-words/banned-words.module.js';
import { EventsModule } from '../events/events.module.js';
import { CommentEvents } from './comment-events.js';
import { QuoteReanchoring } from './quote-reanchoring.js';
import { ReaderViews } from './reader-views.js';
import { RemovalReasons } from './removal-reasons.js';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';

/**
 * Comments as the other domains build on them: their rows (CommentsRepository) and the writes (CommentWritesService).
 * The HTTP routes and the thread reads are in CommentsApiModule, composed at the root.
 */
@Module({
  imports: [CommonModule, ArticlesModule, BannedWordsModule, EventsModule, UsersModule, AuditModule],
  providers: [
    CommentsRepository,
    CommentWritesService,
    CommentEvents,
    ReaderViews,
    QuoteReanchoring,
    RemovalReasons,
    IdempotencyRepository,
    IdempotencyService,
  ],
  exports: [CommentsRepository, CommentWritesService, CommentEvents, ReaderViews, RemovalReasons],
})
export class CommentsModule {}
