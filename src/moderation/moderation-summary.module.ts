import { Module } from '@nestjs/common';
import { ModerationQueueRepository } from './moderation-queue.repository.js';
import { ModerationSummary } from './moderation-summary.js';

/**
 * The queues' reads on their own, without the rest of moderation (whose module is built per app with its ports): the
 * live layer imports this to tell moderators' connections the queues' sizes.
 */
@Module({
  providers: [ModerationQueueRepository, ModerationSummary],
  exports: [ModerationQueueRepository, ModerationSummary],
})
export class ModerationSummaryModule {}
