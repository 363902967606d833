import { Module } from '@nestjs/common';
import { DatabaseThrottlerStorage } from './database-throttler-storage.js';
import { RateLimitRepository } from './rate-limit.repository.js';

/** Where the rate limits keep their counts (see DatabaseThrottlerStorage; the live joins count there too). */
@Module({
  providers: [RateLimitRepository, DatabaseThrottlerStorage],
  exports: [DatabaseThrottlerStorage, RateLimitRepository],
})
export class RateLimitModule {}
