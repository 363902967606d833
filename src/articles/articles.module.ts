import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CommonModule } from '../common/common.module.js';
import { EventsModule } from '../events/events.module.js';
import { ArticleIds } from './article-ids.js';
import { ArticlesRepository } from './articles.repository.js';
import { ArticlesService } from './articles.service.js';
import { EssayRevisionHooks } from './essay-revision-hooks.js';
import { ReaderCache } from './reader-cache.js';

/** Essays as the other domains build on them; the HTTP routes are in ArticlesApiModule, composed at the root. */
@Module({
  imports: [CommonModule, AuditModule, EventsModule],
  providers: [ArticleIds, ArticlesRepository, ArticlesService, EssayRevisionHooks, ReaderCache],
  exports: [ArticleIds, ArticlesRepository, ArticlesService, EssayRevisionHooks, ReaderCache],
})
export class ArticlesModule {}
