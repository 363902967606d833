import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ArticlesService } from '../articles/articles.service.js';
import { type Viewer } from '../auth/viewer.js';
import { CommentLists } from '../comments/comment-lists.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { type SearchPageDto, type SearchQueryDto } from './dto/search.dto.js';
import { type SearchMatchRow, type SearchPosition, SearchRepository } from './search.repository.js';
import { cutEnds, snippetHtml } from './snippet.js';

/**
 * Full-text search of essays and comments, best match first, each comment as the viewer may see it in its thread
 * (only those whose body the viewer may read are searched at all: a pending, removed or deleted comment's words never
 * find it for someone who may not read them).
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly search: SearchRepository,
    private readonly articles: ArticlesService,
    private readonly comments: CommentsRepository,
    private readonly lists: CommentLists,
    private readonly cursors: CursorCodec,
  ) {}

  async find(query: SearchQueryDto, viewer: Viewer): Promise<SearchPageDto> {
    const articleId = query.article ? (await this.articles.requireBySlug(query.article)).id : null;
    const limit = query.limit ?? DEFAULT_LIMIT;
    // The cursor belongs to one query on one essay (a digest: the query may be longer than a cursor may be).
    const scope = `search:${createHash('sha256').update(query.q).digest('base64url').slice(0, 22)}:${articleId ?? ''}`;
    const after = this.cursors.positionOf<SearchPosition>(scope, query.cursor, ([rank, kindOrder, id]) =>
      typeof rank === 'number' &&
      Number.isFinite(rank) &&
      (kindOrder === 0 || kindOrder === 1) &&
      typeof id === 'string'
        ? { rank, kindOrder, id }
        : null,
    );
    const rows = await this.search.findMatches(query.q, articleId, viewer, rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, positionOf(last)));
    const commentIds = page.items.flatMap((r) => (r.commentId ? [r.commentId] : []));
    const commentRows = await this.comments.findByIdsInOrder(commentIds);
    const mapped = await this.lists.forViewer(commentRows, viewer);
    const byId = new Map(mapped.map((c) => [c.id, c]));
    return {
      items: page.items.map((row) => ({
        kind: row.kind,
        article: { id: row.articleId, slug: row.articleSlug, title: row.articleTitle },
        comment: row.commentId ? (byId.get(row.commentId) ?? null) : null,
        snippet: snippetHtml(row.headline, cutEnds(row.headline, row.textStart, row.textEnd)),
      })),
      nextCursor: page.nextCursor,
      // Told by any row of the page; a page past the last match has none, and then nothing is left to tell of.
      newestMatchesOnly: rows[0]?.newestOnly ?? null,
    };
  }
}

function positionOf(row: SearchMatchRow): [number, number, string] {
  return [row.rank, row.kind === 'article' ? 1 : 0, row.commentId ?? row.articleId];
}
