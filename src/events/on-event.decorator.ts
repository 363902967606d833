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

/**
 * Marks a provider's method as a listener of one domain event: it is called with the event's payload after the
 * transaction that recorded it commits. A listener that throws (or whose promise rejects) is logged; it never fails
 * the write that recorded the event, nor the other listeners.
 */
export function OnDomainEvent<T extends DomainEventType>(type: T) {
  return (target: object, key: string | symbol, descriptor: Handler<DomainEvents[T]>): void => {
    SetMetadata(ON_DOMAIN_EVENT, type)(target, key, descriptor as TypedPropertyDescriptor<unknown>);
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
