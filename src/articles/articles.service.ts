import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
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
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { ModerationLogRepository } from '../moderation/moderation-log.repository.js';
import { LiveEvents } from '../realtime/live-events.service.js';

const LIST_SCOPE = 'articles';
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,158}[a-z0-9])?$/;

@Injectable()
export class ArticlesService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly cursors: CursorCodec,
    private readonly uow: UnitOfWork,
    private readonly live: LiveEvents,
    private readonly log: ModerationLogRepository,
  ) {}

  async list(limit = DEFAULT_LIMIT, cursor?: string): Promise<ArticlePageDto> {
    const after = cursor ? this.readCursor(cursor) : null;
    const rows = await this.articles.findPage(limit + 1, after);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toArticleSummaryDto),
      nextCursor: rows.length > limit && last ? this.cursors.encode(LIST_SCOPE, [last.listedAt.toISOString(), last.id]) : null,
    };
  }

  /** The essay with its margin counts, and the event number they are current to (one snapshot). */
  get(slug: string): Promise<ArticleDto> {
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      return toArticleDto(article, await this.articles.findBlocks(article.id, tx));
    });
  }

  /** Moderators change an article's locked / premoderation / slow-mode settings; followers hear of it at once. */
  async updateSettings(slug: string, input: UpdateSettingsDto, viewer: Viewer): Promise<ArticleSettingsDto> {
    const actorId = requireModerator(viewer);
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length === 0) throw new DomainError(ErrorCode.ValidationFailed, 'Give at least one of locked, premoderation, slowModeSeconds.');
    const { id } = await this.requireBySlug(slug);
    const { settings, emission } = await this.uow.run(async (tx) => {
      const article = await this.articles.updateSettings(tx, id, changes);
      const settings = toArticleSettingsDto(article);
      await this.log.append(tx, { actorId, action: 'article.settings', articleId: id, details: changes });
      return { settings, emission: await this.live.room(tx, id, 'article.updated', { settings }) };
    });
    this.live.publish([emission]);
    return settings;
  }

  /** The article a slug names, or a 404 (also for a slug that could not be one). */
  async requireBySlug(slug: string, tx?: Tx): Promise<ArticleEntity> {
    const article = SLUG_PATTERN.test(slug) ? await this.articles.findBySlug(slug, tx) : null;
    if (!article) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
    return article;
  }

  private readCursor(cursor: string): ArticlePosition {
    const [listedAt, id] = this.cursors.decode(LIST_SCOPE, cursor);
    if (typeof listedAt !== 'string' || typeof id !== 'string') {
      throw new DomainError(ErrorCode.BadCursor, 'The cursor is not one this server issued for this list.');
    }
    return { listedAt, id };
  }
}
