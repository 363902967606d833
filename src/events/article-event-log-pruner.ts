import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task.js';
import { ArticleEventLog } from './article-event-log.repository.js';

/** Events kept per article for catch-up (at least), and for at least this many hours. */
export const KEEP_EVENTS = 1_000;
export const KEEP_HOURS = 24;
const PRUNE_EVERY_MS = 600_000;

/** Keeps the articles' event log to what catch-up may still ask for. */
@Injectable()
export class ArticleEventLogPruner implements OnModuleInit, OnModuleDestroy {
  private readonly task = new PeriodicTask('article event log pruning', PRUNE_EVERY_MS, () =>
    this.log.prune(KEEP_EVENTS, KEEP_HOURS),
  );

  constructor(private readonly log: ArticleEventLog) {}

  onModuleInit(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }
}
