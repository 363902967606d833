import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsModule } from '../events/events.module.js';
import { VotesController } from './votes.controller.js';
import { VotesRepository } from './votes.repository.js';
import { VotesService } from './votes.service.js';

@Module({
  imports: [ArticlesModule, CommentsModule, EventsModule],
  controllers: [VotesController],
  providers: [VotesRepository, VotesService],
  exports: [VotesRepository, VotesService],
})
export class VotesModule {}
