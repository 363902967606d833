import { Injectable } from '@nestjs/common';
import { ANONYMOUS } from '../auth/viewer.js';
import { CommentAccess } from './comment-access.js';
import { CommentsRepository } from './comments.repository.js';
import { type CommentDto } from './dto/comment.dto.js';
import { toCommentDto } from './dto/comment.mapper.js';

/** What readers are shown of comments now, for those who saw them earlier (a live follower catching up). */
@Injectable()
export class ReaderViews {
  constructor(private readonly comments: CommentsRepository) {}

  /**
   * Among these comments, those readers can no longer read (removed, deleted, or sent back to review by an edit),
   * each as the placeholder the thread shows a reader now: nothing of the comment's own (author, body, votes, edit
   * time). Comments readers can still read are not in the map.
   */
  async placeholdersOfHidden(ids: string[]): Promise<Map<string, CommentDto>> {
    const hidden = new Map<string, CommentDto>();
    if (ids.length === 0) return hidden;
    for (const row of await this.comments.findByIdsInOrder(ids)) {
      if (!CommentAccess.canSeeBody(row, ANONYMOUS)) hidden.set(row.id, toCommentDto(row, [], ANONYMOUS, 0));
    }
    return hidden;
  }
}
