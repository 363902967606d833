import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommonModule } from '../common/common.module.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentWritesService } from './comment-writes.service.js';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { BannedWordsModule } from '../moderation/banned-words.module.js';

/**
 * Comments as the other domains build on them: their rows (CommentsRepository) and the writes (CommentWritesService).
 * The HTTP routes and the thread reads are in CommentsApiModule, composed at the root.
 */
@Module({
  imports: [CommonModule, ArticlesModule, BannedWordsModule],
  providers: [CommentsRepository, CommentWritesService, IdempotencyRepository, IdempotencyService],
  exports: [CommentsRepository, CommentWritesService],
})
export class CommentsModule {}
