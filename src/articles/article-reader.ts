import { Injectable } from '@nestjs/common';
import { type Viewer } from '../auth/viewer.js';
import { ArticlesService } from './articles.service.js';
import { type ArticleDto } from './dto/article.dto.js';
import { ViewerArticleFollows } from './viewer-article-follows.js';

/** An essay as one viewer reads it: the essay, and whether they follow it. */
@Injectable()
export class ArticleReader {
  constructor(
    private readonly articles: ArticlesService,
    private readonly follows: ViewerArticleFollows,
  ) {}

  /** Asked after the essay's snapshot, not inside it: one connection at a time. */
  async get(slug: string, viewer: Viewer): Promise<ArticleDto> {
    const article = await this.articles.get(slug);
    if (viewer.userId) article.following = await this.follows.followsArticle(viewer.userId, article.id);
    return article;
  }

  /** The essay whose `canonicalUrl` is `url` (the publisher's page), as `get` answers it. */
  async getByUrl(url: string, viewer: Viewer): Promise<ArticleDto> {
    return this.get(await this.articles.slugAt(url), viewer);
  }
}
