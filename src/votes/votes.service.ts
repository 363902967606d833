import { Injectable } from '@nestjs/common';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { type Viewer, isModerator, requireWriter } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { parseId } from '../common/ids.js';
import { CommentAccess } from '../comments/comment-access.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { type VoteResultDto } from './dto/vote.dto.js';
import { VotesRepository } from './votes.repository.js';
import { EventBus } from '../events/event-bus.js';

@Injectable()
export class VotesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly votes: VotesRepository,
    private readonly comments: CommentsRepository,
    private readonly articles: ArticlesRepository,
    private readonly bus: EventBus,
  ) {}

  /** One vote per reader per comment, changeable, never on one's own comment; counters move in the same transaction. */
  async vote(rawId: string, value: -1 | 0 | 1, viewer: Viewer): Promise<VoteResultDto> {
    const userId = requireWriter(viewer);
    const id = parseId(rawId, ErrorCode.CommentNotFound, 'comment');
    return this.uow.run(async (tx) => {
      const comment = await this.comments.findById(id, tx);
      if (!comment || !CommentAccess.canSee(comment, viewer))
        throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
      if (CommentAccess.isAuthor(comment, viewer))
        throw new DomainError(ErrorCode.Forbidden, 'You cannot vote on your own comment.');
      if (comment.status !== 'visible')
        throw new DomainError(
          ErrorCode.Forbidden,
          `A ${CommentAccess.shownStatus(comment, viewer)} comment takes no votes.`,
        );
      const article = await this.articles.findById(comment.articleId, tx);
      if (article?.locked && !isModerator(viewer))
        throw new DomainError(ErrorCode.Forbidden, 'This discussion is locked.');
      const previous = await this.votes.setVote(tx, id, userId, value);
      const up = Number(value === 1) - Number(previous === 1);
      const down = Number(value === -1) - Number(previous === -1);
      const counters = await this.comments.applyVoteCounters(tx, id, up, down);
      if (up !== 0 || down !== 0) {
        await this.bus.recordForArticle(tx, comment.articleId, {
          type: 'comment.voted',
          payload: { commentId: id, ...counters },
        });
      }
      return { ...counters, myVote: value };
    });
  }
}
