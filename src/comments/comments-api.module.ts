import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module.js';
import { UsersModule } from '../users/users.module.js';
import { CommonModule } from '../common/common.module.js';
import { CommentsController } from './comments.controller.js';
import { MentionSuggestions } from './mention-suggestions.js';
import { MentionSuggestionsController } from './mention-suggestions.controller.js';
import { CommentsModule } from './comments.module.js';
import { CommentsService } from './comments.service.js';
import { ThreadRepository } from './thread.repository.js';
import { ViewerFollows } from './viewer-follows.js';
import { ViewerVotes } from './viewer-votes.js';

export interface CommentsApiOptions {
  /** The module that exports the implementation of ViewerVotes, and that implementation. */
  viewerVotes: { module: Type; provider: Type<ViewerVotes> };
  /** The same for ViewerFollows. */
  viewerFollows: { module: Type; provider: Type<ViewerFollows> };
}

/**
 * The comments' HTTP routes and the thread reads behind them. Reading a thread needs the viewer's own votes, which
 * the votes domain (above comments) provides: the composition root passes them in, so this module imports the votes
 * module only through its options and no file of comments imports votes. Peers import CommentsModule, not this one.
 */
@Module({})
export class CommentsApiModule {
  static forRoot(options: CommentsApiOptions): DynamicModule {
    return {
      module: CommentsApiModule,
      imports: [
        CommonModule,
        ArticlesModule,
        CommentsModule,
        UsersModule,
        options.viewerVotes.module,
        options.viewerFollows.module,
      ],
      controllers: [CommentsController, MentionSuggestionsController],
      providers: [
        ThreadRepository,
        CommentsService,
        MentionSuggestions,
        { provide: ViewerVotes, useExisting: options.viewerVotes.provider },
        { provide: ViewerFollows, useExisting: options.viewerFollows.provider },
      ],
    };
  }
}
