import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { type Statement, type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { type ArticleRowChange, ArticleEventLog, numberedOf } from './article-event-log.repository.js';
import {
  type ArticleEvent,
  type ArticleEventType,
  type DomainEvent,
  type DomainEventType,
  type NumberedArticleEvent,
} from './domain-events.js';
import { InOrder, type Ticket } from './in-order.js';
import { JobQueue } from '../jobs/job-queue.js';
import { type DomainListenerMetadata, ON_ARTICLE_EVENT, ON_DOMAIN_EVENT } from './on-event.decorator.js';

type Listener = (payload: unknown) => unknown;

/**
 * Where the domains record what happened, in their own transaction, and where listeners (found by their decorators
 * at start) hear of it after commit.
 *
 * An article event is numbered and logged in the caller's transaction: the outbox that makes live updates gap-free.
 * The number is held as "in flight" in this process until the transaction commits (then the event is handed on) or
 * rolls back (then forgotten), so that listeners hear each article's events in `seq` order: commits are ordered by
 * the article row's lock, but two requests can learn of their commits in either order, and this puts them back in
 * line. Domain events are handed on after commit in the order they were recorded.
 */
@Injectable()
export class EventBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Events');
  private readonly domainListeners = new Map<DomainEventType, Listener[]>();
  /** The job-queue tasks of the durable listeners of each domain event type. */
  private readonly durableTasks = new Map<DomainEventType, string[]>();
  private readonly articleListeners: { types: ArticleEventType[]; listener: Listener }[] = [];
  private readonly order = new InOrder<NumberedArticleEvent>((event) => this.deliverArticleEvent(event));

  constructor(
    private readonly log: ArticleEventLog,
    private readonly uow: UnitOfWork,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        if (typeof method !== 'function') continue;
        const listener: Listener = (method as Listener).bind(instance);
        const domain = this.reflector.get<DomainListenerMetadata | undefined>(ON_DOMAIN_EVENT, method);
        if (domain?.durable) this.addDurable(domain.type, `${prototype.constructor.name}.${name}`, listener);
        else if (domain)
          this.domainListeners.set(domain.type, [...(this.domainListeners.get(domain.type) ?? []), listener]);
        const articleTypes = this.reflector.get<ArticleEventType[] | undefined>(ON_ARTICLE_EVENT, method);
        if (articleTypes) this.articleListeners.push({ types: articleTypes, listener });
      }
    }
  }

  onModuleDestroy(): void {
    this.order.stop();
  }

  /**
   * Numbers and logs an article event in the caller's transaction; listeners hear of it after commit, in order.
   * `alongside`, a domain event that goes with it, is recorded as {@link record} would, except that its durable
   * listeners' jobs are queued first, at once: numbering the article event locks the article row until commit, and
   * every other writer of that article waits for the lock meanwhile. Its listeners hear of it after the article
   * event's. `articleRow`: the caller's own changes to the article row, made in the statement that numbers the event
   * (see ArticleEventLog.append), for a caller that would otherwise change the locked row in a round trip of its own.
   */
  async recordForArticle<T extends ArticleEventType, A extends DomainEventType = never>(
    tx: Tx,
    articleId: string,
    event: ArticleEvent<T>,
    alongside?: DomainEvent<A>,
    articleRow?: ArticleRowChange,
  ): Promise<NumberedArticleEvent<T>> {
    await this.queueAlongside(tx, alongside);
    const ticket = this.takeTicket(tx, articleId);
    const { seq, at } = await this.log.append(tx, articleId, event.type, event.payload, articleRow);
    if (ticket) this.order.numbered(ticket, seq);
    return this.handOnAfterCommit(tx, articleId, event, { seq, at }, ticket, alongside);
  }

  /**
   * As {@link recordForArticle}, but the event is numbered last, in the round trip that commits the transaction
   * (UnitOfWork.closeWith): the article row stays unlocked until then, so writers of one article wait for each other
   * only while PostgreSQL runs that statement and commits, never for a round trip to the app. For a write whose
   * transaction reads nothing of the article row after the event (the number is not known before commit); `andThen`,
   * statements that must run after the row is locked (a quoted block's counters: a revision locks the article before
   * its blocks), go in the same round trip behind it. The jobs of `alongside`'s durable listeners are queued in that
   * round trip too, ahead of the numbering statement, so that they cost no round trip of their own and are still
   * queued before the row is locked.
   */
  recordForArticleAtCommit<T extends ArticleEventType, A extends DomainEventType = never>(
    tx: Tx,
    articleId: string,
    event: ArticleEvent<T>,
    alongside?: DomainEvent<A>,
    articleRow?: ArticleRowChange,
    andThen: Statement[] = [],
  ): void {
    if (alongside)
      for (const task of this.durableTasksOf(alongside.type)) this.queue.enqueueAtCommit(tx, task, alongside.payload);
    const ticket = this.takeTicket(tx, articleId);
    this.uow.closeWith(tx, this.log.appendStatement(articleId, event.type, event.payload, articleRow), (rows) => {
      this.handOnAfterCommit(tx, articleId, event, numberedOf(rows), ticket, alongside);
    });
    for (const statement of andThen) this.uow.closeWith(tx, statement);
  }

  /** The numbered event, handed to the article listeners in order once committed, and `alongside` to its own. */
  private handOnAfterCommit<T extends ArticleEventType, A extends DomainEventType>(
    tx: Tx,
    articleId: string,
    event: ArticleEvent<T>,
    { seq, at }: { seq: number; at: Date },
    ticket: Ticket | null,
    alongside?: DomainEvent<A>,
  ): NumberedArticleEvent<T> {
    const numbered = { ...event, articleId, seq, at: at.toISOString() } as NumberedArticleEvent<T>;
    if (ticket) this.uow.afterCommit(tx, () => this.order.ready(ticket, seq, numbered as NumberedArticleEvent));
    if (alongside) this.hearAfterCommit(tx, alongside);
    return numbered;
  }

  private async queueAlongside<A extends DomainEventType>(tx: Tx, alongside?: DomainEvent<A>): Promise<void> {
    if (alongside)
      for (const task of this.durableTasksOf(alongside.type)) await this.queue.enqueue(tx, task, alongside.payload);
  }

  /**
   * Followers hear of article events from the database's announcement (realtime/article-stream.ts), not from here:
   * with no listener in this process, there is nothing to hold in order.
   */
  private takeTicket(tx: Tx, articleId: string): Ticket | null {
    if (this.articleListeners.length === 0) return null;
    const ticket = this.order.take(articleId);
    this.uow.onRollback(tx, () => this.order.forget(ticket));
    return ticket;
  }

  /**
   * A durable listener is a task of the job queue, named after the event and the listener (a name that stays the same
   * from one deploy to the next, so jobs queued before a deploy find their task after it). Its job fails when the
   * listener throws, and is retried.
   */
  private addDurable(type: DomainEventType, listenerName: string, listener: Listener): void {
    const task = `event:${type}:${listenerName}`;
    this.queue.register(task, async (payload) => {
      await listener(payload);
    });
    this.durableTasks.set(type, [...(this.durableTasks.get(type) ?? []), task]);
  }

  /**
   * Records a domain event in the caller's transaction: listeners hear of it after commit, never on rollback; for
   * each durable listener a job is queued in the transaction itself, just before it commits.
   */
  record<T extends DomainEventType>(tx: Tx, event: DomainEvent<T>): void {
    for (const task of this.durableTasksOf(event.type))
      this.uow.beforeCommit(tx, (inTx) => this.queue.enqueue(inTx, task, event.payload));
    this.hearAfterCommit(tx, event);
  }

  private durableTasksOf(type: DomainEventType): string[] {
    return this.durableTasks.get(type) ?? [];
  }

  private hearAfterCommit<T extends DomainEventType>(tx: Tx, event: DomainEvent<T>): void {
    this.uow.afterCommit(tx, () => {
      for (const listener of this.domainListeners.get(event.type) ?? []) this.call(listener, event.payload, event.type);
    });
  }

  private deliverArticleEvent(event: NumberedArticleEvent): void {
    for (const { types, listener } of this.articleListeners) {
      if (types.length === 0 || types.includes(event.type)) this.call(listener, event, event.type);
    }
  }

  private call(listener: Listener, payload: unknown, type: string): void {
    const failed = (error: unknown) =>
      this.logger.error(`a listener of ${type} failed: ${error instanceof Error ? error.message : String(error)}`);
    try {
      const result = listener(payload);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
