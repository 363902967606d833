import { Module } from '@nestjs/common';
import { DatabasePoolUse } from '../database/pool-use.js';
import { CommentMetrics } from './comment-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** `GET /metrics` and the counters behind it; the live side reports into MetricsService. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, DatabasePoolUse, CommentMetrics],
  exports: [MetricsService],
})
export class MetricsModule {}
