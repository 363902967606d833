import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ArticleReader } from './article-reader.js';
import { ArticlesController } from './articles.controller.js';
import { ArticlesModule } from './articles.module.js';
import { ViewerArticleFollows } from './viewer-article-follows.js';

export interface ArticlesApiOptions {
  /** The module that exports the implementation of ViewerArticleFollows, and that implementation. */
  viewerFollows: { module: Type; provider: Type<ViewerArticleFollows> };
}

/**
 * The articles' HTTP routes. An essay's answer says whether the viewer follows it, which the notifications domain
 * (above articles) knows: the composition root passes it in, as CommentsApiModule does for votes. Peers import
 * ArticlesModule, not this one.
 */
@Module({})
export class ArticlesApiModule {
  static forRoot(options: ArticlesApiOptions): DynamicModule {
    return {
      module: ArticlesApiModule,
      imports: [ArticlesModule, options.viewerFollows.module],
      controllers: [ArticlesController],
      providers: [ArticleReader, { provide: ViewerArticleFollows, useExisting: options.viewerFollows.provider }],
    };
  }
}
