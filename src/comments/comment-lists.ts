import { Injectable, type Type } from '@nestjs/common';
import { type Viewer } from '../auth/viewer.js';
import { type CommentRow, CommentsRepository } from './comments.repository.js';
import { type CommentDto } from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';
import { RemovalReasons } from './removal-reasons.js';
import { ViewerFollows } from './viewer-follows.js';
import { ViewerVotes } from './viewer-votes.js';

/** What a module that provides CommentLists is given: the implementations of the two ports. */
export interface CommentListPorts {
  /** The module that exports the implementation of ViewerVotes, and that implementation. */
  viewerVotes: { module: Type; provider: Type<ViewerVotes> };
  /** The same for ViewerFollows. */
  viewerFollows: { module: Type; provider: Type<ViewerFollows> };
}

/**
 * Flat lists of comments read outside a thread (a profile, search results), mapped for the viewer as a thread maps
 * them: their quotes, the viewer's own votes and follows, and the removal reasons the viewer may read, in one query
 * each for the whole list (none of the viewer's own for anonymous readers). Its module binds the two ports, as
 * CommentsApiModule does.
 */
@Injectable()
export class CommentLists {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly removalReasons: RemovalReasons,
    private readonly votes: ViewerVotes,
    private readonly follows: ViewerFollows,
  ) {}

  /** The rows as this viewer sees them, in the same order. */
  async forViewer(rows: CommentRow[], viewer: Viewer): Promise<CommentDto[]> {
    const ids = rows.map((r) => r.id);
    const signedIn = viewer.userId !== null && ids.length > 0;
    const [quotes, myVotes, myFollows, reasons] = await Promise.all([
      this.comments.findQuotes(ids),
      signedIn ? this.votes.findMine(viewer.userId as string, ids) : new Map<string, number>(),
      signedIn ? this.follows.findFollowedComments(viewer.userId as string, ids) : new Set<string>(),
      this.removalReasons.forViewer(rows, viewer),
    ]);
    return rows.map((row) =>
      toCommentDto(
        row,
        quotes.filter((q) => q.commentId === row.id),
        viewer,
        myVotes.get(row.id) ?? 0,
        myFollows.has(row.id),
        reasons.get(row.id) ?? null,
      ),
    );
  }
}
