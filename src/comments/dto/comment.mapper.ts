import { type Viewer } from '../../auth/viewer.js';
import { toUserDto } from '../../users/dto/user.dto.js';
import { CommentAccess } from '../comment-access.js';
import { type CommentRow, type QuoteRow } from '../comments.repository.js';
import { type CommentDto, type QuoteDto } from './comment.dto.js';

export function toQuoteDto(quote: QuoteRow): QuoteDto {
  if (quote.source === 'comment')
    return {
      source: 'comment',
      commentId: quote.quotedCommentId ?? undefined,
      text: quote.text,
      verified: quote.verified,
    };
  const anchor = quote.anchor ?? 'exact';
  const placed = anchor !== 'orphaned';
  return {
    source: 'article',
    blockId: quote.blockId ?? undefined,
    text: quote.text,
    verified: quote.verified,
    start: placed ? (quote.startOffset ?? null) : null,
    end: placed ? (quote.endOffset ?? null) : null,
    anchor,
    current: anchor === 'changed' ? (quote.currentText ?? null) : null,
    revision: quote.revision ?? null,
  };
}

/**
 * A comment as this viewer may see it. Where the rules hide its body (removed, deleted, or sent back to review by an
 * edit, for readers) it is a placeholder with nothing of its own: no author, body, stance, quote, votes or `editedAt`
 * (an edit made while it was hidden is no one else's business); only where it stands and `replyCount`, since its
 * replies readers see stay in place under it. A comment the viewer may not see at all (never published, not theirs)
 * can still be named by a reply it holds (a permalink's ancestors, in data imported that way): it is the same
 * placeholder with no replies counted.
 */
export function toCommentDto(
  row: CommentRow,
  quotes: QuoteRow[],
  viewer: Viewer,
  myVote: number,
  following = false,
  removalReason: string | null = null,
): CommentDto {
  if (!CommentAccess.canSee(row, viewer)) return placeholder(row, 'removed', 0, following, null);
  const reason = CommentAccess.canSeeRemovalReason(row, viewer) ? removalReason : null;
  if (!CommentAccess.canSeeBody(row, viewer))
    return placeholder(row, row.status === 'deleted' ? 'deleted' : 'removed', row.replyCount, following, reason);
  const quoteDtos = quotes.map(toQuoteDto);
  return {
    id: row.id,
    articleId: row.articleId,
    parentId: row.parentId,
    depth: row.depth,
    author: toUserDto({
      id: row.authorId,
      username: row.authorUsername,
      displayName: row.authorDisplayName,
      role: row.authorRole,
    }),
    body: row.body,
    html: row.html,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    status: row.status,
    stance: row.stance,
    quote: quoteDtos[0] ?? null,
    quotes: quoteDtos,
    score: row.score,
    upvotes: row.upvotes,
    downvotes: row.downvotes,
    myVote,
    following,
    removalReason: reason,
    featured: row.featuredAt !== null,
    replyCount: row.replyCount,
  };
}

/**
 * `following` is the viewer's own fact, not the comment's: a placeholder keeps it, so that it can be unfollowed; and
 * the removal's reason, which its author is shown in place of the comment.
 */
function placeholder(
  row: CommentRow,
  status: 'removed' | 'deleted',
  replyCount: number,
  following: boolean,
  removalReason: string | null,
): CommentDto {
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
    status,
    stance: null,
    quote: null,
    quotes: [],
    score: 0,
    upvotes: 0,
    downvotes: 0,
    myVote: 0,
    following,
    removalReason,
    featured: false,
    replyCount,
  };
}
