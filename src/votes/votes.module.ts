import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { VotesController } from './votes.controller.js';
import { VotesRepository } from './votes.repository.js';
import { VotesService } from './votes.service.js';

@Module({
  imports: [ArticlesModule, CommentsModule],
  controllers: [VotesController],
  providers: [VotesRepository, VotesService],
  exports: [VotesRepository],
})
export class VotesModule {}
