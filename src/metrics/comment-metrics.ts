import { Injectable } from '@nestjs/common';
import { type CommentHeld, type CommentPublished } from '../comments/comment.events.js';
import { OnDomainEvent } from '../events/on-event.decorator.js';
import { MetricsService } from './metrics.service.js';

/**
 * Counts new comments from the comments domain's own events: a comment is created once, either published at once or
 * held for a moderator. An approval later publishes it again (`isNew: false`) and an edit can hold it again
 * (`isNew: false`); neither creates a comment.
 */
@Injectable()
export class CommentMetrics {
  constructor(private readonly metrics: MetricsService) {}

  @OnDomainEvent('comment.published')
  published({ isNew }: CommentPublished): void {
    if (isNew) this.metrics.commentCreated('published');
  }

  @OnDomainEvent('comment.held')
  held({ isNew }: CommentHeld): void {
    if (isNew) this.metrics.commentCreated('held');
  }
}
