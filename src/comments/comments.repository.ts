import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { changedRows } from '../database/query-results.js';
import { type Viewer, isModerator } from '../auth/viewer.js';
import { type Tx } from '../database/unit-of-work.js';
import { type UserRole } from '../users/user.entity.js';
import { type QuoteAnchor, type QuoteSource } from './comment-quote.entity.js';
import { type QuotePosition } from './quote-anchoring.js';
import { type CommentStatus, type Stance } from './comment.entity.js';

/** A comment as the read side needs it: the row plus its author's public fields. */
export interface CommentRow {
  id: string;
  articleId: string;
  parentId: string | null;
  path: string[];
  depth: number;
  authorId: string;
  authorUsername: string;
  authorDisplayName: string;
  authorRole: UserRole;
  body: string;
  html: string;
  status: CommentStatus;
  /** Readers saw some version of it; one they never saw stays invisible to them whatever its status. */
  published: boolean;
  stance: Stance | null;
  createdAt: Date;
  editedAt: Date | null;
  /** When a moderator featured it (a top-level comment), or null. */
  featuredAt: Date | null;
  upvotes: number;
  downvotes: number;
  score: number;
  bestScore: number;
  controversy: number;
  replyCount: number;
}

export interface QuoteRow {
  commentId: string;
  ordinal: number;
  source: QuoteSource;
  blockId: string | null;
  quotedCommentId: string | null;
  text: string;
  verified: boolean;
  /** Article quotes: where the words stand in the block now, how the latest revision left them, the passage now. */
  startOffset?: number | null;
  endOffset?: number | null;
  anchor?: QuoteAnchor;
  currentText?: string | null;
  /** Article quotes: the essay's revision the words were taken from. */
  revision?: number | null;
}

/** An article quote as re-anchoring reads it. */
export interface ArticleQuoteRow {
  id: string;
  blockId: string;
  text: string;
  prefix: string | null;
  suffix: string | null;
  startOffset: number | null;
  anchor: QuoteAnchor;
}

/** What re-anchoring writes back for one quote. */
export interface QuoteAnchoringUpdate {
  id: string;
  blockId: string;
  startOffset: number | null;
  endOffset: number | null;
  prefix: string | null;
  suffix: string | null;
  anchor: QuoteAnchor;
  currentText: string | null;
  verified: boolean;
}

export interface NewComment {
  articleId: string;
  parent: { id: string; path: string[] } | null;
  authorId: string;
  body: string;
  html: string;
  status: CommentStatus;
  stance: Stance | null;
  createdAt?: Date;
  importKey?: string | null;
}

export interface NewQuote {
  source: QuoteSource;
  blockId: string | null;
  quotedCommentId: string | null;
  text: string;
  verified: boolean;
  /** An article quote's place in its block and selector (null or absent: not located). */
  position?: QuotePosition | null;
}

export interface VoteCounters {
  score: number;
  upvotes: number;
  downvotes: number;
}

/** The select list of a CommentRow, from `comments c JOIN users u ON u.id = c.author_id`. */
export const COMMENT_COLUMNS = `
  c.id, c.article_id AS "articleId", c.parent_id AS "parentId", c.path, c.depth,
  c.author_id AS "authorId", u.username AS "authorUsername", u.display_name AS "authorDisplayName", u.role AS "authorRole",
  c.body, c.html, c.status, c.published, c.stance, c.created_at AS "createdAt", c.edited_at AS "editedAt",
  c.featured_at AS "featuredAt", c.upvotes, c.downvotes, c.score, c.best_score AS "bestScore", c.controversy, c.reply_count AS "replyCount"`;

/** One of a user's own comments as their data export lists it. */
export interface ExportedCommentRow {
  id: string;
  articleId: string;
  articleSlug: string;
  articleTitle: string;
  parentId: string | null;
  body: string;
  status: CommentStatus;
  stance: Stance | null;
  createdAt: Date;
  editedAt: Date | null;
  upvotes: number;
  downvotes: number;
}

/**
 * CommentAccess.canSeeBody in SQL, on `c` (comments, or search's comment_search, which has their status and author):
 * the comments this viewer may read (visible ones; their own pending ones; removed ones too for moderators; never a
 * deleted one). `params` receives the viewer's id when needed. Lists
 * outside a thread (a profile, search) keep only these: a placeholder there would tell nothing but that the author
 * wrote something hidden.
 */
export function readableBodySql(viewer: Viewer, params: unknown[]): string {
  if (isModerator(viewer)) return `c.status IN ('visible', 'pending', 'removed')`;
  if (!viewer.userId) return `c.status = 'visible'`;
  return `(c.status = 'visible' OR (c.status = 'pending' AND c.author_id = $${params.push(viewer.userId)}::bigint))`;
}

/**
 * A comment's own rows and their dependents (quotes, revisions, counters): what the writes lock, insert and change,
 * and the reads by id. Thread pages are read through ThreadRepository, the moderation queues through moderation's
 * ModerationQueueRepository.
 */
@Injectable()
export class CommentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, tx: Tx = this.dataSource.manager): Promise<CommentRow | null> {
    const rows: CommentRow[] = await tx.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Serialises one author's posts on one article until the transaction ends (slow mode's check-then-insert). */
  async lockAuthorOnArticle(tx: Tx, articleId: string, authorId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`slow:${articleId}:${authorId}`]);
  }

  /** The author's latest comment on the article (slow mode). */
  async lastCommentAt(tx: Tx, articleId: string, authorId: string): Promise<Date | null> {
    const rows: { at: Date | null }[] = await tx.query(
      'SELECT max(created_at) AS at FROM comments WHERE article_id = $1 AND author_id = $2',
      [articleId, authorId],
    );
    return rows[0]?.at ?? null;
  }

  /** The comment, its row locked until the transaction ends (edits, deletions and moderation of one comment queue up). */
  async findByIdForUpdate(tx: Tx, id: string): Promise<CommentRow | null> {
    const rows: CommentRow[] = await tx.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Replaces the body; the earlier version is kept as a revision dated from when it was written, marked public when
   * readers saw it (the comment was visible while it stood: a version is held or shown for its whole life, since a
   * comment only goes back to pending through an edit, which starts a new version).
   */
  async replaceBody(tx: Tx, current: CommentRow, body: string, html: string): Promise<void> {
    await tx.query(
      'INSERT INTO comment_revisions (comment_id, body, html, created_at, public) VALUES ($1, $2, $3, $4, $5)',
      [current.id, current.body, current.html, current.editedAt ?? current.createdAt, current.status === 'visible'],
    );
    await tx.query('UPDATE comments SET body = $2, html = $3, edited_at = now() WHERE id = $1', [
      current.id,
      body,
      html,
    ]);
  }

  /** How many earlier versions a comment has (the edit cap). */
  async countRevisions(tx: Tx, commentId: string): Promise<number> {
    const rows: { n: number }[] = await tx.query(
      'SELECT count(*)::int AS n FROM comment_revisions WHERE comment_id = $1',
      [commentId],
    );
    return rows[0].n;
  }

  /** A page of a comment's earlier versions, oldest first, after the revision `afterId`; `publicOnly` for readers. */
  findRevisionsPage(
    commentId: string,
    publicOnly: boolean,
    limit: number,
    afterId: string | null,
  ): Promise<{ id: string; body: string; html: string; createdAt: Date; public: boolean }[]> {
    return this.dataSource.query(
      `SELECT id, body, html, created_at AS "createdAt", public FROM comment_revisions
        WHERE comment_id = $1 AND (public OR NOT $2::boolean) AND ($4::bigint IS NULL OR id > $4::bigint)
        ORDER BY id LIMIT $3`,
      [commentId, publicOnly, limit, afterId],
    );
  }

  /** Whether the comment has replies of any status (a comment with none may be withdrawn without a trace). */
  async hasReplies(tx: Tx, commentId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query('SELECT 1 FROM comments WHERE parent_id = $1 LIMIT 1', [commentId]);
    return rows.length > 0;
  }

  /** Erases a comment that readers never saw; its quotes, revisions, votes and reports go with it. */
  async erase(tx: Tx, commentId: string): Promise<void> {
    await tx.query('DELETE FROM comments WHERE id = $1', [commentId]);
  }

  /**
   * Up to `limit` of the author's comments not yet deleted, locked, by essay and newest first within it: account
   * deletion walks them essay by essay (one article row after the other), replies before what they answer, a batch at
   * a time (each one it deletes leaves the set).
   */
  async lockAuthored(tx: Tx, authorId: string, limit: number): Promise<CommentRow[]> {
    return tx.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.author_id = $1 AND c.status <> 'deleted'
        ORDER BY c.article_id, c.id DESC
        LIMIT $2
        FOR UPDATE OF c`,
      [authorId, limit],
    );
  }

  /** Erases the text of every comment of the author and every earlier version of it (account deletion). */
  async eraseTextsOf(tx: Tx, authorId: string): Promise<void> {
    await tx.query(`DELETE FROM comment_revisions WHERE comment_id IN (SELECT id FROM comments WHERE author_id = $1)`, [
      authorId,
    ]);
    await tx.query(`UPDATE comments SET body = '', html = '' WHERE author_id = $1 AND (body <> '' OR html <> '')`, [
      authorId,
    ]);
  }

  /** Every comment of the author with its essay's reference, oldest first, at most `limit` (their data export). */
  findAuthoredForExport(tx: Tx, authorId: string, limit: number): Promise<ExportedCommentRow[]> {
    return tx.query(
      `SELECT c.id, c.article_id AS "articleId", a.slug AS "articleSlug", a.title AS "articleTitle",
              c.parent_id AS "parentId", c.body, c.status, c.stance, c.created_at AS "createdAt",
              c.edited_at AS "editedAt", c.upvotes, c.downvotes
         FROM comments c JOIN articles a ON a.id = c.article_id
        WHERE c.author_id = $1
        ORDER BY c.created_at, c.id
        LIMIT $2`,
      [authorId, limit],
    );
  }

  /** Every earlier version of these comments, oldest first (their author's data export). */
  findRevisionsOf(
    tx: Tx,
    commentIds: string[],
  ): Promise<{ commentId: string; body: string; createdAt: Date; public: boolean }[]> {
    if (commentIds.length === 0) return Promise.resolve([]);
    return tx.query(
      `SELECT comment_id AS "commentId", body, created_at AS "createdAt", public FROM comment_revisions
        WHERE comment_id = ANY($1::bigint[]) ORDER BY comment_id, id`,
      [commentIds],
    );
  }

  /** An essay's latest visible comments at any depth, newest first (its comment feed). */
  findLatestVisible(articleId: string, limit: number): Promise<CommentRow[]> {
    return this.dataSource.query(
      `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.article_id = $1 AND c.status = 'visible'
        ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
      [articleId, limit],
    );
  }

  /** Featured since `at`, or no longer featured (null). */
  async setFeatured(tx: Tx, id: string, at: Date | null): Promise<void> {
    await tx.query('UPDATE comments SET featured_at = $2 WHERE id = $1', [id, at]);
  }

  /** A comment that becomes visible is published for good: readers have seen it. */
  async setStatus(tx: Tx, id: string, status: CommentStatus): Promise<void> {
    await tx.query(
      `UPDATE comments SET status = $2::varchar, published = published OR $2::varchar = 'visible' WHERE id = $1`,
      [id, status],
    );
  }

  async adjustReplyCount(tx: Tx, id: string, delta: number): Promise<void> {
    if (delta !== 0) await tx.query('UPDATE comments SET reply_count = reply_count + $2 WHERE id = $1', [id, delta]);
  }

  /** The blocks a comment's quotes are anchored to now (each once; an orphaned quote is anchored nowhere). */
  async findQuotedBlockIds(tx: Tx, commentId: string): Promise<string[]> {
    const rows: { blockId: string }[] = await tx.query(
      `SELECT DISTINCT block_id AS "blockId" FROM comment_quotes
        WHERE comment_id = $1 AND block_id IS NOT NULL AND anchor <> 'orphaned'`,
      [commentId],
    );
    return rows.map((r) => r.blockId);
  }

  /**
   * Every article quote of an essay's comments, of comments in the given statuses (none given: whatever their status,
   * as re-anchoring after a revision takes them).
   */
  findArticleQuotes(tx: Tx, articleId: string, statuses?: readonly CommentStatus[]): Promise<ArticleQuoteRow[]> {
    return tx.query(
      `SELECT q.id, q.block_id AS "blockId", q.text, q.prefix, q.suffix, q.start_offset AS "startOffset", q.anchor
         FROM comment_quotes q JOIN comments c ON c.id = q.comment_id
        WHERE c.article_id = $1 AND q.source = 'article' AND ($2::varchar[] IS NULL OR c.status = ANY($2::varchar[]))
        ORDER BY q.id`,
      [articleId, statuses ?? null],
    );
  }

  /** Writes re-anchored quotes back, in one statement per thousand. */
  async updateAnchors(tx: Tx, updates: QuoteAnchoringUpdate[]): Promise<void> {
    for (let from = 0; from < updates.length; from += 1_000) {
      const batch = updates.slice(from, from + 1_000);
      await tx.query(
        `UPDATE comment_quotes q
            SET block_id = u.block_id, start_offset = u.start_offset, end_offset = u.end_offset, prefix = u.prefix,
                suffix = u.suffix, anchor = u.anchor, current_text = u.current_text, verified = u.verified
           FROM unnest($1::bigint[], $2::varchar[], $3::int[], $4::int[], $5::text[], $6::text[], $7::varchar[],
                       $8::text[], $9::boolean[])
                AS u(id, block_id, start_offset, end_offset, prefix, suffix, anchor, current_text, verified)
          WHERE q.id = u.id`,
        [
          batch.map((u) => u.id),
          batch.map((u) => u.blockId),
          batch.map((u) => u.startOffset),
          batch.map((u) => u.endOffset),
          batch.map((u) => u.prefix),
          batch.map((u) => u.suffix),
          batch.map((u) => u.anchor),
          batch.map((u) => u.currentText),
          batch.map((u) => u.verified),
        ],
      );
    }
  }

  /** Quotes taken from a comment (to re-verify them after it changes). */
  findQuotesOf(tx: Tx, quotedCommentId: string): Promise<{ id: string; text: string; verified: boolean }[]> {
    return tx.query('SELECT id, text, verified FROM comment_quotes WHERE quoted_comment_id = $1', [quotedCommentId]);
  }

  async setQuoteVerified(tx: Tx, quoteId: string, verified: boolean): Promise<void> {
    await tx.query('UPDATE comment_quotes SET verified = $2 WHERE id = $1', [quoteId, verified]);
  }

  /** The comments with these ids (ancestors from a path), in the order of the ids given. */
  async findByIdsInOrder(ids: string[], tx: Tx = this.dataSource.manager): Promise<CommentRow[]> {
    if (ids.length === 0) return [];
    return tx.query(
      `SELECT ${COMMENT_COLUMNS} FROM unnest($1::bigint[]) WITH ORDINALITY AS p(id, n)
        JOIN comments c ON c.id = p.id JOIN users u ON u.id = c.author_id
        ORDER BY p.n`,
      [ids],
    );
  }

  /** Quotes of the given comments, ordered by comment then ordinal. */
  async findQuotes(commentIds: string[], tx: Tx = this.dataSource.manager): Promise<QuoteRow[]> {
    if (commentIds.length === 0) return [];
    return tx.query(
      `SELECT comment_id AS "commentId", ordinal, source, block_id AS "blockId",
              quoted_comment_id AS "quotedCommentId", text, verified, start_offset AS "startOffset",
              end_offset AS "endOffset", anchor, current_text AS "currentText", revision
         FROM comment_quotes WHERE comment_id = ANY($1::bigint[])
        ORDER BY comment_id, ordinal`,
      [commentIds],
    );
  }

  /**
   * Inserts a comment with its materialised path (the parent's path plus its own id, taken from the sequence in the
   * same statement) and its quotes, and answers the row as findById reads it: in the insert's own statement, since a
   * new comment's transaction is one every writer of the essay may end up waiting for. The caller owns the
   * transaction and the counters.
   */
  async insertComment(manager: EntityManager, comment: NewComment, quotes: NewQuote[]): Promise<CommentRow> {
    const rows: CommentRow[] = await manager.query(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id), c AS (
         INSERT INTO comments (id, article_id, parent_id, path, depth, author_id, body, html, status, published, stance, created_at, import_key)
         SELECT next.id, $1, $2, $3::bigint[] || next.id, $4, $5, $6, $7, $8::varchar, $8::varchar <> 'pending', $9, coalesce($10::timestamptz, now()), $11 FROM next
         RETURNING *
       )
       SELECT ${COMMENT_COLUMNS} FROM c JOIN users u ON u.id = c.author_id`,
      [
        comment.articleId,
        comment.parent?.id ?? null,
        comment.parent?.path ?? [],
        comment.parent ? comment.parent.path.length : 0,
        comment.authorId,
        comment.body,
        comment.html,
        comment.status,
        comment.stance,
        comment.createdAt ?? null,
        comment.importKey ?? null,
      ],
    );
    const inserted = rows[0];
    for (const [ordinal, quote] of quotes.entries()) {
      await manager.query(
        `INSERT INTO comment_quotes (comment_id, ordinal, source, block_id, quoted_comment_id, text, verified,
                                     start_offset, end_offset, prefix, suffix, revision)
         VALUES ($1, $2, $3::varchar, $4, $5, $6, $7, $8, $9, $10, $11,
                 CASE WHEN $3::varchar = 'article' THEN (SELECT revision FROM articles WHERE id = $12) END)`,
        [
          inserted.id,
          ordinal,
          quote.source,
          quote.blockId,
          quote.quotedCommentId,
          quote.text,
          quote.verified,
          quote.position?.startOffset ?? null,
          quote.position?.endOffset ?? null,
          quote.position?.prefix ?? null,
          quote.position?.suffix ?? null,
          comment.articleId,
        ],
      );
    }
    return inserted;
  }

  /**
   * Moves a comment's vote counters and, in the same statement, its score and both derived sort keys. The row lock
   * of the UPDATE serialises concurrent voters, so the counters stay exact.
   */
  async applyVoteCounters(
    manager: EntityManager,
    id: string,
    upDelta: number,
    downDelta: number,
  ): Promise<VoteCounters> {
    const result: unknown = await manager.query(
      `UPDATE comments SET upvotes = upvotes + $2, downvotes = downvotes + $3, score = score + $2 - $3,
              best_score = comment_best_score(upvotes + $2, downvotes + $3),
              controversy = comment_controversy(upvotes + $2, downvotes + $3)
        WHERE id = $1
        RETURNING score, upvotes, downvotes`,
      [id, upDelta, downDelta],
    );
    return changedRows<VoteCounters>(result)[0];
  }

  /** Recomputes every comment's direct-reply counter in an article (after bulk imports). */
  async recountReplies(manager: EntityManager, articleId: string): Promise<void> {
    // One count per comment through the parent index, and only rows whose counter is off are written.
    await manager.query(
      `UPDATE comments c SET reply_count = r.n
         FROM (SELECT p.id, (SELECT count(*)::int FROM comments k WHERE k.parent_id = p.id AND k.published) AS n
                 FROM comments p WHERE p.article_id = $1) r
        WHERE c.id = r.id AND c.reply_count <> r.n`,
      [articleId],
    );
  }
}
