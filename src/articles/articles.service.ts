import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { excerptOf, slugify, stableBlockId } from './article-blocks.js';
import { type RevisionBlock } from './article-revision.entity.js';
import { matchBlocks } from './block-identity.js';
import { blocksToMarkdown } from './blocks-markdown.js';
import { EssayRevisionHooks } from './essay-revision-hooks.js';
import {
  type ArticleRevisionDto,
  type ArticleSourceDto,
  type EssayBodyDto,
  type EssayPreviewDto,
  type RevisionListDto,
  type RevisionPreviewDto,
  type UpdateArticleDto,
} from './dto/update-article.dto.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { type ArticleBlockEntity } from './article-block.entity.js';
import { type ArticleEntity } from './article.entity.js';
import {
  type ArticleChanges,
  type ArticlePosition,
  ArticlesRepository,
  type PostingRules,
} from './articles.repository.js';
import {
  type ArticleDto,
  type ArticlePageDto,
  type ArticleSettingsDto,
  type HighlightDto,
  MAX_BLOCK_HIGHLIGHTS,
  type UpdateSettingsDto,
  toArticleDto,
  toArticleSettingsDto,
  toArticleSummaryDto,
} from './dto/article.dto.js';
import { type CreateArticleDto } from './dto/create-article.dto.js';
import { type CommentCountsDto } from './dto/publisher-lookup.dto.js';
import { firstFreeSlug, isArticleSlug } from './free-slug.js';
import { type MarkdownBlock, markdownBlocksWithIds, parseMarkdownBlocks } from './markdown-blocks.js';
import { type Viewer, requireAdmin, requireModerator } from '../auth/viewer.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AuditLog } from '../audit/audit-log.js';
import { EventBus } from '../events/event-bus.js';

const LIST_SCOPE = 'articles';
/** Blocks of one essay: far more than a book chapter has, few enough for one answer. */
export const MAX_BLOCKS = 10_000;
/** Tries at a free slug when others take the chosen one first (each try is one more article created meanwhile). */
const SLUG_ATTEMPTS = 20;

/** An essay as a feed lists it. */
export interface FeedEssay {
  id: string;
  slug: string;
  title: string;
  author: string;
  excerpt: string;
  /** Its publication date, or when it was listed when the source gives none. */
  publishedAt: Date;
  updatedAt: Date;
}

/** An essay's forum page as a sitemap lists it: when the page last changed (the essay, or a comment on it). */
export interface SitemapEssay {
  slug: string;
  modifiedAt: Date;
}

@Injectable()
export class ArticlesService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly cursors: CursorCodec,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly audit: AuditLog,
    private readonly revisionHooks: EssayRevisionHooks,
  ) {}

  async list(limit = DEFAULT_LIMIT, cursor?: string): Promise<ArticlePageDto> {
    const after = this.cursors.positionOf(LIST_SCOPE, cursor, readArticlePosition);
    const rows = await this.articles.findPage(rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(LIST_SCOPE, [last.listedAt.toISOString(), last.id]));
    return { items: page.items.map(toArticleSummaryDto), nextCursor: page.nextCursor };
  }

  /** The latest essays, newest first as listed, with what a feed entry names (its Atom feed). */
  async latestForFeed(limit: number): Promise<FeedEssay[]> {
    const rows = await this.articles.findPage(limit, null);
    return rows.map(({ id, slug, title, author, excerpt, publishedAt, listedAt, updatedAt }) => ({
      id,
      slug,
      title,
      author,
      excerpt,
      publishedAt: publishedAt ?? listedAt,
      updatedAt,
    }));
  }

  /** The latest essays' forum pages, newest first as listed, with when each last changed. */
  async sitemapEntries(limit: number): Promise<SitemapEssay[]> {
    const rows = await this.articles.findSitemapEntries(limit);
    return rows.map((row) => ({ slug: row.slug, modifiedAt: new Date(row.modifiedAt) }));
  }

  /** The slug of the essay published at `url` on the publisher's site; 404 when none is. */
  async slugAt(url: string): Promise<string> {
    const slug = await this.articles.findSlugByCanonicalUrl(url);
    if (!slug) throw new DomainError(ErrorCode.ArticleNotFound, 'No essay has this address.');
    return slug;
  }

  /** The comment counts of the named essays, for a publisher's list pages (each slug once; unknown ones left out). */
  async commentCounts(slugs: string[]): Promise<CommentCountsDto> {
    const found = await this.articles.findCommentCounts([...new Set(slugs)]);
    return { counts: Object.fromEntries(found) };
  }

  /** The essay with its margin counts, and the event number they are current to (one snapshot). */
  get(slug: string): Promise<ArticleDto> {
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      return toArticleDto(
        article,
        await this.articles.findBlocks(article.id, tx),
        await this.highlights(article.id, tx),
      );
    });
  }

  /** The essay and its blocks, without its margin counts: what its page shows before any script runs (404 unknown). */
  readable(slug: string): Promise<{ article: ArticleEntity; blocks: ArticleBlockEntity[] }> {
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      return { article, blocks: await this.articles.findBlocks(article.id, tx) };
    });
  }

  /** Each block's quoted passages, as the article answer carries them. */
  private async highlights(articleId: string, tx: Tx): Promise<Map<string, HighlightDto[]>> {
    const byBlock = new Map<string, HighlightDto[]>();
    for (const { blockId, ...highlight } of await this.articles.findHighlights(articleId, MAX_BLOCK_HIGHLIGHTS, tx)) {
      const list = byBlock.get(blockId) ?? [];
      list.push(highlight);
      byBlock.set(blockId, list);
    }
    return byBlock;
  }

  /**
   * Admins publish an essay written in Markdown. Its slug comes from the title, numbered (`-2`, `-3`, ...) when taken;
   * the unique index on slug decides between concurrent requests, and the loser moves on to the next number. The
   * essay is listed first (listedAt is now, whatever its publishedAt).
   */
  async create(input: CreateArticleDto, viewer: Viewer): Promise<ArticleDto> {
    const actorId = requireAdmin(viewer);
    const parsed = parseEssay(input.body);
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
      canonicalUrl: input.canonicalUrl ?? null,
    };
    return this.uow.run(async (tx) => {
      for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
        const slug = firstFreeSlug(base, await this.articles.findSlugsNumbered(tx, base));
        // The slug is the article's key for its block ids: unique, and fixed from now on.
        const blocks = markdownBlocksWithIds(`article:${slug}`, parsed);
        const article = await this.articles.insertUnlessSlugTaken(tx, { ...fields, slug }, blocks, {
          body: input.body,
          byUserId: actorId,
        });
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

  /**
   * Admins revise an essay: any field of its publication (the slug never changes). A body that reads as the blocks the
   * essay has now (or is its current source) is no change; any other makes a revision: blocks keep their ids by
   * block-identity.ts (new ones get ids never used before: the key holds the revision), the revision is appended,
   * the domains above re-anchor what hangs on the blocks (EssayRevisionHooks), the margins are recounted and the
   * followers hear `article.revised`, all in one transaction. A request that changes nothing changes nothing, not
   * even updatedAt.
   */
  async update(slug: string, input: UpdateArticleDto, viewer: Viewer): Promise<ArticleDto> {
    const actorId = requireAdmin(viewer);
    const body = input.body !== undefined ? { text: input.body, parsed: parseEssay(input.body) } : null;
    const { id } = await this.requireBySlug(slug);
    return this.uow.run(async (tx) => {
      const article = await this.articles.findByIdForUpdate(tx, id);
      if (!article) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
      const current = await this.articles.findBlocks(id, tx);
      const changes = fieldChanges(article, input);
      let revised: { before: RevisionBlock[]; after: RevisionBlock[] } | null = null;
      const blocks = body && (await this.revisedBlocks(article, current, body.text, body.parsed, tx));
      if (body && blocks) {
        const revision = article.revision + 1;
        await this.articles.replaceBlocks(tx, id, blocks);
        await this.articles.insertRevision(tx, id, revision, {
          title: changes.title ?? article.title,
          body: body.text,
          byUserId: actorId,
          blocks,
        });
        changes.revision = revision;
        changes.excerpt = excerptOf(body.parsed);
        revised = { before: current, after: blocks };
      }
      if (Object.keys(changes).length === 0) return toArticleDto(article, current, await this.highlights(id, tx));
      const updated = await this.articles.updateArticle(tx, id, changes);
      if (revised) {
        await this.revisionHooks.run(tx, { articleId: id, revision: updated.revision, ...revised });
        await this.articles.recountBlocks(tx, id);
      }
      await this.audit.record(tx, {
        actorId,
        action: 'article.revise',
        articleId: id,
        details: { fields: Object.keys(changes).filter((key) => key !== 'excerpt'), revision: updated.revision },
      });
      await this.bus.recordForArticle(tx, id, { type: 'article.revised', payload: { revision: updated.revision } });
      // Read again: the event moved the article's seq, which the answer is current to.
      return toArticleDto(
        (await this.articles.findById(id, tx)) ?? updated,
        await this.articles.findBlocks(id, tx),
        await this.highlights(id, tx),
      );
    });
  }

  /** The blocks an essay written in Markdown would have once published (admins: the publish screen's preview). */
  preview(input: EssayBodyDto, viewer: Viewer): EssayPreviewDto {
    requireAdmin(viewer);
    return { blocks: parseEssay(input.body).map(({ kind, text, html }) => ({ kind, text, html })) };
  }

  /**
   * What saving a new body would do, read in one snapshot and written nowhere (no lock: it is a preview, and a
   * revision made meanwhile only makes it stale): the blocks with the ids the revision would give them, and the
   * anchors the quotes of visible and pending comments would take, by the rules PATCH runs.
   */
  async previewRevision(slug: string, input: EssayBodyDto, viewer: Viewer): Promise<RevisionPreviewDto> {
    requireAdmin(viewer);
    const parsed = parseEssay(input.body);
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      const current = await this.articles.findBlocks(article.id, tx);
      const after = await this.revisedBlocks(article, current, input.body, parsed, tx);
      const { quotes } = await this.revisionHooks.preview(tx, { articleId: article.id, after });
      return {
        revises: after !== null,
        blocks: (after ?? current).map(({ id, kind, text, html }) => ({ id, kind, text, html })),
        quotes,
      };
    });
  }

  /**
   * The blocks a new body gives the essay, ids by block-identity.ts (new ones from a key holding the revision, so
   * never an id used before), or null when it is no change: it reads as the blocks the essay has, or is its source.
   */
  private async revisedBlocks(
    article: ArticleEntity,
    current: RevisionBlock[],
    body: string,
    parsed: MarkdownBlock[],
    tx: Tx,
  ): Promise<(RevisionBlock & { position: number })[] | null> {
    if (sameBlocks(parsed, current) || body === (await this.sourceOf(article.id, article.revision, current, tx)))
      return null;
    const key = `article:${article.id}@${article.revision + 1}`;
    const kept = matchBlocks(current, parsed);
    return parsed.map((block, position) => ({
      id: kept[position] ?? stableBlockId(key, position, block.kind, block.source),
      position,
      kind: block.kind,
      text: block.text,
      html: block.html,
    }));
  }

  /** The essay's Markdown as PATCH takes it (admins: for the edit screen). */
  async source(slug: string, viewer: Viewer): Promise<ArticleSourceDto> {
    requireAdmin(viewer);
    return this.uow.snapshot(async (tx) => {
      const article = await this.requireBySlug(slug, tx);
      return {
        body: await this.sourceOf(article.id, article.revision, await this.articles.findBlocks(article.id, tx), tx),
      };
    });
  }

  /** Every revision of the essay, newest first. */
  async revisions(slug: string): Promise<RevisionListDto> {
    const article = await this.requireBySlug(slug);
    const rows = await this.articles.findRevisions(article.id);
    return {
      items: rows.map((row) => ({
        revision: row.revision,
        createdAt: row.createdAt.toISOString(),
        by:
          row.byUserId && row.byUsername && row.byDisplayName && row.byRole
            ? toUserDto({
                id: row.byUserId,
                username: row.byUsername,
                displayName: row.byDisplayName,
                role: row.byRole,
              })
            : null,
      })),
    };
  }

  /** One revision as the essay read then; an unknown one is a 404. */
  async revision(slug: string, rawRevision: string): Promise<ArticleRevisionDto> {
    const article = await this.requireBySlug(slug);
    const number = /^[1-9][0-9]{0,8}$/.test(rawRevision) ? Number(rawRevision) : null;
    const found = number === null ? null : await this.articles.findRevision(article.id, number);
    if (!found || number === null) throw new DomainError(ErrorCode.NotFound, 'No such revision of this essay.');
    return {
      revision: number,
      title: found.title,
      blocks: found.blocks.map((b) => ({ id: b.id, kind: b.kind, text: b.text, html: b.html })),
    };
  }

  /** The current revision's Markdown, or, for an essay never written in Markdown, its blocks written as Markdown. */
  private async sourceOf(articleId: string, revision: number, blocks: RevisionBlock[], tx: Tx): Promise<string> {
    const stored = await this.articles.findRevision(articleId, revision, tx);
    return stored?.body ?? blocksToMarkdown(blocks);
  }

  /** The article a slug names, or a 404 (also for a slug that could not be one). */
  async requireBySlug(slug: string, tx?: Tx): Promise<ArticleEntity> {
    const article = isArticleSlug(slug) ? await this.articles.findBySlug(slug, tx) : null;
    if (!article) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
    return article;
  }

  /** As {@link requireBySlug}, only what decides who may post in it and how (a post reads nothing else of it). */
  async requirePostingRules(slug: string, tx: Tx): Promise<PostingRules> {
    const rules = isArticleSlug(slug) ? await this.articles.findPostingRules(slug, tx) : null;
    if (!rules) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
    return rules;
  }
}

/** An essay's Markdown as blocks; a 400 when nothing is left or there are too many. */
function parseEssay(body: string): MarkdownBlock[] {
  const parsed = parseMarkdownBlocks(body);
  if (parsed.length === 0) {
    throw new DomainError(
      ErrorCode.ValidationFailed,
      'body has no text once thematic breaks and raw html are left out.',
    );
  }
  if (parsed.length > MAX_BLOCKS)
    throw new DomainError(ErrorCode.ValidationFailed, `body must have at most ${MAX_BLOCKS} blocks.`);
  return parsed;
}

/** Whether the parsed body is, block for block, the essay as it stands (kind, text and html). */
function sameBlocks(parsed: MarkdownBlock[], current: RevisionBlock[]): boolean {
  return (
    parsed.length === current.length &&
    parsed.every((b, i) => b.kind === current[i].kind && b.text === current[i].text && b.html === current[i].html)
  );
}

/** The fields of the request that differ from the article as it is (the body aside). */
function fieldChanges(article: ArticleEntity, input: UpdateArticleDto): ArticleChanges {
  const changes: ArticleChanges = {};
  if (input.title !== undefined && input.title !== article.title) changes.title = input.title;
  if (input.author !== undefined && input.author !== article.author) changes.author = input.author;
  if (input.tags !== undefined && input.tags.join('\0') !== article.tags.join('\0')) changes.tags = input.tags;
  if (input.source !== undefined && input.source !== article.source) changes.source = input.source;
  if (input.canonicalUrl !== undefined && input.canonicalUrl !== article.canonicalUrl)
    changes.canonicalUrl = input.canonicalUrl;
  if (input.publishedAt !== undefined) {
    const publishedAt = input.publishedAt === null ? null : new Date(input.publishedAt);
    if (publishedAt?.getTime() !== article.publishedAt?.getTime()) changes.publishedAt = publishedAt;
  }
  return changes;
}

function readArticlePosition([listedAt, id]: unknown[]): ArticlePosition | null {
  return typeof listedAt === 'string' && typeof id === 'string' ? { listedAt, id } : null;
}
