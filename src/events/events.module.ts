import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ArticleEventLogPruner } from './article-event-log-pruner.js';
import { ArticleEventLog } from './article-event-log.repository.js';
import { EventBus } from './event-bus.js';

/**
 * The events layer, below every domain: domains record what happened through {@link EventBus}; listeners anywhere
 * (the live fan-out today; notifications, mail and metrics later) are found by their decorators.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [EventBus, ArticleEventLog, ArticleEventLogPruner],
  exports: [EventBus, ArticleEventLog],
})
export class EventsModule {}
