import { Injectable } from '@nestjs/common';
import { type ArticleEntity } from '../articles/article.entity.js';
import { ArticlesRepository, type CountedComment } from '../articles/articles.repository.js';
import { ArticlesService } from '../articles/articles.service.js';
import { type Viewer, isModerator, requireSignedIn, requireWriter } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { IdempotencyService } from '../common/idempotency/idempotency.service.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { isId, parseId } from '../common/ids.js';
import { htmlToText, mentionCandidates, renderMarkdown } from '../common/markdown/markdown.js';
import { BannedWords } from '../banned-words/banned-words.service.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { CommentAccess } from './comment-access.js';
import { type CommentStatus, MAX_COMMENT_DEPTH } from './comment.entity.js';
import { CommentEvents } from './comment-events.js';
import { counterDeltas, quoteStandsInComment, slowModeWaitSeconds } from './comment-rules.js';
import { type CommentRow, CommentsRepository, type NewQuote, type QuoteRow } from './comments.repository.js';
import { type CommentDto } from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';
import {
  type CommentPreviewDto,
  type CreateCommentDto,
  type HistoryDto,
  type HistoryQueryDto,
  MAX_EDITS,
  type QuoteInputDto,
} from './dto/write-comment.dto.js';
import { locateQuote } from './quote-anchoring.js';
import { quoteStandsIn } from './quote-verification.js';
import { UsersRepository } from '../users/users.repository.js';

/** How many of a deleting account's comments are read (and locked) at a time: memory bounded however many there are. */
const DELETION_BATCH = 500;

/** Posting, editing and deleting comments: access first, then the change and every counter it moves, in one transaction. */
@Injectable()
export class CommentWritesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
    private readonly articleRows: ArticlesRepository,
    private readonly idempotency: IdempotencyService,
    private readonly events: CommentEvents,
    private readonly bannedWords: BannedWords,
    private readonly cursors: CursorCodec,
    private readonly users: UsersRepository,
  ) {}

  async create(slug: string, input: CreateCommentDto, viewer: Viewer, idempotencyKey?: string): Promise<CommentDto> {
    const userId = requireWriter(viewer);
    const request = idempotencyKey ? { userId, key: idempotencyKey, fingerprint: ['comment', slug, input] } : null;
    // Read before the transaction: a second connection taken while holding one can starve the pool.
    const html = await this.render(input.body);
    const banned = isModerator(viewer) ? null : await this.bannedWords.firstMatchInHtml(html, input.quote?.text ?? '');
    return this.uow.run(async (tx) => {
      if (request) {
        const earlier = await this.idempotency.replay<CommentDto>(tx, request);
        if (earlier) return earlier;
      }
      const article = await this.articles.requirePostingRules(slug, tx);
      if (article.locked && !isModerator(viewer))
        throw new DomainError(ErrorCode.Forbidden, 'This discussion is locked.');
      const parent = input.parentId ? await this.requireParent(tx, input.parentId, article.id, viewer) : null;
      const quote = input.quote ? await this.verifiedQuote(tx, input.quote, article.id, viewer) : null;
      if (article.slowModeSeconds > 0 && !isModerator(viewer))
        await this.enforceSlowMode(tx, article.id, userId, article.slowModeSeconds);
      const held = !isModerator(viewer) && (article.premoderation || banned !== null);
      const status: CommentStatus = held ? 'pending' : 'visible';
      const row = await this.comments.insertComment(
        tx,
        {
          articleId: article.id,
          parent,
          authorId: userId,
          body: input.body,
          html,
          status,
          stance: input.stance ?? null,
        },
        quote ? [quote] : [],
      );
      const quotes: QuoteRow[] = quote
        ? [
            {
              ...quote,
              commentId: row.id,
              ordinal: 0,
              startOffset: quote.position?.startOffset ?? null,
              endOffset: quote.position?.endOffset ?? null,
              anchor: 'exact',
              currentText: null,
            },
          ]
        : [];
      const dto = toCommentDto(row, quotes, viewer, 0);
      if (request) await this.idempotency.remember(tx, request, 201, dto);
      // Last, in the round trip that commits, the writes to the article row (its event number, its counters): every
      // writer of the article waits for that row's lock from then until this transaction commits. The parent's reply
      // count moves before it; a quoted block's counters after it, as a revision locks the article before its blocks.
      const delta = counterDeltas(null, status, row.published);
      if (parent) await this.comments.adjustReplyCount(tx, parent.id, delta.replies);
      const articleCounters = this.articleRows.commentCounterChange(article.id, delta.visible, countedAs(row));
      const blockCounters = quote?.blockId
        ? this.articleRows.blockCounterChange([quote.blockId], delta.visible, row.stance)
        : null;
      this.events.posted(tx, row, quotes, dto, parent?.authorId ?? null, articleCounters, blockCounters);
      return dto;
    });
  }

  /**
   * An edit is reviewed like a new comment: by a non-moderator in a premoderated essay, or bringing in a banned word,
   * it sends a visible comment back to the pending queue (readers lose it until a moderator approves it again). A
   * locked thread refuses it (moderators excepted), and one comment takes at most MAX_EDITS edits.
   */
  async edit(rawId: string, body: string, viewer: Viewer): Promise<CommentDto> {
    requireWriter(viewer);
    const html = await this.render(body);
    const banned = isModerator(viewer) ? null : await this.bannedWords.firstMatchInHtml(html);
    return this.uow.run(async (tx) => {
      const comment = await this.requireOwn(tx, rawId, viewer, 'edit');
      const article = await this.requireOpenArticle(tx, comment.articleId, viewer);
      if ((await this.comments.countRevisions(tx, comment.id)) >= MAX_EDITS) {
        throw new DomainError(
          ErrorCode.Conflict,
          `A comment can be edited at most ${MAX_EDITS} times; post a new comment instead.`,
        );
      }
      await this.comments.replaceBody(tx, comment, body, html);
      const held = comment.status === 'visible' && !isModerator(viewer) && (banned !== null || article.premoderation);
      if (held) {
        await this.changeStatus(tx, comment, 'pending');
      }
      const row = (await this.comments.findById(comment.id, tx)) as CommentRow;
      await this.reverifyQuotesOf(tx, row);
      const quotes = await this.comments.findQuotes([row.id], tx);
      const authorView = toCommentDto(row, quotes, viewer, 0);
      await this.events.edited(tx, row, quotes, authorView, held);
      return authorView;
    });
  }

  /**
   * A comment readers saw becomes a `deleted` placeholder (its replies stay in place). One they never saw (never
   * approved in any version, without replies) is withdrawn: erased, with no placeholder, no counter moved and no
   * article event, so that readers learn nothing of it (only the moderators' queue counts move).
   */
  async delete(rawId: string, viewer: Viewer): Promise<void> {
    requireWriter(viewer);
    await this.uow.run(async (tx) => {
      const comment = await this.requireOwn(tx, rawId, viewer, 'delete');
      await this.requireOpenArticle(tx, comment.articleId, viewer);
      await this.deleteLocked(tx, comment);
    });
  }

  /**
   * Account deletion's part, in its transaction: each of the author's comments goes as their own delete would take
   * it (readers' placeholders, counters and live events alike; removed ones become placeholders too), then the text
   * of every one of them and of its earlier versions is erased, and the answers kept for their retried posts.
   * Returns how many comments it went through.
   */
  async deleteAllBy(tx: Tx, authorId: string): Promise<number> {
    let count = 0;
    for (;;) {
      const batch = await this.comments.lockAuthored(tx, authorId, DELETION_BATCH);
      for (const comment of batch) await this.deleteLocked(tx, comment);
      count += batch.length;
      if (batch.length < DELETION_BATCH) break;
    }
    await this.comments.eraseTextsOf(tx, authorId);
    await this.idempotency.forgetUser(tx, authorId);
    return count;
  }

  /** Deletes a comment locked in `tx` (see {@link delete}): a placeholder, or erased when readers never saw it. */
  private async deleteLocked(tx: Tx, comment: CommentRow): Promise<void> {
    if (!comment.published && !(await this.comments.hasReplies(tx, comment.id))) {
      await this.comments.erase(tx, comment.id);
      this.events.withdrawn(tx, comment);
      return;
    }
    await this.changeStatus(tx, comment, 'deleted');
    await this.events.deleted(tx, comment);
  }

  /**
   * A page of a comment's earlier versions, oldest first. Readers get only the versions they could once read; the
   * author and moderators get every version, each marked with whether it was ever public.
   */
  async history(rawId: string, query: HistoryQueryDto, viewer: Viewer): Promise<HistoryDto> {
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    const comment = await this.comments.findById(id);
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    if (!CommentAccess.canSeeBody(comment, viewer))
      throw new DomainError(ErrorCode.Forbidden, 'This comment’s text is not shown.');
    const scope = `history:${id}`;
    const afterId = this.cursors.positionOf(scope, query.cursor, ([last]) =>
      typeof last === 'string' && isId(last) ? last : null,
    );
    const limit = query.limit ?? MAX_EDITS;
    const publicOnly = !CommentAccess.canSeeHeldVersions(comment, viewer);
    const rows = await this.comments.findRevisionsPage(id, publicOnly, rowsFor(limit), afterId);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.id]));
    return {
      items: page.items.map((r) => ({
        body: r.body,
        html: r.html,
        createdAt: r.createdAt.toISOString(),
        public: r.public,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * What a body would look like posted, writing nothing: the reply box's preview. Signed-in readers only (a banned
   * one too: reading their own draft harms nobody).
   */
  async preview(body: string, viewer: Viewer): Promise<CommentPreviewDto> {
    requireSignedIn(viewer);
    return { html: await this.render(body) };
  }

  /** A body's html, its `@names` of existing users linked (names are looked up now: an edit renders them again). */
  private async render(body: string): Promise<string> {
    return renderMarkdown(body, await this.users.findUsernames(mentionCandidates(body)));
  }

  /**
   * The one way a comment's status changes (an edit sent back to review, a deletion, a moderator's decision): every
   * counter it touches moves, and quotes taken from it stand or fall with whether readers can read it. `comment` is
   * the row as it was before the change.
   */
  async changeStatus(tx: Tx, comment: CommentRow, to: CommentStatus): Promise<void> {
    if (comment.status === to) return;
    await this.comments.setStatus(tx, comment.id, to);
    await this.moveCounters(tx, comment, comment.status, to);
    await this.reverifyQuotesOf(tx, { ...comment, status: to });
  }

  /**
   * Moves every counter a status change touches (the rule: {@link counterDeltas}). `comment` is the row as it was
   * before the change. A new comment's counters move in `create`, around its event.
   */
  private async moveCounters(tx: Tx, comment: CommentRow, from: CommentStatus, to: CommentStatus): Promise<void> {
    const delta = counterDeltas(from, to, comment.published);
    if (comment.parentId) await this.comments.adjustReplyCount(tx, comment.parentId, delta.replies);
    if (delta.visible !== 0) {
      const blockIds = await this.comments.findQuotedBlockIds(tx, comment.id);
      await this.articleRows.adjustCommentCounters(tx, comment.articleId, delta.visible, blockIds, countedAs(comment));
    }
  }

  /** One comment per N seconds per reader on the article: a 429 saying how long to wait. */
  private async enforceSlowMode(tx: Tx, articleId: string, userId: string, seconds: number): Promise<void> {
    await this.comments.lockAuthorOnArticle(tx, articleId, userId);
    const retryAfter = slowModeWaitSeconds(
      await this.comments.lastCommentAt(tx, articleId, userId),
      seconds,
      Date.now(),
    );
    if (retryAfter > 0) {
      throw new DomainError(
        ErrorCode.RateLimited,
        `Slow mode: one comment every ${seconds} s here; wait ${retryAfter} s.`,
        retryAfter,
      );
    }
  }

  private async requireParent(
    tx: Tx,
    rawId: string,
    articleId: string,
    viewer: Viewer,
  ): Promise<{ id: string; path: string[]; authorId: string }> {
    const parent = await this.comments.findById(parseId(rawId, ErrorCode.CommentNotFound, 'comment'), tx);
    if (!parent || !CommentAccess.canSee(parent, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment to reply to.');
    if (parent.articleId !== articleId)
      throw new DomainError(ErrorCode.Conflict, 'That comment belongs to another article.');
    // A reply under a comment readers never saw would show them where it stands: wait for a moderator to approve it.
    // One they saw and that went back to review is a placeholder to them, and takes replies like a removed one.
    if (parent.status === 'pending' && !parent.published)
      throw new DomainError(ErrorCode.Conflict, 'That comment waits for a moderator; reply once it is approved.');
    if (parent.path.length > MAX_COMMENT_DEPTH) {
      throw new DomainError(
        ErrorCode.ThreadTooDeep,
        `This thread is as deep as a thread goes (${MAX_COMMENT_DEPTH} replies down); reply to a comment above.`,
      );
    }
    return { id: parent.id, path: parent.path, authorId: parent.authorId };
  }

  /**
   * A quote whose text stands in its source as it is now (422 otherwise), as it will be stored, and for an article
   * quote the essay's revision it was checked against.
   */
  private async verifiedQuote(
    tx: Tx,
    quote: QuoteInputDto,
    articleId: string,
    viewer: Viewer,
  ): Promise<NewQuote & { revision: number | null }> {
    const refused = (message: string) => new DomainError(ErrorCode.QuoteNotInSource, message);
    if (quote.source === 'article') {
      if (!quote.blockId || quote.commentId !== undefined)
        throw new DomainError(ErrorCode.ValidationFailed, 'An article quote names a blockId only.');
      const revision = await this.articleRows.holdText(tx, articleId);
      const block = await this.articleRows.findBlock(articleId, quote.blockId, tx);
      if (!block) throw refused('The quoted block is not part of this article.');
      // The occurrence the hints point at (the first without them); the text must stand in the block either way.
      const position = locateQuote(block.text, quote.text, quote);
      if (!position || !quoteStandsIn(quote.text, block.text))
        throw refused('The quoted text does not stand in that block.');
      return {
        source: 'article',
        blockId: block.id,
        quotedCommentId: null,
        text: quote.text,
        verified: true,
        position,
        revision,
      };
    }
    if (!quote.commentId || quote.blockId !== undefined)
      throw new DomainError(ErrorCode.ValidationFailed, 'A comment quote names a commentId only.');
    if (quote.prefix !== undefined || quote.suffix !== undefined || quote.start !== undefined)
      throw new DomainError(ErrorCode.ValidationFailed, 'prefix, suffix and start are for article quotes.');
    const source = await this.comments.findById(quote.commentId, tx);
    // Only what readers can read now may be quoted: a quote would publish the text of a held or removed comment.
    if (
      !source ||
      source.articleId !== articleId ||
      source.status !== 'visible' ||
      !CommentAccess.canSeeBody(source, viewer)
    ) {
      throw refused('The quoted comment is not one of this article that you can read.');
    }
    if (!quoteStandsIn(quote.text, htmlToText(source.html)) && !quoteStandsIn(quote.text, source.body)) {
      throw refused('The quoted text does not stand in that comment.');
    }
    return {
      source: 'comment',
      blockId: null,
      quotedCommentId: source.id,
      text: quote.text,
      verified: true,
      revision: null,
    };
  }

  /**
   * After a comment changes (its text or its status), the quotes taken from it are verified again against what
   * readers can read in it now: nothing while it is not visible, so that edits they cannot see move nothing.
   */
  private async reverifyQuotesOf(tx: Tx, comment: Pick<CommentRow, 'id' | 'status' | 'html'>): Promise<void> {
    for (const quote of await this.comments.findQuotesOf(tx, comment.id)) {
      const verified = quoteStandsInComment(quote.text, comment);
      if (verified !== quote.verified) await this.comments.setQuoteVerified(tx, quote.id, verified);
    }
  }

  /** The comment's article; in a locked one, a 403 to everyone but moderators. */
  private async requireOpenArticle(tx: Tx, articleId: string, viewer: Viewer): Promise<ArticleEntity> {
    const article = await this.articleRows.findById(articleId, tx);
    if (!article) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    if (article.locked && !isModerator(viewer))
      throw new DomainError(ErrorCode.Forbidden, 'This discussion is locked.');
    return article;
  }

  /** The viewer's own comment, locked; 404 when they may not see it, 403 when it is not theirs or no longer editable. */
  private async requireOwn(tx: Tx, rawId: string, viewer: Viewer, action: 'edit' | 'delete'): Promise<CommentRow> {
    const comment = await this.comments.findByIdForUpdate(tx, parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    if (!CommentAccess.isAuthor(comment, viewer))
      throw new DomainError(ErrorCode.Forbidden, `Only its author can ${action} a comment.`);
    if (comment.status === 'removed' || comment.status === 'deleted') {
      throw new DomainError(
        ErrorCode.Forbidden,
        `A ${comment.status} comment cannot be ${action === 'edit' ? 'edited' : 'deleted'}.`,
      );
    }
    return comment;
  }
}

/** What the article's and blocks' comment counters need to know of a comment. */
function countedAs(comment: CommentRow): CountedComment {
  return { createdAt: comment.createdAt, stance: comment.stance, topLevel: comment.parentId === null };
}
