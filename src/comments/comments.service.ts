import { Injectable } from '@nestjs/common';
import { type ArticleReadKey, ArticlesRepository } from '../articles/articles.repository.js';
import { ArticlesService } from '../articles/articles.service.js';
import { type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { parseId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { CommentAccess } from './comment-access.js';
import { CommentWritesService } from './comment-writes.service.js';
import { type CommentRow, CommentsRepository, type QuoteRow } from './comments.repository.js';
import {
  type CommentDto,
  type CommentNodeDto,
  type PermalinkDto,
  type RepliesPageDto,
  type ThreadPageDto,
} from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';
import { type CreateCommentDto } from './dto/write-comment.dto.js';
import {
  DEFAULT_DEPTH,
  DEFAULT_REPLY_LIMIT,
  type PermalinkQueryDto,
  type RepliesQueryDto,
  type ThreadQueryDto,
} from './dto/thread-query.dto.js';
import { SORT_SPECS, type ThreadSort } from './thread-sort.js';
import { type SortPosition, ThreadRepository } from './thread.repository.js';
import { RemovalReasons } from './removal-reasons.js';
import { ViewerFollows } from './viewer-follows.js';
import { ViewerVotes } from './viewer-votes.js';

/** The ancestors a permalink answer carries at most: the nearest ones (moreAncestors counts those above them). */
export const MAX_ANCESTORS = 20;

interface TreeShape {
  sort: ThreadSort;
  depth: number;
  replyLimit: number;
}

@Injectable()
export class CommentsService {
  constructor(
    private readonly threads: ThreadRepository,
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesService,
    private readonly articleRows: ArticlesRepository,
    private readonly cursors: CursorCodec,
    private readonly votes: ViewerVotes,
    private readonly follows: ViewerFollows,
    private readonly writes: CommentWritesService,
    private readonly removalReasons: RemovalReasons,
  ) {}

  async thread(slug: string, query: ThreadQueryDto, viewer: Viewer): Promise<ThreadPageDto> {
    return this.threadOf(await this.articles.requireBySlug(slug), query, viewer);
  }

  /**
   * A page of the thread of an article already read (the answer cache reads it first, for its key): the answer's
   * `seq` and `total` are the ones read with it.
   */
  async threadOf(
    article: Pick<ArticleReadKey, 'id' | 'eventSeq' | 'commentCount'>,
    query: ThreadQueryDto,
    viewer: Viewer,
  ): Promise<ThreadPageDto> {
    const shape = treeShape(query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.blockId && !(await this.articleRows.findBlock(article.id, query.blockId))) {
      throw new DomainError(ErrorCode.NotFound, 'No such block in this article.');
    }
    const stance = query.stance ?? null;
    const featured = query.featured === 'true';
    const scope = `thread:${article.id}:${shape.sort}:${query.blockId ?? ''}:${stance ?? ''}${featured ? ':featured' : ''}`;
    const after = this.readCursor(scope, shape.sort, query.cursor);
    const rows = query.blockId
      ? await this.threads.findQuotingBlockPage(
          article.id,
          query.blockId,
          viewer,
          shape.sort,
          rowsFor(limit),
          after,
          stance,
          featured,
        )
      : await this.threads.findTopLevelPage(article.id, viewer, shape.sort, rowsFor(limit), after, stance, featured);
    const page = pageOf(rows, limit, (last) => this.cursorAt(scope, shape.sort, last));
    const [items, total] = await Promise.all([
      this.buildTrees(article.id, page.items, viewer, shape),
      this.threads.countVisibleTo(article.id, viewer, article.commentCount),
    ]);
    return { items, nextCursor: page.nextCursor, total, seq: Number(article.eventSeq) };
  }

  /**
   * A new comment (CommentWritesService), answered with the viewer's own `following`: a retry with the same
   * Idempotency-Key replays the first answer, and the author may have followed the comment in between.
   */
  async create(slug: string, input: CreateCommentDto, viewer: Viewer, idempotencyKey?: string): Promise<CommentDto> {
    const created = await this.writes.create(slug, input, viewer, idempotencyKey);
    // Without a key the comment was just posted, and nobody follows a comment before it exists (a follow names one
    // already posted; ids are never reused): false, without a query.
    if (!idempotencyKey) return { ...created, following: false };
    return { ...created, following: (await this.myFollows(viewer, [created.id])).has(created.id) };
  }

  /** An edit (CommentWritesService), answered with the viewer's own `following`, which the write path cannot know. */
  async edit(rawId: string, body: string, viewer: Viewer): Promise<CommentDto> {
    const edited = await this.writes.edit(rawId, body, viewer);
    return { ...edited, following: (await this.myFollows(viewer, [edited.id])).has(edited.id) };
  }

  async permalink(rawId: string, query: PermalinkQueryDto, viewer: Viewer): Promise<PermalinkDto> {
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    // The article's event number comes with the comment: every event up to it is in the comment and in what follows.
    const comment = await this.threads.findWithArticle(id);
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    const shape = { ...treeShape(query), replyLimit: query.limit ?? DEFAULT_LIMIT };
    const aboveIds = comment.path.slice(0, -1);
    const ancestorRows = await this.comments.findByIdsInOrder(aboveIds.slice(-MAX_ANCESTORS));
    const ancestorIds = ancestorRows.map((r) => r.id);
    const [[node], ancestorQuotes, myVotes, myFollows, reasons] = await Promise.all([
      this.buildTrees(comment.articleId, [comment], viewer, shape),
      this.comments.findQuotes(ancestorIds),
      this.myVotes(viewer, ancestorIds),
      this.myFollows(viewer, ancestorIds),
      this.removalReasons.forViewer(ancestorRows, viewer),
    ]);
    const quotesOf = groupBy(ancestorQuotes, (q) => q.commentId);
    return {
      comment: node,
      ancestors: ancestorRows.map((r) =>
        toCommentDto(
          r,
          quotesOf.get(r.id) ?? [],
          viewer,
          myVotes.get(r.id) ?? 0,
          myFollows.has(r.id),
          reasons.get(r.id) ?? null,
        ),
      ),
      moreAncestors: Math.max(0, aboveIds.length - MAX_ANCESTORS),
      article: { id: comment.articleId, slug: comment.articleSlug, title: comment.articleTitle },
      seq: Number(comment.articleSeq),
    };
  }

  async replies(rawId: string, query: RepliesQueryDto, viewer: Viewer): Promise<RepliesPageDto> {
    const parent = await this.requireVisible(rawId, viewer);
    const shape = treeShape(query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const scope = `replies:${parent.id}:${shape.sort}`;
    const after = this.readCursor(scope, shape.sort, query.cursor);
    const rows = await this.threads.findRepliesPage(
      parent.articleId,
      parent.id,
      viewer,
      shape.sort,
      rowsFor(limit),
      after,
    );
    const page = pageOf(rows, limit, (last) => this.cursorAt(scope, shape.sort, last));
    return { items: await this.buildTrees(parent.articleId, page.items, viewer, shape), nextCursor: page.nextCursor };
  }

  /** The comment an id names if this viewer may see it; a 404 otherwise (the same answer as for no comment at all). */
  private async requireVisible(rawId: string, viewer: Viewer): Promise<CommentRow> {
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    const comment = await this.comments.findById(id);
    if (!comment || !CommentAccess.canSee(comment, viewer))
      throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    return comment;
  }

  /**
   * Nests `depth` levels of replies under the given comments: one query per level for the first `replyLimit` replies
   * of every comment of the level above, and one query for the quotes of everything on the page.
   */
  private async buildTrees(
    articleId: string,
    roots: CommentRow[],
    viewer: Viewer,
    shape: TreeShape,
  ): Promise<CommentNodeDto[]> {
    const childrenOf = new Map<string, CommentRow[]>();
    const all = [...roots];
    let level = roots;
    for (let d = 0; d < shape.depth && level.length > 0; d++) {
      const children = await this.threads.findFirstRepliesOf(
        articleId,
        level.map((r) => r.id),
        viewer,
        shape.sort,
        shape.replyLimit,
      );
      for (const child of children) {
        const siblings = childrenOf.get(child.parentId as string) ?? [];
        siblings.push(child);
        childrenOf.set(child.parentId as string, siblings);
      }
      all.push(...children);
      level = children;
    }
    const ids = all.map((r) => r.id);
    const [quotes, myVotes, myFollows, reasons] = await Promise.all([
      this.comments.findQuotes(ids),
      this.myVotes(viewer, ids),
      this.myFollows(viewer, ids),
      this.removalReasons.forViewer(all, viewer),
    ]);
    const quotesOf = groupBy(quotes, (q: QuoteRow) => q.commentId);
    const expanded = new Set(all.slice(0, all.length - level.length).map((r) => r.id));
    const toNode = (row: CommentRow): CommentNodeDto => {
      const children = childrenOf.get(row.id) ?? [];
      const shownCounted = children.filter((c) => c.published).length;
      const node = toCommentDto(
        row,
        quotesOf.get(row.id) ?? [],
        viewer,
        myVotes.get(row.id) ?? 0,
        myFollows.has(row.id),
        reasons.get(row.id) ?? null,
      ) as CommentNodeDto;
      node.replies = children.map(toNode);
      node.moreReplies = expanded.has(row.id) ? Math.max(0, row.replyCount - shownCounted) : row.replyCount;
      const lastShown = children.at(-1);
      node.repliesCursor =
        node.moreReplies > 0 && lastShown
          ? this.cursorAt(`replies:${row.id}:${shape.sort}`, shape.sort, lastShown)
          : null;
      return node;
    };
    return roots.map(toNode);
  }

  /** The viewer's votes on these comments: one query, none for anonymous readers. */
  private myVotes(viewer: Viewer, ids: string[]): Promise<Map<string, number>> {
    return viewer.userId ? this.votes.findMine(viewer.userId, ids) : Promise.resolve(new Map<string, number>());
  }

  /** The comments among these that the viewer follows: one query, none for anonymous readers. */
  private myFollows(viewer: Viewer, ids: string[]): Promise<Set<string>> {
    return viewer.userId ? this.follows.findFollowedComments(viewer.userId, ids) : Promise.resolve(new Set<string>());
  }

  /** A cursor for the rows after this one in this sort. */
  private cursorAt(scope: string, sort: ThreadSort, last: CommentRow): string {
    const spec = SORT_SPECS[sort];
    const key =
      spec.keyType === 'timestamp'
        ? last.createdAt.toISOString()
        : spec.column === 'score'
          ? last.score
          : spec.column === 'best_score'
            ? last.bestScore
            : last.controversy;
    return this.cursors.encode(scope, [key, last.id]);
  }

  private readCursor(scope: string, sort: ThreadSort, cursor: string | undefined): SortPosition | null {
    const keyType = SORT_SPECS[sort].keyType;
    return this.cursors.positionOf(scope, cursor, ([key, id]) => {
      const keyOk = keyType === 'timestamp' ? typeof key === 'string' : typeof key === 'number' && Number.isFinite(key);
      return keyOk && typeof id === 'string' ? { key: key as number | string, id } : null;
    });
  }
}

/**
 * A thread query with every default filled in, as the answer cache keys it: two requests that ask for the same page
 * in different words (`limit` left out or given as 50) share one answer.
 */
export function threadQueryKey(query: ThreadQueryDto): string {
  const shape = treeShape(query);
  return new URLSearchParams({
    sort: shape.sort,
    depth: String(shape.depth),
    replyLimit: String(shape.replyLimit),
    limit: String(query.limit ?? DEFAULT_LIMIT),
    cursor: query.cursor ?? '',
    blockId: query.blockId ?? '',
    stance: query.stance ?? '',
    featured: query.featured === 'true' ? 'true' : 'false',
  }).toString();
}

function treeShape(query: { sort?: ThreadSort; depth?: number; replyLimit?: number }): TreeShape {
  return {
    sort: query.sort ?? 'best',
    depth: query.depth ?? DEFAULT_DEPTH,
    replyLimit: query.replyLimit ?? DEFAULT_REPLY_LIMIT,
  };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
