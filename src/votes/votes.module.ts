import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { EventsModule } from '../events/events.module.js';
import { VotesController } from './votes.controller.js';
import { VotesService } from './votes.service.js';

@Module({
  imports: [ArticlesModule, CommentsModule, EventsModule],
  controllers: [VotesController],
  providers: [VotesService],
})
export class VotesModule {}
