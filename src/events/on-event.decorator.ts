import { SetMetadata } from '@nestjs/common';
import {
  type ArticleEventType,
  type DomainEventType,
  type DomainEvents,
  type NumberedArticleEvent,
} from './domain-events.js';

export const ON_DOMAIN_EVENT = Symbol('forum:on-domain-event');
export const ON_ARTICLE_EVENT = Symbol('forum:on-article-event');

/** A listener returns nothing, or a promise that the bus waits on only to log its failure. */
type Handler<P> =
  TypedPropertyDescriptor<(payload: P) => unknown> | TypedPropertyDescriptor<(payload: P) => Promise<void>>;

export interface DomainListenerOptions {
  /**
   * Durable: the event is handed to this listener through the job queue, queued in the transaction that records it.
   * It is heard even if the process stops right after the commit, by whichever process runs the job, and heard again
   * if the listener throws (retried with backoff), so it must be idempotent. For work that must not be lost
   * (notifications, mail); a plain listener (the live fan-out, metrics) hears the event at once, in this process, once.
   */
  durable?: boolean;
}

/** What the decorator stores on the method. */
export interface DomainListenerMetadata {
  type: DomainEventType;
  durable: boolean;
}

/**
 * Marks a provider's method as a listener of one domain event: it is called with the event's payload after the
 * transaction that recorded it commits. A listener that throws (or whose promise rejects) is logged; it never fails
 * the write that recorded the event, nor the other listeners. See {@link DomainListenerOptions} for durable ones.
 */
export function OnDomainEvent<T extends DomainEventType>(type: T, options: DomainListenerOptions = {}) {
  return (target: object, key: string | symbol, descriptor: Handler<DomainEvents[T]>): void => {
    const metadata: DomainListenerMetadata = { type, durable: options.durable ?? false };
    SetMetadata(ON_DOMAIN_EVENT, metadata)(target, key, descriptor as TypedPropertyDescriptor<unknown>);
  };
}

/**
 * Marks a provider's method as a listener of article events: every type, or those named. It hears each article's
 * events after commit and in `seq` order, as far as this process numbered them.
 */
export function OnArticleEvent<T extends ArticleEventType>(...types: T[]) {
  return (target: object, key: string | symbol, descriptor: Handler<NumberedArticleEvent<T>>): void => {
    SetMetadata(ON_ARTICLE_EVENT, types)(target, key, descriptor as TypedPropertyDescriptor<unknown>);
  };
}
