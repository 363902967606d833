import { type DynamicModule, Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { type CommentListPorts, CommentLists } from '../comments/comment-lists.js';
import { CommentsModule } from '../comments/comments.module.js';
import { ViewerFollows } from '../comments/viewer-follows.js';
import { ViewerVotes } from '../comments/viewer-votes.js';
import { CommonModule } from '../common/common.module.js';
import { SearchController } from './search.controller.js';
import { SearchRepository } from './search.repository.js';
import { SearchService } from './search.service.js';

/** Full-text search. Found comments carry the viewer's votes and follows: the composition root binds the two ports. */
@Module({})
export class SearchModule {
  static forRoot(ports: CommentListPorts): DynamicModule {
    return {
      module: SearchModule,
      imports: [CommonModule, ArticlesModule, CommentsModule, ports.viewerVotes.module, ports.viewerFollows.module],
      controllers: [SearchController],
      providers: [
        SearchRepository,
        SearchService,
        CommentLists,
        { provide: ViewerVotes, useExisting: ports.viewerVotes.provider },
        { provide: ViewerFollows, useExisting: ports.viewerFollows.provider },
      ],
    };
  }
}
