import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { STANCES, type Stance } from '../common/limits.js';
import { type Statement } from '../database/unit-of-work.js';
import { type ArticleRowChange } from '../events/article-event-log.repository.js';
import { type UserRole } from '../users/user.entity.js';
import { ArticleBlockEntity, type BlockKind } from './article-block.entity.js';
import { ArticleEntity } from './article.entity.js';
import { type RevisionBlock } from './article-revision.entity.js';

const IMPORT_LOCK = 7_204_114;
/**
 * The SET list that moves the stance counters by the parameter `delta` for the stance in the parameter `stance` (none
 * for null): the same for articles and blocks.
 */
function stanceMoves(delta: string, stance: string): string {
  return STANCES.map(
    (name) => `stance_${name} = stance_${name} + CASE WHEN ${stance}::varchar = '${name}' THEN ${delta} ELSE 0 END`,
  ).join(', ');
}
/** Block rows per INSERT statement: 6 parameters each, well under PostgreSQL's 65,535 per statement. */
const BLOCK_BATCH = 1_000;

/** What moving the comment counters needs to know of the comment. */
export interface CountedComment {
  createdAt: Date;
  stance: Stance | null;
  topLevel: boolean;
}

/** What decides who may post a comment in an article and how (ArticlesService.requirePostingRules). */
export interface PostingRules {
  id: string;
  locked: boolean;
  premoderation: boolean;
  slowModeSeconds: number;
}

/** What an answer about an article is current to (ArticlesRepository.findReadKey). */
export interface ArticleReadKey {
  id: string;
  /** The article's latest event number: every change to its thread moves it. */
  eventSeq: string;
  commentCount: number;
  /** Moves with every author's public name or role, which no article's number follows. */
  namesVersion: string;
}

export interface ArticlePosition {
  listedAt: string;
  id: string;
}

export interface NewArticle {
  slug: string;
  title: string;
  author: string;
  publishedAt: Date | null;
  listedAt: Date;
  excerpt: string;
  tags: string[];
  source: string | null;
  importKey: string | null;
  canonicalUrl?: string | null;
}

/** Who published an essay and its Markdown (null: not written in Markdown, derived on demand). */
export interface FirstRevision {
  body: string | null;
  byUserId: string | null;
}

/** The fields a revision may change. */
export interface ArticleChanges {
  title?: string;
  author?: string;
  publishedAt?: Date | null;
  tags?: string[];
  source?: string | null;
  canonicalUrl?: string | null;
  excerpt?: string;
  revision?: number;
}

export interface RevisionRow {
  revision: number;
  createdAt: Date;
  byUserId: string | null;
  byUsername: string | null;
  byDisplayName: string | null;
  byRole: UserRole | null;
}

export interface NewBlock {
  id: string;
  position: number;
  kind: BlockKind;
  text: string;
  html: string;
}

/** Every query on articles and their blocks. */
@Injectable()
export class ArticlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first (publication date, or import date when the source has none), then id. */
  async findPage(limit: number, after: ArticlePosition | null): Promise<ArticleEntity[]> {
    const qb = this.dataSource
      .getRepository(ArticleEntity)
      .createQueryBuilder('a')
      .orderBy('a.listedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit);
    if (after) qb.where('(a.listed_at, a.id) < (CAST(:listedAt AS timestamptz), CAST(:id AS bigint))', after);
    return qb.getMany();
  }

  /** The most recently listed essays' slugs, each with when its page last changed: the essay or its latest comment. */
  findSitemapEntries(limit: number): Promise<{ slug: string; modifiedAt: Date | string }[]> {
    return this.dataSource.query(
      `SELECT slug, GREATEST(updated_at, last_comment_at) AS "modifiedAt"
         FROM articles ORDER BY listed_at DESC, id DESC LIMIT $1`,
      [limit],
    );
  }

  /** The essay at this address on the publisher's site; when two name the same one, the one listed last. */
  async findSlugByCanonicalUrl(url: string): Promise<string | null> {
    const rows: { slug: string }[] = await this.dataSource.query(
      'SELECT slug FROM articles WHERE canonical_url = $1 ORDER BY listed_at DESC, id DESC LIMIT 1',
      [url],
    );
    return rows[0]?.slug ?? null;
  }

  /** Each known slug's visible comment count (`commentCount`); unknown slugs are left out. */
  async findCommentCounts(slugs: string[]): Promise<Map<string, number>> {
    const rows: { slug: string; commentCount: number }[] = await this.dataSource.query(
      'SELECT slug, comment_count AS "commentCount" FROM articles WHERE slug = ANY($1::varchar[])',
      [slugs],
    );
    return new Map(rows.map((r) => [r.slug, r.commentCount]));
  }

  findBySlug(slug: string, tx: EntityManager = this.dataSource.manager): Promise<ArticleEntity | null> {
    return tx.getRepository(ArticleEntity).findOneBy({ slug });
  }

  /** The article's id and the settings a new comment obeys, in a read of four columns (no entity to build). */
  async findPostingRules(slug: string, tx: EntityManager): Promise<PostingRules | null> {
    const rows: PostingRules[] = await tx.query(
      `SELECT id, locked, premoderation, slow_mode_seconds AS "slowModeSeconds" FROM articles WHERE slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async findIdBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM articles WHERE slug = $1', [slug]);
    return rows[0]?.id ?? null;
  }

  /**
   * What an answer about the article is current to, in one indexed read: its id, its latest event number, its visible
   * comments, and the number that moves with every author's name and role (AuthorNamesVersionEntity). Null: no such
   * article.
   */
  async findReadKey(slug: string): Promise<ArticleReadKey | null> {
    const rows: ArticleReadKey[] = await this.dataSource.query(
      `SELECT a.id, a.event_seq AS "eventSeq", a.comment_count AS "commentCount",
              COALESCE((SELECT n.version FROM author_names_version n WHERE n.id = 1), 0)::text AS "namesVersion"
         FROM articles a WHERE a.slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** Inside a transaction, pass it: a second connection taken while holding one can starve the pool under load. */
  findById(id: string, tx: EntityManager = this.dataSource.manager): Promise<ArticleEntity | null> {
    return tx.getRepository(ArticleEntity).findOneBy({ id });
  }

  findBlocks(articleId: string, tx: EntityManager = this.dataSource.manager): Promise<ArticleBlockEntity[]> {
    return tx.getRepository(ArticleBlockEntity).find({ where: { articleId }, order: { position: 'ASC' } });
  }

  findBlock(
    articleId: string,
    blockId: string,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<ArticleBlockEntity | null> {
    return tx.getRepository(ArticleBlockEntity).findOneBy({ articleId, id: blockId });
  }

  findByImportKey(importKey: string, manager: EntityManager = this.dataSource.manager): Promise<ArticleEntity | null> {
    return manager.getRepository(ArticleEntity).findOneBy({ importKey });
  }

  /** Changes the given settings; returns the article as it now is (row locked until the transaction ends). */
  async updateSettings(
    tx: EntityManager,
    id: string,
    settings: { locked?: boolean; premoderation?: boolean; slowModeSeconds?: number },
  ): Promise<ArticleEntity> {
    await tx.getRepository(ArticleEntity).update({ id }, settings);
    return tx.getRepository(ArticleEntity).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Serialises imports across processes until the caller's transaction ends. */
  async lockImports(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
  }

  /** Inserts an article with its blocks; the caller supplies the transaction. */
  async insertWithBlocks(
    manager: EntityManager,
    article: NewArticle,
    blocks: NewBlock[],
    first: FirstRevision = { body: null, byUserId: null },
  ): Promise<ArticleEntity> {
    const saved = await manager.getRepository(ArticleEntity).save(manager.getRepository(ArticleEntity).create(article));
    await this.insertBlocks(manager, saved.id, blocks);
    await this.insertRevision(manager, saved.id, 1, { title: saved.title, blocks, ...first });
    return manager.getRepository(ArticleEntity).findOneByOrFail({ id: saved.id });
  }

  /**
   * Inserts an article with its blocks unless its slug is taken; then returns null and writes nothing. The unique index
   * on slug decides, also against a concurrent insert of the same slug (this one waits for that one's outcome).
   */
  async insertUnlessSlugTaken(
    tx: EntityManager,
    article: NewArticle,
    blocks: NewBlock[],
    first: FirstRevision,
  ): Promise<ArticleEntity | null> {
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO articles (slug, title, author, published_at, listed_at, excerpt, tags, source, import_key, canonical_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [
        article.slug,
        article.title,
        article.author,
        article.publishedAt,
        article.listedAt,
        article.excerpt,
        article.tags,
        article.source,
        article.importKey,
        article.canonicalUrl ?? null,
      ],
    );
    if (inserted.length === 0) return null;
    const id = String(inserted[0].id);
    await this.insertBlocks(tx, id, blocks);
    await this.insertRevision(tx, id, 1, { title: article.title, blocks, ...first });
    return tx.getRepository(ArticleEntity).findOneByOrFail({ id });
  }

  /** The slugs in use among `base` and its numbered forms (`base-2`, `base-3`, ...). */
  async findSlugsNumbered(tx: EntityManager, base: string): Promise<string[]> {
    const rows: { slug: string }[] = await tx.query(
      `SELECT slug FROM articles WHERE slug = $1 OR (left(slug, $2) = $3 AND substr(slug, $2 + 1) ~ '^[0-9]+$')`,
      [base, base.length + 1, `${base}-`],
    );
    return rows.map((row) => row.slug);
  }

  /**
   * Holds the essay's text still until the caller's transaction ends: a revision (which locks the row FOR UPDATE)
   * waits, while other writers of the article (whose UPDATE of its counters takes FOR NO KEY UPDATE) do not. Taken by
   * a comment that quotes the essay before it reads the quoted block, so that a revision cannot change the blocks
   * between the quote's check and its commit without re-anchoring it. Answers the revision the text is held at (read
   * once the lock is granted: a revision that was committing is counted).
   */
  async holdText(tx: EntityManager, id: string): Promise<number> {
    const rows: { revision: number }[] = await tx.query('SELECT revision FROM articles WHERE id = $1 FOR KEY SHARE', [
      id,
    ]);
    return rows[0]?.revision ?? 1;
  }

  /** The article, its row locked until the transaction ends (revisions of one essay queue up). */
  findByIdForUpdate(tx: EntityManager, id: string): Promise<ArticleEntity | null> {
    return tx.getRepository(ArticleEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Changes the given fields and moves updatedAt; returns the article as it now is. */
  async updateArticle(tx: EntityManager, id: string, changes: ArticleChanges): Promise<ArticleEntity> {
    await tx.getRepository(ArticleEntity).update({ id }, { ...changes, updatedAt: () => 'now()' });
    return tx.getRepository(ArticleEntity).findOneByOrFail({ id });
  }

  /** The essay's blocks replaced by these (kept blocks keep their id; counters are recounted by the caller). */
  async replaceBlocks(tx: EntityManager, articleId: string, blocks: NewBlock[]): Promise<void> {
    await tx.query('DELETE FROM article_blocks WHERE article_id = $1', [articleId]);
    await this.insertBlocks(tx, articleId, blocks);
  }

  /** Appends a revision (the table refuses any change to one already written). */
  async insertRevision(
    tx: EntityManager,
    articleId: string,
    revision: number,
    content: { title: string; body: string | null; byUserId: string | null; blocks: RevisionBlock[] },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO article_revisions (article_id, revision, by_user_id, title, body, blocks)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        articleId,
        revision,
        content.byUserId,
        content.title,
        content.body,
        JSON.stringify(content.blocks.map((b) => ({ id: b.id, kind: b.kind, text: b.text, html: b.html }))),
      ],
    );
  }

  /** Every revision of an essay, newest first, with who wrote it. */
  findRevisions(articleId: string): Promise<RevisionRow[]> {
    return this.dataSource.query(
      `SELECT r.revision, r.created_at AS "createdAt", u.id AS "byUserId", u.username AS "byUsername",
              u.display_name AS "byDisplayName", u.role AS "byRole"
         FROM article_revisions r LEFT JOIN users u ON u.id = r.by_user_id
        WHERE r.article_id = $1 ORDER BY r.revision DESC`,
      [articleId],
    );
  }

  /** One revision's title, Markdown (null: never written in Markdown) and blocks. */
  async findRevision(
    articleId: string,
    revision: number,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<{ title: string; body: string | null; blocks: RevisionBlock[] } | null> {
    const rows: { title: string; body: string | null; blocks: RevisionBlock[] }[] = await tx.query(
      'SELECT title, body, blocks FROM article_revisions WHERE article_id = $1 AND revision = $2',
      [articleId, revision],
    );
    return rows[0] ?? null;
  }

  private async insertBlocks(tx: EntityManager, articleId: string, blocks: NewBlock[]): Promise<void> {
    for (let from = 0; from < blocks.length; from += BLOCK_BATCH) {
      await tx
        .getRepository(ArticleBlockEntity)
        .insert(blocks.slice(from, from + BLOCK_BATCH).map((block) => ({ ...block, articleId })));
    }
  }

  /**
   * Moves the article's visible-comment counter (and its blocks' counters, for the blocks the comment is anchored to
   * now) by `delta`, and the stance counters with them: the article's for a top-level comment that takes a stance,
   * the blocks' for any comment that does. `lastCommentAt` moves forward on a new comment and is recomputed when one
   * leaves.
   */
  async adjustCommentCounters(
    tx: EntityManager,
    articleId: string,
    delta: number,
    blockIds: string[],
    comment: CountedComment,
  ): Promise<void> {
    if (delta === 0) return;
    const params: unknown[] = [articleId];
    const set = this.commentCounterChange(articleId, delta, comment)((value) => `$${params.push(value)}`);
    await tx.query(`UPDATE articles SET ${set} WHERE id = $1`, params);
    await this.adjustBlockCounters(tx, blockIds, delta, comment.stance);
  }

  /**
   * The article row's part of {@link adjustCommentCounters}, as a change for the statement that numbers the comment's
   * event (ArticleEventLog.append): that statement locks the row until COMMIT, and every writer of the article waits
   * for the lock, so the counters move there rather than in a round trip of their own while it is held.
   */
  commentCounterChange(articleId: string, delta: number, comment: CountedComment): ArticleRowChange {
    const articleStance = comment.topLevel ? comment.stance : null;
    return (bind) => {
      const by = bind(delta);
      let lastCommentAt: string;
      if (delta > 0) {
        const at = bind(comment.createdAt);
        lastCommentAt = `greatest(coalesce(last_comment_at, ${at}), ${at})`;
      } else {
        lastCommentAt = `(SELECT max(created_at) FROM comments WHERE article_id = ${bind(articleId)} AND status = 'visible')`;
      }
      return `comment_count = comment_count + ${by}, last_comment_at = ${lastCommentAt}, ${stanceMoves(by, bind(articleStance))}`;
    };
  }

  /** The blocks' part of {@link adjustCommentCounters}: their rows, not the article's. */
  async adjustBlockCounters(
    tx: EntityManager,
    blockIds: string[],
    delta: number,
    stance: Stance | null,
  ): Promise<void> {
    const change = this.blockCounterChange(blockIds, delta, stance);
    if (change) await tx.query(change.text, change.values);
  }

  /** {@link adjustBlockCounters}' statement, for a caller that sends it itself (null: nothing moves). */
  blockCounterChange(blockIds: string[], delta: number, stance: Stance | null): Statement | null {
    if (delta === 0 || blockIds.length === 0) return null;
    return {
      text: `UPDATE article_blocks SET comment_count = comment_count + $2, ${stanceMoves('$2', '$3')}
        WHERE id = ANY($1::varchar[])`,
      values: [blockIds, delta, stance],
    };
  }

  /**
   * Recomputes the article's and its blocks' comment counters from the comments themselves (visible comments only).
   * Used after bulk imports; everyday writes move the counters in their own transaction.
   */
  async recountComments(manager: EntityManager, articleId: string): Promise<void> {
    await this.recountBlocks(manager, articleId);
    await manager.query(
      `UPDATE articles a SET comment_count = s.n, last_comment_at = s.last, stance_agree = s.agree,
              stance_disagree = s.disagree, stance_question = s.question, stance_evidence = s.evidence
         FROM (SELECT count(*)::int AS n, max(created_at) AS last,
                      count(*) FILTER (WHERE parent_id IS NULL AND stance = 'agree')::int AS agree,
                      count(*) FILTER (WHERE parent_id IS NULL AND stance = 'disagree')::int AS disagree,
                      count(*) FILTER (WHERE parent_id IS NULL AND stance = 'question')::int AS question,
                      count(*) FILTER (WHERE parent_id IS NULL AND stance = 'evidence')::int AS evidence
                 FROM comments WHERE article_id = $1 AND status = 'visible') s
        WHERE a.id = $1`,
      [articleId],
    );
  }

  /**
   * The passages of an essay that visible comments quote, by where each quote is anchored now, with how many comments
   * quote each: at most `perBlock` per block, the most quoted (then the first in the text), in the order they stand.
   */
  async findHighlights(
    articleId: string,
    perBlock: number,
    tx: EntityManager = this.dataSource.manager,
  ): Promise<{ blockId: string; start: number; end: number; count: number }[]> {
    return tx.query(
      `SELECT "blockId", start, "end", count FROM (
         SELECT q.block_id AS "blockId", q.start_offset AS start, q.end_offset AS "end",
                count(DISTINCT c.id)::int AS count,
                row_number() OVER (PARTITION BY q.block_id
                                   ORDER BY count(DISTINCT c.id) DESC, q.start_offset, q.end_offset) AS rank
           FROM article_blocks b
           JOIN comment_quotes q ON q.block_id = b.id
           JOIN comments c ON c.id = q.comment_id
          WHERE b.article_id = $1 AND c.article_id = $1 AND c.status = 'visible' AND q.anchor <> 'orphaned'
            AND q.start_offset IS NOT NULL AND q.end_offset IS NOT NULL
          GROUP BY q.block_id, q.start_offset, q.end_offset) s
        WHERE rank <= $2
        ORDER BY "blockId", start, "end"`,
      [articleId, perBlock],
    );
  }

  /** Recomputes the margin counters of an essay's blocks from the quotes anchored to them now (visible comments). */
  async recountBlocks(manager: EntityManager, articleId: string): Promise<void> {
    await manager.query(
      `UPDATE article_blocks b SET comment_count = coalesce(s.n, 0), stance_agree = coalesce(s.agree, 0),
              stance_disagree = coalesce(s.disagree, 0), stance_question = coalesce(s.question, 0),
              stance_evidence = coalesce(s.evidence, 0)
         FROM article_blocks b2
         LEFT JOIN (SELECT k.block_id, count(*)::int AS n,
                           count(*) FILTER (WHERE k.stance = 'agree')::int AS agree,
                           count(*) FILTER (WHERE k.stance = 'disagree')::int AS disagree,
                           count(*) FILTER (WHERE k.stance = 'question')::int AS question,
                           count(*) FILTER (WHERE k.stance = 'evidence')::int AS evidence
                      FROM (SELECT DISTINCT q.block_id, c.id, c.stance
                              FROM comment_quotes q JOIN comments c ON c.id = q.comment_id
                             WHERE c.article_id = $1 AND c.status = 'visible' AND q.block_id IS NOT NULL
                               AND q.anchor <> 'orphaned') k
                     GROUP BY k.block_id) s ON s.block_id = b2.id
        WHERE b.id = b2.id AND b2.article_id = $1`,
      [articleId],
    );
  }
}
