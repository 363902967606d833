import { type Viewer } from '../../auth/viewer.js';
import { toUserDto } from '../../users/dto/user.dto.js';
import { CommentAccess } from '../comment-access.js';
import { type CommentRow, type QuoteRow } from '../comments.repository.js';
import { type CommentDto, type QuoteDto } from './comment.dto.js';

export function toQuoteDto(quote: QuoteRow): QuoteDto {
  return quote.source === 'article'
    ? { source: 'article', blockId: quote.blockId ?? undefined, text: quote.text, verified: quote.verified }
    : { source: 'comment', commentId: quote.quotedCommentId ?? undefined, text: quote.text, verified: quote.verified };
}

/**
 * A comment as this viewer may see it: a placeholder without author, body or quote where the rules say so. A comment
 * the viewer may not see at all (pending, not theirs) can still be named by a reply it holds (a permalink's
 * ancestors): it is shown as a `removed` placeholder with nothing of its own (no counts, no dates beyond creation),
 * the way live followers saw it leave.
 */
export function toCommentDto(row: CommentRow, quotes: QuoteRow[], viewer: Viewer, myVote: number): CommentDto {
  if (!CommentAccess.canSee(row, viewer)) return hiddenPlaceholder(row);
  const showBody = CommentAccess.canSeeBody(row, viewer);
  const quoteDtos = showBody ? quotes.map(toQuoteDto) : [];
  return {
    id: row.id,
    articleId: row.articleId,
    parentId: row.parentId,
    depth: row.depth,
    author: showBody
      ? toUserDto({ id: row.authorId, username: row.authorUsername, displayName: row.authorDisplayName, role: row.authorRole })
      : null,
    body: showBody ? row.body : null,
    html: showBody ? row.html : null,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    status: row.status,
    stance: showBody ? row.stance : null,
    quote: quoteDtos[0] ?? null,
    quotes: quoteDtos,
    score: row.score,
    upvotes: row.upvotes,
    downvotes: row.downvotes,
    myVote,
    replyCount: row.replyCount,
  };
}

function hiddenPlaceholder(row: CommentRow): CommentDto {
  return {
    id: row.id,
    articleId: row.articleId,
    parentId: row.parentId,
    depth: row.depth,
    author: null,
    body: null,
    html: null,
    createdAt: row.createdAt.toISOString(),
    editedAt: null,
    status: 'removed',
    stance: null,
    quote: null,
    quotes: [],
    score: 0,
    upvotes: 0,
    downvotes: 0,
    myVote: 0,
    replyCount: 0,
  };
}
