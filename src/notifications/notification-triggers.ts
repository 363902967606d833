import { Injectable } from '@nestjs/common';
import { type CommentEdited, type CommentPublished } from '../comments/comment.events.js';
import { OnDomainEvent } from '../events/on-event.decorator.js';
import { type CommentModerated } from '../moderation/moderation.events.js';
import { NotificationsService } from './notifications.service.js';

/**
 * What starts a fan-out: the domain events, heard durably (a job queued in the transaction that recorded them, run
 * after its commit), so that notifying (a thousand followers, say) never holds up the write, and a process that stops
 * right after the commit loses no notification: another process, or this one once back, runs the job. The service's
 * fan-out is idempotent, so a job run twice (a retry after a failure) notifies nobody twice. Each handler only names
 * what happened; the service reads the rest when the job runs.
 */
@Injectable()
export class NotificationTriggers {
  constructor(private readonly notifications: NotificationsService) {}

  /** Readers can see a comment for the first time: posted, or approved or restored after it waited. */
  @OnDomainEvent('comment.published', { durable: true })
  async published({ comment, at }: CommentPublished): Promise<void> {
    await this.notifications.notifyAboutComment(comment.id, 'everyone', at);
  }

  /** An edit readers see: a name it adds is told (one already told of this comment is not told again). */
  @OnDomainEvent('comment.edited', { durable: true })
  async edited({ commentId }: CommentEdited): Promise<void> {
    await this.notifications.notifyAboutComment(commentId, 'named');
  }

  /**
   * The author hears of the decision. A comment readers see again after an edit held it for review (or after a
   * removal) may name someone its earlier version did not: they are told now, as an edit readers saw would have.
   */
  @OnDomainEvent('comment.moderated', { durable: true })
  async moderated(decision: CommentModerated): Promise<void> {
    await this.notifications.notifyAboutDecision(decision);
    if (decision.decision !== 'removed') await this.notifications.notifyAboutComment(decision.commentId, 'named');
  }
}
