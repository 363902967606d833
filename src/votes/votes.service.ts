import { Injectable } from '@nestjs/common';
import { ArticlesRepository } from '../articles/articles.repository.js';
import { type Viewer, isModerator, requireWriter } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { parseId } from '../common/ids.js';
import { CommentAccess } from '../comments/comment-access.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { type VoteResultDto } from './dto/vote.dto.js';
import { VotesRepository } from './votes.repository.js';
import { EventBus } from '../events/event-bus.js';

/** How many of a deleting account's votes are read (and locked) at a time: memory bounded however many there are. */
const WITHDRAWAL_BATCH = 500;

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
      const counters = await this.setVote(tx, comment.articleId, id, userId, value, true);
      return { ...counters, myVote: value };
    });
  }

  /**
   * Account deletion's part, in its transaction: every vote of the user is withdrawn as a reader's own 0 would do
   * it (scores move, readers get `comment.voted`), whatever the comment's status now. Returns how many there were.
   */
  async withdrawAllBy(tx: Tx, userId: string): Promise<number> {
    let count = 0;
    for (;;) {
      const batch = await this.votes.lockByUser(tx, userId, WITHDRAWAL_BATCH);
      for (const vote of batch) await this.setVote(tx, vote.articleId, vote.commentId, userId, 0);
      count += batch.length;
      if (batch.length < WITHDRAWAL_BATCH) break;
    }
    return count;
  }

  /**
   * The one way a vote changes: the row, the comment's counters and the live event, in the caller's transaction.
   * `last`: nothing follows in the transaction, so the event is numbered in the round trip that commits (the essay's
   * row, which every writer of the essay waits for, is then locked for no round trip to the app).
   */
  private async setVote(
    tx: Tx,
    articleId: string,
    commentId: string,
    userId: string,
    value: -1 | 0 | 1,
    last = false,
  ): Promise<Omit<VoteResultDto, 'myVote'>> {
    const previous = await this.votes.setVote(tx, commentId, userId, value);
    const up = Number(value === 1) - Number(previous === 1);
    const down = Number(value === -1) - Number(previous === -1);
    const counters = await this.comments.applyVoteCounters(tx, commentId, up, down);
    if (up !== 0 || down !== 0) {
      const event = { type: 'comment.voted' as const, payload: { commentId, ...counters } };
      if (last) this.bus.recordForArticleAtCommit(tx, articleId, event);
      else await this.bus.recordForArticle(tx, articleId, event);
    }
    return counters;
  }
}
