import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommonModule } from '../common/common.module.js';
import { CommentsController } from './comments.controller.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentsService } from './comments.service.js';
import { CommentWritesService } from './comment-writes.service.js';
import { ThreadRepository } from './thread.repository.js';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { VotesRepository } from '../votes/votes.repository.js';
import { BannedWordsModule } from '../moderation/banned-words.module.js';

@Module({
  imports: [CommonModule, ArticlesModule, BannedWordsModule],
  controllers: [CommentsController],
  // The votes repository lives with its domain (src/votes) but is provided here: reading a thread needs the viewer's votes.
  providers: [CommentsRepository, ThreadRepository, CommentsService, CommentWritesService, VotesRepository, IdempotencyRepository, IdempotencyService],
  exports: [CommentsRepository, VotesRepository, CommentWritesService],
})
export class CommentsModule {}
