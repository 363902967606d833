import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobsModule } from '../jobs/jobs.module.js';
import { ArticleEventLogPruner } from './article-event-log-pruner.js';
import { ArticleEventLog } from './article-event-log.repository.js';
import { EventBus } from './event-bus.js';

/**
 * The events layer, below every domain: domains record what happened through {@link EventBus}; listeners anywhere
 * (the live fan-out, notifications, metrics) are found by their decorators; durable ones hear through the job queue.
 */
@Module({
  imports: [DiscoveryModule, JobsModule],
  providers: [EventBus, ArticleEventLog, ArticleEventLogPruner],
  exports: [EventBus, ArticleEventLog],
})
export class EventsModule {}
