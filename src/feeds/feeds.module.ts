import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { CommentsModule } from '../comments/comments.module.js';
import { AtomFeeds } from './atom-feeds.js';
import { FeedsController } from './feeds.controller.js';

/** The Atom feeds of essays and of an essay's comments, on top of the articles and comments domains. */
@Module({
  imports: [ArticlesModule, CommentsModule],
  controllers: [FeedsController],
  providers: [AtomFeeds],
})
export class FeedsModule {}
