import { Injectable } from '@nestjs/common';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { ModerationQueueRepository, type QueueCounts } from './moderation-queue.repository.js';

/**
 * The size of each moderation queue: what a moderator's page shows on its tabs and its header link before opening a
 * queue. Read on demand (a count over an index), never kept as a counter: the queues change through many paths
 * (posts, edits, reports, decisions, deletions) and a count read fresh cannot drift from them.
 */
@Injectable()
export class ModerationSummary {
  constructor(private readonly queues: ModerationQueueRepository) {}

  forViewer(viewer: Viewer): Promise<QueueCounts> {
    requireModerator(viewer);
    return this.current();
  }

  /** For the live feed to moderators' connections, which only moderators hear. */
  current(): Promise<QueueCounts> {
    return this.queues.counts();
  }
}
