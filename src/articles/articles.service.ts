import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { excerptOf, slugify } from './article-blocks.js';
import { type ArticleEntity } from './article.entity.js';
import { type ArticlePosition, ArticlesRepository } from './articles.repository.js';
import {
  type ArticleDto,
  type ArticlePageDto,
  type ArticleSettingsDto,
  type UpdateSettingsDto,
  toArticleDto,
  toArticleSettingsDto,
  toArticleSummaryDto,
} from './dto/article.dto.js';
import { type CreateArticleDto } from './dto/create-article.dto.js';
import { firstFreeSlug, isArticleSlug } from './free-slug.js';
import { markdownBlocksWithIds, parseMarkdownBlocks } from './markdown-blocks.js';
import { type Viewer, requireAdmin, requireModerator } from '../auth/viewer.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AuditLog } from '../audit/audit-log.js';
import { EventBus } from '../events/event-bus.js';

const LIST_SCOPE = 'articles';
/** Blocks of one essay: far more than a book chapter has, few enough for one answer. */
export const MAX_BLOCKS = 10_000;
/** Tries at a free slug when others take the chosen one first (each try is one more article created meanwhile). */
const SLUG_ATTEMPTS = 20;

@Injectable()
export class ArticlesService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly cursors: CursorCodec,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly audit: AuditLog,
  ) {}

  async list(limit = DEFAULT_LIMIT, cursor?: string): Promise<ArticlePageDto> {
    const after = this.cursors.positionOf(LIST_SCOPE, cursor, readArticlePosition);
    const rows = await this.articles.findPage(rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(LIST_SCOPE, [last.listedAt.toISOString(), last.id]));
    return { items: page.items.map(toArticleSummaryDto), nextCursor: page.nextCursor };
  }

  /** The essay with its margin counts, and the event number they are current to (one snapshot). */
  get(slug: string): Promise<ArticleDto> {
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      return toArticleDto(article, await this.articles.findBlocks(article.id, tx));
    });
  }

  /**
   * Admins publish an essay written in Markdown. Its slug comes from the title, numbered (`-2`, `-3`, ...) when taken;
   * the unique index on slug decides between concurrent requests, and the loser moves on to the next number. The
   * essay is listed first (listedAt is now, whatever its publishedAt).
   */
  async create(input: CreateArticleDto, viewer: Viewer): Promise<ArticleDto> {
    const actorId = requireAdmin(viewer);
    const parsed = parseMarkdownBlocks(input.body);
    if (parsed.length === 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'body has no text once thematic breaks and raw html are left out.',
      );
    }
    if (parsed.length > MAX_BLOCKS)
      throw new DomainError(ErrorCode.ValidationFailed, `body must have at most ${MAX_BLOCKS} blocks.`);
    const base = slugify(input.title);
    const fields = {
      title: input.title,
      author: input.author,
      publishedAt: input.publishedAt ? new Date(input.publishedAt) : null,
      listedAt: new Date(),
      excerpt: excerptOf(parsed),
      tags: input.tags ?? [],
      source: input.source ?? null,
      importKey: null,
    };
    return this.uow.run(async (tx) => {
      for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
        const slug = firstFreeSlug(base, await this.articles.findSlugsNumbered(tx, base));
        // The slug is the article's key for its block ids: unique, and fixed from now on.
        const blocks = markdownBlocksWithIds(`article:${slug}`, parsed);
        const article = await this.articles.insertUnlessSlugTaken(tx, { ...fields, slug }, blocks);
        if (!article) continue;
        await this.audit.record(tx, {
          actorId,
          action: 'article.create',
          articleId: article.id,
          details: { slug, title: article.title },
        });
        return toArticleDto(article, await this.articles.findBlocks(article.id, tx));
      }
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        'Many essays with this title are being created at once; try again.',
        1,
      );
    });
  }

  /** Moderators change an article's locked / premoderation / slow-mode settings; followers hear of it at once. */
  async updateSettings(slug: string, input: UpdateSettingsDto, viewer: Viewer): Promise<ArticleSettingsDto> {
    const actorId = requireModerator(viewer);
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length === 0)
      throw new DomainError(ErrorCode.ValidationFailed, 'Give at least one of locked, premoderation, slowModeSeconds.');
    const { id } = await this.requireBySlug(slug);
    return this.uow.run(async (tx) => {
      const article = await this.articles.updateSettings(tx, id, changes);
      const settings = toArticleSettingsDto(article);
      await this.audit.record(tx, { actorId, action: 'article.settings', articleId: id, details: changes });
      await this.bus.recordForArticle(tx, id, { type: 'article.updated', payload: { settings } });
      return settings;
    });
  }

  /** The article a slug names, or a 404 (also for a slug that could not be one). */
  async requireBySlug(slug: string, tx?: Tx): Promise<ArticleEntity> {
    const article = isArticleSlug(slug) ? await this.articles.findBySlug(slug, tx) : null;
    if (!article) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
    return article;
  }
}

function readArticlePosition([listedAt, id]: unknown[]): ArticlePosition | null {
  return typeof listedAt === 'string' && typeof id === 'string' ? { listedAt, id } : null;
}
